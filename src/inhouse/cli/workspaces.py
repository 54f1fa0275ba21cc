"""Helpers the commands share."""

from __future__ import annotations

from django.core.management.base import CommandError

from inhouse.core.models import Workspace


def get_workspace(slug: str | None) -> Workspace:
    if slug:
        try:
            return Workspace.objects.get(slug=slug)
        except Workspace.DoesNotExist:
            known = ", ".join(Workspace.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no workspace {slug!r} (known: {known})") from None
    workspaces = list(Workspace.objects.all()[:2])
    if len(workspaces) == 1:
        return workspaces[0]
    if not workspaces:
        raise CommandError("no workspace exists yet: run `inhouse demo load` or create one")
    raise CommandError("several workspaces exist: name one with --workspace SLUG")
