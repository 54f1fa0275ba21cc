"""`inhouse ingest FILE.jsonl`: store records (the format of inhouse.pipeline.records)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inhouse.cli.workspaces import get_workspace
from inhouse.pipeline.analyze import analyze_items
from inhouse.pipeline.ingest import IngestReport, ingest
from inhouse.pipeline.records import RejectedRecord
from inhouse.pipeline.route import route_items

BATCH = 2000


class Command(BaseCommand):
    help = "Ingest a JSONL file of records ('-' for standard input), then analyse and route them."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSONL file, one record per line; '-' reads stdin")
        parser.add_argument("--workspace", help="workspace slug (needed when there are several)")
        parser.add_argument("--no-analyze", action="store_true", help="store only; the worker analyses later")

    def handle(self, *args, path: str, workspace: str | None, no_analyze: bool, **options):
        ws = get_workspace(workspace)
        name = "<stdin>" if path == "-" else path
        try:
            stream = sys.stdin if path == "-" else Path(path).open(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        total = IngestReport()
        batch: list = []
        first_line = 1
        with stream:
            for line_no, line in enumerate(stream, start=1):
                if not batch:
                    first_line = line_no
                if not line.strip():
                    batch.append(None)  # keeps positions equal to line numbers
                    continue
                try:
                    batch.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    total.rejected.append(RejectedRecord(line_no, "", "(json)", f"not valid JSON: {exc.msg} at column {exc.colno}"))
                    batch.append(None)
                if len(batch) >= BATCH:
                    self._flush(ws, batch, first_line, total, no_analyze)
                    batch = []
            if batch:
                self._flush(ws, batch, first_line, total, no_analyze)
        for rejected in total.rejected:
            self.stderr.write(rejected.describe(f"{name}: line"))
        self.stdout.write(
            f"{name}: {total.created} created, {total.updated} updated, {len(total.rejected)} rejected"
        )
        if total.rejected:
            raise SystemExit(1)

    def _flush(self, ws, batch, first_line, total, no_analyze):
        # Blank lines and lines that were not JSON are placeholders, already reported.
        records = [(first_line + i, r) for i, r in enumerate(batch) if r is not None]
        report = ingest(ws, [r for _, r in records])
        # Map batch positions back to file lines.
        for rejected in report.rejected:
            line = records[rejected.position - 1][0]
            total.rejected.append(RejectedRecord(line, rejected.item_id, rejected.field, rejected.message))
        report.rejected = []
        total.merge(report)
        if not no_analyze:
            analyze_items(report.item_ids)
            route_items(report.item_ids)
