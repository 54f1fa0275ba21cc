"""`inhouse import FILE --format FORMAT`: import a crawler export or a JSONL of records.

Prints a summary (or, with --json, exactly one JSON object) and exits 1 when any line failed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inhouse.cli.workspaces import get_workspace
from inhouse.core.models import Account
from inhouse.sources.importers import formats
from inhouse.sources.importers.detect import guess_format
from inhouse.sources.importers.run import import_file

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Import a crawler export (MediaCrawler, weibo-crawler, weibo-search, m.weibo.cn) or inhouse JSONL."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the exported file")
        parser.add_argument("--format", default="auto", choices=["auto", *formats()],
                            help="file format; 'auto' guesses from the name and the first lines")
        parser.add_argument("--account", default="", metavar="UID",
                            help="uid of the workspace's official account this export concerns")
        parser.add_argument("--workspace", help="workspace slug (needed when there are several)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the summary as one JSON object")
        parser.add_argument("--no-analyze", action="store_true", help="store only; the worker analyses later")

    def handle(self, *args, path: str, format: str, account: str, workspace: str | None,
               as_json: bool, no_analyze: bool, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        ws = get_workspace(workspace)
        fmt = format
        if fmt == "auto":
            guess = guess_format(file)
            if guess.format is None:
                raise CommandError(f"{path}: cannot guess the format ({guess.reason}); pass --format")
            fmt = guess.format
            self.stderr.write(f"{path}: format {fmt} (guessed: {guess.reason})", style_func=_plain)
        if account and not Account.objects.filter(workspace=ws, platform_uid=account).exists():
            self.stderr.write(f"warning: workspace {ws.slug!r} has no account {account}; items will not be linked to it")
        bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        summary = import_file(ws, file, fmt, account_uid=account, analyze=not no_analyze,
                              progress=bar.update if bar else None)
        if bar:
            bar.close()
        for error in summary.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"{path}:{error.line}: field '{error.field}': {error.message}")
        if len(summary.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"... and {len(summary.errors) - MAX_ERRORS_SHOWN} more errors (see --json)")
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{path} ({fmt}): {summary.read} read, {summary.created} created, "
                f"{summary.updated} updated, {summary.skipped} skipped, {len(summary.errors)} errors"
            )
        if summary.errors:
            raise SystemExit(1)


def _plain(text: str) -> str:
    return text  # information, not an error: no red on a terminal


class _ProgressBar:
    """A one-line bar on a terminal; no dependency. Redraws at most 10 times a second."""

    WIDTH = 30

    def __init__(self, out):
        self.out = out
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, done: int, total: int, rows: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = int(share * self.WIDTH)
        rate = rows / max(now - self.started, 1e-6)
        self.out.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} {rows:,} rows {rate:,.0f}/s")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\n")
        self.out.flush()
