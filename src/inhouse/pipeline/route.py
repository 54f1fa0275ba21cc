"""Route stage: hand analysed items to each window's intake.

Contract: a window that wants items declares ``intake(items: list[Item]) -> int`` in its
``intake.py`` module; ``route_items`` calls each in the order of INSTALLED_APPS with the
same analysed items and returns how many each took. Intakes must be idempotent (a batch may
be routed again after a crash) and must not call back into the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import import_module

from django.apps import apps

from inhouse.core.models import Item, Workspace

Intake = Callable[[list[Item]], int]


@lru_cache(maxsize=1)
def intakes() -> tuple[tuple[str, Intake], ...]:
    found: list[tuple[str, Intake]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("inhouse."):
            continue
        try:
            module = import_module(f"{config.name}.intake")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.intake":
                raise
            continue
        found.append((config.label, module.intake))
    return tuple(found)


def route_items(item_ids: Sequence[int], registry: Sequence[tuple[str, Intake]] | None = None) -> dict[str, int]:
    items = list(
        Item.objects.filter(id__in=item_ids, analyzed_at__isnull=False)
        .select_related("author")
        .order_by("created_at", "id")
    )
    # One Workspace object per workspace, not one per row (a batch is one workspace).
    workspaces = Workspace.objects.in_bulk({item.workspace_id for item in items})
    field = Item._meta.get_field("workspace")
    for item in items:
        field.set_cached_value(item, workspaces[item.workspace_id])
    taken: dict[str, int] = {}
    for label, intake in (intakes() if registry is None else registry):
        taken[label] = intake(items)
    return taken
