"""Read-only figures of the partner radar for other pages (the home page's partner panel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from inhouse.core.models import Workspace
from inhouse.partners.models import CardState, Opportunity

OPEN_STATES = (CardState.NEW, CardState.CONTACTED, CardState.IN_PROGRESS)


@dataclass
class Radar:
    new: int  # cards nobody has moved yet
    open: int  # new, contacted or in progress
    unread_mine: int  # the user's in-desk notifications
    latest: list[Opportunity]  # the three most recent open cards


def radar(workspace: Workspace, user: AbstractBaseUser, since: dt.datetime | None = None) -> Radar:
    cards = Opportunity.objects.filter(workspace=workspace, state__in=OPEN_STATES)
    if since is not None:
        cards = cards.filter(last_at__gte=since)
    counts = cards.aggregate(open=Count("id"), new=Count("id", filter=Q(state=CardState.NEW)))
    return Radar(
        new=counts["new"], open=counts["open"],
        unread_mine=Opportunity.objects.filter(workspace=workspace, owner=user, seen_at__isnull=True).count(),
        latest=list(cards.select_related("contact", "author", "owner").order_by("-last_at")[:3]))
