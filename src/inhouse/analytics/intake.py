"""Route's hand-off to analytics: refresh the daily roll-ups of the days a batch touched.

Contract (pipeline.route): ``intake(items) -> int`` returns how many days were recomputed.
Idempotent: a roll-up is recomputed from the stored items of its day, never incremented. A
day recomputed less than ``INHOUSE_ROLLUP_MIN_SECONDS`` ago is marked stale instead and beat
recomputes it (``analytics.refresh_stale``), so dashboards lag a busy day by about that long.
"""

from __future__ import annotations

from django.conf import settings

from inhouse.analytics.rollup import days_touched, refresh_touched
from inhouse.core.models import Item, Workspace


def intake(items: list[Item]) -> int:
    touched = days_touched(items)
    workspaces = Workspace.objects.in_bulk(list(touched))
    return sum(refresh_touched(workspaces[workspace_id], days, settings.ROLLUP_MIN_SECONDS)
               for workspace_id, days in touched.items())
