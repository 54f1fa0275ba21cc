"""`inhouse kb suggest` without Django: files in, JSON lines out.

The `inhouse` entry point runs this before Django is set up (no database, no apps, no
settings are needed to answer questions from files), which saves about half a second of
start-up per run; `inhouse.cli.management.commands.kb` calls the same function, so
`manage.py kb suggest` and `call_command("kb", "suggest", ...)` behave alike.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

BATCH = 1000  # questions scored per call: bounds memory, keeps output flowing


class UsageError(Exception):
    """A problem the user must fix (missing file, nothing usable); exit status 1."""


def _open(path: str):
    if path == "-":
        return sys.stdin
    try:
        return Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", required=True, help="CSV with columns id, question, answer "
                        "(optional: variants and tags separated by |, valid_until)")
    parser.add_argument("--input", required=True, help='JSONL, one {"id": ..., "text": ...} per line; - for stdin')
    parser.add_argument("--top", type=int, default=3, help="suggestions per question (default 3)")
    parser.add_argument("--dictionary", help="file of words to keep whole (product names), one per line")
    parser.add_argument("--threshold", type=float, help="minimum confidence (default: the shipped model's)")


def suggest(*, kb: str, input: str, top: int = 3, dictionary: str | None = None,
            threshold: float | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Answer every question of ``input`` from the KB CSV ``kb``; returns the exit status
    (1 when a row or line was bad and skipped). Raises UsageError when nothing can be done."""
    from inhouse.knowledge.retrieval import Index  # lazy: numpy, scipy
    from inhouse.knowledge.retrieval.files import Question, read_kb_csv, read_questions

    out = out or sys.stdout
    err = err or sys.stderr
    if top < 1:
        raise UsageError("--top must be at least 1")
    with _open(kb) as fh:
        rows, errors = read_kb_csv(fh, kb)
    for e in errors:
        err.write(f"{e}\n")
    if not rows:
        raise UsageError(f"{kb}: no usable entry; nothing to suggest from")
    words = []
    if dictionary:
        with _open(dictionary) as fh:
            words = [w.strip() for w in fh if w.strip()]
    index = Index([r.entry for r in rows], words, threshold=threshold)
    bad = len(errors)
    batch: list[Question] = []
    with _open(input) as fh:
        for q in read_questions(fh, "<stdin>" if input == "-" else input):
            if isinstance(q, Question):
                batch.append(q)
                if len(batch) >= BATCH:
                    _flush(index, batch, top, out)
                    batch = []
            else:
                err.write(f"{q}\n")
                bad += 1
        _flush(index, batch, top, out)
    return 1 if bad else 0


def _flush(index, batch, top: int, out: TextIO) -> None:
    if not batch:
        return
    ranked = index.rank_many([q.text for q in batch], top=top)
    for q, suggestions in zip(batch, ranked, strict=True):
        out.write(json.dumps({"id": q.id, "suggestions": [
            {"kb_id": s.entry_id, "score": s.score} for s in suggestions]}, ensure_ascii=False) + "\n")
    out.flush()


def main(argv: list[str]) -> int:
    """`inhouse kb suggest ARGS` before Django: the same options and messages as the command."""
    parser = argparse.ArgumentParser(prog="inhouse kb suggest",
                                     description="suggest KB entries for each question of a JSONL file")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return suggest(**vars(args))
    except UsageError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")  # what Django's command would print
        return 1
