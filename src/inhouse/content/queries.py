"""Read-only figures of the content window for other pages (the home page's panel)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inhouse.content.models import Draft, State
from inhouse.core.models import Workspace


def scheduled_today(workspace: Workspace) -> list[Draft]:
    """Posts scheduled for the rest of today (local time), earliest first."""
    now = timezone.localtime()
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return list(Draft.objects.filter(workspace=workspace, state=State.SCHEDULED,
                                     scheduled_for__lt=midnight,
                                     scheduled_for__gte=now.replace(hour=0, minute=0, second=0,
                                                                    microsecond=0))
                .order_by("scheduled_for"))


def waiting_for_review(workspace: Workspace) -> int:
    return Draft.objects.filter(workspace=workspace, state=State.IN_REVIEW).count()
