"""Drive one import: read rows, map them to records, ingest in batches, analyse and route.

Memory stays flat in file size: rows are read one at a time and at most one batch of records
(``BATCH``) is held. Every line that cannot be read, mapped or stored is reported with its line
and field; good lines are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inhouse.core.models import Account, Workspace
from inhouse.pipeline.ingest import ingest
from inhouse.pipeline.records import RecordError
from inhouse.sources.importers import get_format
from inhouse.sources.importers.base import Context, LineError, Row

BATCH = 10000
# Called with (bytes read, file size, rows read) after each batch.
Progress = Callable[[int, int, int], None]


@dataclass
class ImportSummary:
    format: str
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0  # rows with errors, and repeated copies of an id within one batch
    errors: list[LineError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "read": self.read, "created": self.created,
            "updated": self.updated, "skipped": self.skipped,
            "errors": [error.as_dict() for error in self.errors],
        }


def import_file(
    workspace: Workspace,
    path: Path,
    format_name: str,
    *,
    account_uid: str = "",
    analyze: bool = True,
    batch_size: int = BATCH,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` (a known format name, not "auto") into ``workspace``."""
    fmt = get_format(format_name)
    author = fmt.file_author(path)
    if not account_uid and author:
        # An export of one account's timeline concerns that account only if the workspace has it.
        if Account.objects.filter(workspace=workspace, platform_uid=author["uid"]).exists():
            account_uid = author["uid"]
    ctx = Context(account_uid=account_uid, author=author)
    _bulk_connection()
    summary = ImportSummary(format=fmt.name)
    size = path.stat().st_size
    batch: list[tuple[int, dict[str, Any]]] = []
    bad_lines: set[int] = set()
    with path.open("rb") as raw:
        rows = fmt.read(raw)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                summary.errors.append(LineError(_last_line(batch, summary), "(encoding)", f"not UTF-8 ({exc.reason}); the rest of the file is not read"))
                break
            summary.read += 1
            if isinstance(row, LineError):
                summary.errors.append(row)
                bad_lines.add(row.line)
                continue
            _map(fmt.from_row, row, ctx, batch, summary, bad_lines)
            if len(batch) >= batch_size:
                _flush(workspace, batch, summary, bad_lines, analyze)
                batch = []
                if progress:
                    progress(raw.tell(), size, summary.read)
        if batch:
            _flush(workspace, batch, summary, bad_lines, analyze)
        if progress:
            progress(size, size, summary.read)
    summary.skipped += len(bad_lines)
    summary.errors.sort(key=lambda error: error.line)
    return summary


def _bulk_connection() -> None:
    """SQLite's default page cache (2 MB) is far smaller than the item table's eight indexes
    once a large import is under way; 64 MB keeps their upper levels in memory. A fixed size:
    memory stays flat in file size. The connection keeps it for its life (this process)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")
            cursor.execute("PRAGMA wal_autocheckpoint = 16384")


def _last_line(batch: list[tuple[int, dict[str, Any]]], summary: ImportSummary) -> int:
    lines = [line for line, _ in batch[-1:]] + [error.line for error in summary.errors[-1:]]
    return max(lines, default=0) + 1


def _map(from_row, row: Row, ctx: Context, batch, summary: ImportSummary, bad_lines: set[int]) -> None:
    try:
        records = from_row(row.data, ctx)
    except RecordError as exc:
        summary.errors.append(LineError(row.line, exc.field, exc.message))
        bad_lines.add(row.line)
        return
    line = row.line
    for record in records:
        batch.append((line, record))


def _flush(workspace: Workspace, batch, summary: ImportSummary, bad_lines: set[int], analyze: bool) -> None:
    report = ingest(workspace, [record for _, record in batch])
    for rejected in report.rejected:
        line = batch[rejected.position - 1][0]
        summary.errors.append(LineError(line, rejected.field, rejected.message))
        bad_lines.add(line)
    summary.created += report.created
    summary.updated += report.updated
    # What ingest accepted but did not store separately: repeated ids within the batch.
    summary.skipped += len(batch) - len(report.rejected) - report.created - report.updated
    if analyze and report.item_ids:
        from inhouse.pipeline.analyze import analyze_items
        from inhouse.pipeline.route import route_items

        analyze_items(report.item_ids)
        route_items(report.item_ids)
