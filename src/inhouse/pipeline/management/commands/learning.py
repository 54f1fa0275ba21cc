"""`inhouse learning list|retrain|activate|corrections --workspace SLUG [--to N|base]`: the workspace's
learned model from the command line (the desk's learning page does the same)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from inhouse.core.models import Workspace


class Command(BaseCommand):
    help = "Learning from the team: list versions, retrain from corrections, roll back."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("list", "retrain", "activate", "corrections"))
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--to", dest="target", help="for activate: a version number, or 'base'")
        parser.add_argument("--no-reanalyze", action="store_true",
                            help="do not relabel the workspace's latest items afterwards")

    def handle(self, *args, action: str, workspace: str, target: str | None, no_reanalyze: bool, **_):
        from inhouse.pipeline import learning
        from inhouse.pipeline.models import Correction, WorkspaceModel

        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"no workspace with slug {workspace!r}")
        try:
            if action == "retrain":
                model = learning.retrain(ws)
                self.stdout.write(f"v{model.version} active: {model.corrections} corrections, {model.metrics}")
            elif action == "activate":
                if target is None:
                    raise CommandError("activate needs --to N (a version number) or --to base")
                if target != "base" and not target.isdigit():
                    raise CommandError(f"--to {target!r}: a version number or 'base'")
                learning.activate(ws, None if target == "base" else int(target))
                self.stdout.write(f"active: {target}")
            elif action == "corrections":
                for c in Correction.objects.filter(workspace=ws).select_related("by").order_by("at"):
                    self.stdout.write(f"{c.at:%Y-%m-%d %H:%M} {c.by.username if c.by else 'system'} "
                                      f"item {c.item_id} {c.field}: {c.before or '-'} -> {c.after}")
                return
            for m in WorkspaceModel.objects.filter(workspace=ws):
                self.stdout.write(f"v{m.version}{' *' if m.active else ''} {m.created_at:%Y-%m-%d %H:%M} "
                                  f"{m.corrections} corrections {m.metrics}")
            if action == "list":
                return
        except learning.LearningError as exc:
            raise CommandError(str(exc)) from exc
        if not no_reanalyze:
            self.stdout.write(f"relabelled {learning.reanalyze(ws)} items")
