"""The week and month grids of scheduled and published posts (plain data for the template)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from inhouse.content.models import Draft, State
from inhouse.core.models import Workspace


@dataclass
class Day:
    date: dt.date
    in_range: bool  # a month grid shows the neighbouring months' days greyed
    drafts: list[Draft] = field(default_factory=list)


def span(view: str, anchor: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first shown day, last shown day, previous anchor, next anchor); weeks start on Monday."""
    if view == "month":
        first = anchor.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        start = first - dt.timedelta(days=first.weekday())
        last = following - dt.timedelta(days=1)
        end = last + dt.timedelta(days=6 - last.weekday())
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return start, end, previous, following
    start = anchor - dt.timedelta(days=anchor.weekday())
    return start, start + dt.timedelta(days=6), start - dt.timedelta(days=7), start + dt.timedelta(days=7)


def grid(workspace: Workspace, view: str, anchor: dt.date) -> tuple[list[list[Day]], dt.date, dt.date]:
    """Weeks of days with their posts; plus the previous and next anchors."""
    start, end, previous, following = span(view, anchor)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    drafts = (Draft.objects.filter(workspace=workspace)
              .filter(Q(state=State.SCHEDULED, scheduled_for__gte=lo, scheduled_for__lt=hi)
                      | Q(state=State.PUBLISHED, published_at__gte=lo, published_at__lt=hi))
              .select_related("write"))
    days = {start + dt.timedelta(days=i): Day(start + dt.timedelta(days=i),
                                              view != "month" or (start + dt.timedelta(days=i)).month == anchor.month)
            for i in range((end - start).days + 1)}
    for draft in drafts:
        when = draft.published_at if draft.state == State.PUBLISHED else draft.scheduled_for
        days[timezone.localtime(when, tz).date()].drafts.append(draft)
    for day in days.values():
        day.drafts.sort(key=lambda d: d.published_at if d.state == State.PUBLISHED else d.scheduled_for)
    ordered = list(days.values())
    return [ordered[i:i + 7] for i in range(0, len(ordered), 7)], previous, following
