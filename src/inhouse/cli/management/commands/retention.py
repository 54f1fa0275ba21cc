"""`inhouse retention`: archive items older than a cutoff to gzip JSONL, then delete them.

See inhouse.core.retention and docs/operations.md ("Large tables").
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inhouse.cli.workspaces import get_workspace
from inhouse.core.models import Workspace
from inhouse.core.retention import RetentionError, apply_retention


class Command(BaseCommand):
    help = ("Archive items older than DAYS (event time) to <archive>/<workspace>/<workspace>-YYYY-MM.jsonl.gz, "
            "then delete them; items of open conversations and incidents are kept.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, metavar="DAYS", default=None,
                            help="age in days (default INHOUSE_RETENTION_DAYS)")
        parser.add_argument("--archive", metavar="DIR", default=None,
                            help="archive folder (default INHOUSE_ARCHIVE_DIR)")
        parser.add_argument("--dry-run", action="store_true", help="count only; write and delete nothing")
        parser.add_argument("--workspace", metavar="SLUG", help="one workspace (default: all)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args, older_than: int | None, archive: str | None, dry_run: bool,
               workspace: str | None, as_json: bool, **options):
        days = settings.RETENTION_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError("nothing to do: pass --older-than DAYS (at least 1) or set "
                               "INHOUSE_RETENTION_DAYS")
        directory = Path(archive or settings.RETENTION_ARCHIVE_DIR)
        workspaces = [get_workspace(workspace)] if workspace else list(Workspace.objects.order_by("slug"))
        results = []
        for ws in workspaces:
            try:
                results.append(apply_retention(ws, days, directory, dry_run=dry_run))
            except RetentionError as exc:
                raise CommandError(str(exc)) from None
        if as_json:
            self.stdout.write(json.dumps([r.as_dict() for r in results], ensure_ascii=False))
            return
        verb = "would archive" if dry_run else "archived"
        for r in results:
            for m in r.months:
                done = "" if dry_run else f", {m.deleted} deleted"
                self.stdout.write(f"{r.workspace} {m.month}: {verb} {m.archived}"
                                  f" ({m.already_archived} already in the archive){done} -> {m.archive}")
            self.stdout.write(f"{r.workspace}: items before {r.cutoff:%Y-%m-%d %H:%M} UTC: "
                              f"{r.archived} {verb}, {r.deleted} deleted, {r.kept} kept (still referenced)")
