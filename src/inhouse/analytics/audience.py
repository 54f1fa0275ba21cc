"""Audience figures other windows ask for (the campaign report): new fans over dates, and the
share of likely target customers among a set of items' authors."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from inhouse.analytics.fanscore import LIKELY_BOT, LIKELY_TARGET
from inhouse.analytics.kpis import fans_at
from inhouse.analytics.models import FanScore
from inhouse.core.models import Item, Workspace


def new_fans(workspace: Workspace, start: dt.date, end: dt.date) -> int | None:
    """Followers gained from the day before ``start`` to ``end`` (snapshots), None when the
    snapshots do not cover both ends."""
    before, after = fans_at(workspace, start - dt.timedelta(days=1)), fans_at(workspace, end)
    return after - before if before is not None and after is not None else None


def target_share(workspace: Workspace, items: QuerySet[Item]) -> float | None:
    """Per cent of the items' scored authors who are likely target customers (and not likely
    bots); None when none of them has been scored yet."""
    authors = items.exclude(author__isnull=True).values("author_id").distinct()
    scores = FanScore.objects.filter(workspace=workspace, author_id__in=authors)
    scored = scores.count()
    if not scored:
        return None
    likely = scores.filter(target_score__gte=LIKELY_TARGET, bot_score__lt=LIKELY_BOT).count()
    return 100.0 * likely / scored
