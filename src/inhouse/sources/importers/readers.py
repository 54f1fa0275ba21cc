"""Readers shared by the formats: CSV rows, JSON Lines, JSON arrays/values. All stream."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from inhouse.sources.importers.base import LineError, Row
from inhouse.sources.importers.jsonstream import JsonStream

# Long posts and picture lists exceed csv's 128 KiB default field limit.
csv.field_size_limit(16 << 20)


def text_stream(stream: BinaryIO) -> io.TextIOWrapper:
    # utf-8-sig: the crawlers write a byte-order mark; newline="" as the csv module wants.
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def csv_rows(stream: BinaryIO) -> Iterator[Row | LineError]:
    """Rows as dicts keyed by the header; a row's line is where it starts (fields span lines)."""
    reader = csv.reader(text_stream(stream))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    except UnicodeDecodeError as exc:
        yield LineError(1, "(encoding)", f"not UTF-8 ({exc.reason}); save the file as UTF-8")
        return
    except csv.Error as exc:  # the header opens a quote that never closes (a field over 16 MiB)
        yield LineError(1, "(csv)", f"cannot read the header: {exc}")
        return
    done = reader.line_num
    while True:
        start = done + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            done = reader.line_num
            yield LineError(start, "(csv)", str(exc))
            continue
        except UnicodeDecodeError as exc:
            yield LineError(start, "(encoding)", f"not UTF-8 near here ({exc.reason}); the rest of the file is not read")
            return
        done = reader.line_num
        if not values:
            continue  # blank line
        if len(values) > len(header) and not any(v.strip() for v in values[len(header) :]):
            values = values[: len(header)]  # trailing separators only
        if len(values) != len(header):
            yield LineError(start, "(row)", f"has {len(values)} fields, the header has {len(header)}")
            continue
        yield Row(start, dict(zip(header, values, strict=True)))


def jsonl_lines(stream: BinaryIO) -> Iterator[Row | LineError]:
    """One JSON value per line; blank lines are skipped."""
    for number, line in enumerate(text_stream(stream), start=1):
        if not line.strip():
            continue
        try:
            yield Row(number, json.loads(line))
        except json.JSONDecodeError as exc:
            yield LineError(number, "(json)", f"not valid JSON: {exc.msg} at column {exc.colno}")
        except (ValueError, RecursionError) as exc:  # an integer of > 4300 digits; nesting too deep
            yield LineError(number, "(json)", f"not valid JSON: {'nested too deeply' if isinstance(exc, RecursionError) else exc}")


def json_values(stream: BinaryIO) -> Iterator[Row | LineError]:
    """The elements of a JSON array, or concatenated values (JSON Lines, pretty objects)."""
    yield from JsonStream(text_stream(stream)).values()
