"""Reading knowledge-base CSV files and question JSONL files, with errors that say where.

Shared by ``inhouse kb suggest`` and the desk's CSV import. A bad row is reported (file, line,
field, what to do) and skipped; the good rows are still returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from inhouse.knowledge.retrieval.index import KbEntry

REQUIRED = ("id", "question", "answer")


@dataclass(frozen=True)
class RowError:
    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: line {self.line}"
        return f"{where}: field '{self.field}': {self.message}" if self.field else f"{where}: {self.message}"


@dataclass(frozen=True)
class CsvRow:
    line: int
    entry: KbEntry
    valid_until: dt.date | None = None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_kb_csv(lines: Iterable[str], source: str) -> tuple[list[CsvRow], list[RowError]]:
    """Rows of a KB CSV: columns ``id``, ``question``, ``answer``; optional ``variants`` and
    ``tags`` (separated by ``|``) and ``valid_until`` (YYYY-MM-DD). Other columns are ignored."""
    rows: list[CsvRow] = []
    errors: list[RowError] = []
    reader = csv.DictReader(lines)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as exc:  # e.g. a field over csv's 128 KiB limit
        errors.append(RowError(source, 1, "", f"cannot read the header: {exc}"))
        return rows, errors
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        errors.append(RowError(source, 1, missing[0], f"missing column(s) {', '.join(missing)} in the "
                               f"header (found: {found}); the first line must name id, question, answer"))
        return rows, errors
    reader.fieldnames = header
    seen: dict[str, int] = {}
    line = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over csv's 128 KiB limit (an unclosed quote, often)
            start, line = line + 1, reader.line_num
            errors.append(RowError(source, start, "", f"cannot read this row: {exc}; check its quotes"))
            continue
        start, line = line + 1, reader.line_num  # a quoted field may span several lines
        if None in record:
            errors.append(RowError(source, start, "", f"{len(header) + len(record[None])} fields, "
                                   f"the header has {len(header)}; quote fields that contain commas"))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        bad = next((f for f in REQUIRED if not values.get(f)), None)
        if bad:
            errors.append(RowError(source, start, bad, "empty; every entry needs an id, a question and an answer"))
            continue
        if values["id"] in seen:
            errors.append(RowError(source, start, "id", f"{values['id']!r} already used on line "
                                   f"{seen[values['id']]}; ids must be unique"))
            continue
        until = None
        if values.get("valid_until"):
            try:
                until = dt.date.fromisoformat(values["valid_until"])
            except ValueError:
                errors.append(RowError(source, start, "valid_until",
                                       f"{values['valid_until']!r} is not a date; write YYYY-MM-DD"))
                continue
        seen[values["id"]] = start
        entry = KbEntry(values["id"], values["question"], values["answer"],
                        _split(values.get("variants")), _split(values.get("tags")))
        rows.append(CsvRow(start, entry, until))
    return rows, errors


@dataclass(frozen=True)
class Question:
    line: int
    id: object
    text: str


def read_questions(lines: Iterable[str], source: str) -> Iterator[Question | RowError]:
    """Questions of a JSONL file, one ``{"id": ..., "text": ...}`` per line; blank lines skipped."""
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield RowError(source, n, "", f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:  # an integer of > 4300 digits; nesting too deep
            yield RowError(source, n, "", f"not valid JSON: {'nested too deeply' if isinstance(exc, RecursionError) else exc}")
            continue
        if not isinstance(obj, dict):
            yield RowError(source, n, "", "expected an object like {\"id\": ..., \"text\": ...}")
        elif "id" not in obj or obj["id"] in (None, ""):
            yield RowError(source, n, "id", "missing; each question needs an id to find its answer by")
        elif not isinstance(obj.get("text"), str):
            yield RowError(source, n, "text", "missing or not a string")
        else:
            yield Question(n, obj["id"], obj["text"])
