"""Route's hand-off to analytics: recompute the daily roll-ups of the days a batch touched.

Contract (pipeline.route): ``intake(items) -> int`` returns how many days were refreshed.
Idempotent: a roll-up is recomputed from the stored items of its day, never incremented.
"""

from __future__ import annotations

from inhouse.analytics.rollup import days_touched, refresh_day
from inhouse.core.models import Item, Workspace


def intake(items: list[Item]) -> int:
    touched = days_touched(items)
    workspaces = Workspace.objects.in_bulk(list(touched))
    n = 0
    for workspace_id, days in touched.items():
        for day in sorted(days):
            refresh_day(workspaces[workspace_id], day)
            n += 1
    return n
