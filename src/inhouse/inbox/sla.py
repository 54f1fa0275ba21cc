"""Service-level targets: how long a customer may wait for a first answer, per intent.

Complaints come first. An intent missing from the table (praise, chatter, spam) has no
clock: the conversation is listed, never overdue. A deployment overrides any entry with the
Django setting ``INBOX_SLA_MINUTES`` (a dict of intent → minutes, or None for no clock);
see docs/inbox.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULT_SLA_MINUTES: dict[str, int | None] = {
    "complaint": 60,
    "consultation": 120,
    "cooperation": 24 * 60,
    "praise": None,
    "other": None,
    "spam": None,
}

# Which intent names the conversation when its items disagree: the most urgent wins.
PRIORITY = ("complaint", "consultation", "cooperation", "praise", "other", "spam", "")


def sla_minutes(intent: str) -> int | None:
    table = {**DEFAULT_SLA_MINUTES, **getattr(settings, "INBOX_SLA_MINUTES", {})}
    return table.get(intent)


def due_at(intent: str, waiting_since: dt.datetime | None) -> dt.datetime | None:
    minutes = sla_minutes(intent)
    if waiting_since is None or minutes is None:
        return None
    return waiting_since + dt.timedelta(minutes=minutes)


def more_urgent(a: str, b: str) -> str:
    """The more urgent of two intents (unknown names rank last)."""
    rank = {name: i for i, name in enumerate(PRIORITY)}
    return a if rank.get(a, len(PRIORITY)) <= rank.get(b, len(PRIORITY)) else b
