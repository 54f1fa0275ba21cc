"""Read-only queries of the inbox, for its pages and for the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from inhouse.core.models import Author, Item, Workspace
from inhouse.inbox.models import OPEN_STATES, Conversation, ConversationKind, Escalation


def conversations(workspace: Workspace, *, state: str = "", intent: str = "",
                  sentiment: str = "", overdue: bool = False, hide_messages: bool = False,
                  now: dt.datetime | None = None) -> QuerySet[Conversation]:
    """Conversations for the inbox list, most urgent first: overdue clocks, then the
    soonest due, then the newest words. ``state`` "open" means new, assigned or waiting."""
    found = Conversation.objects.filter(workspace=workspace).select_related("customer", "assignee")
    if state == "open":
        found = found.filter(state__in=OPEN_STATES)
    elif state:
        found = found.filter(state=state)
    if intent:
        found = found.filter(intent=intent)
    if sentiment:
        found = found.filter(sentiment=sentiment)
    if overdue:
        found = found.filter(overdue_q(now))
    if hide_messages:
        found = found.exclude(kind=ConversationKind.MESSAGE)
    return found.order_by("sla_due_at", "-last_customer_at", "-id")


def overdue_q(now: dt.datetime | None = None) -> Q:
    return Q(state__in=OPEN_STATES, sla_due_at__lt=now or timezone.now())


def counts_by_state(workspace: Workspace, *, hide_messages: bool = False) -> dict[str, int]:
    """Open conversations by state, and how many are overdue. Answered and closed ones are the
    bulk of a large inbox and the page shows no live count of them, so they are not counted."""
    found = Conversation.objects.filter(workspace=workspace, state__in=OPEN_STATES)
    if hide_messages:
        found = found.exclude(kind=ConversationKind.MESSAGE)
    counts = dict(found.values_list("state").annotate(n=Count("id")).order_by())
    counts["overdue"] = found.filter(overdue_q()).count()
    return counts


def waiting_summary(workspace: Workspace, now: dt.datetime | None = None) -> dict[str, Any]:
    """Open consultations waiting for the team, and how long the oldest has waited (for the
    home page): ``{"count": int, "oldest_age": timedelta | None}``."""
    now = now or timezone.now()
    figures = Conversation.objects.filter(
        workspace=workspace, intent="consultation", state__in=OPEN_STATES,
    ).aggregate(count=Count("id"), oldest=Min("waiting_since"))
    oldest = figures["oldest"]
    return {"count": figures["count"], "oldest_age": now - oldest if oldest else None}


def expert_tasks(workspace: Workspace, expert: AbstractBaseUser,
                 open_only: bool = True) -> QuerySet[Escalation]:
    found = (Escalation.objects.filter(conversation__workspace=workspace, expert=expert)
             .select_related("conversation", "conversation__customer", "asked_by"))
    if open_only:
        found = found.filter(answered_at__isnull=True)
    return found.order_by("answered_at", "asked_at")


def is_experts_conversation(conversation: Conversation, user: AbstractBaseUser) -> bool:
    return conversation.escalations.filter(expert=user).exists()


def conversation_items(conversation: Conversation) -> QuerySet[Item]:
    return (Item.objects.filter(conversation_link__conversation=conversation)
            .select_related("author", "conversation_link").order_by("created_at", "id"))


def customer_items(workspace: Workspace, customer: Author, *, hide_messages: bool = False,
                   limit: int = 200) -> QuerySet[Item]:
    """Everything the customer wrote that the workspace holds, newest first."""
    found = Item.objects.filter(workspace=workspace, author=customer)
    if hide_messages:
        found = found.exclude(kind="message")
    return found.order_by("-created_at", "-id")[:limit]


def sentiment_by_day(workspace: Workspace, customer: Author) -> list[dict[str, Any]]:
    """Per day: how many positive, neutral and negative items the customer wrote."""
    from django.db.models.functions import TruncDate

    rows = (Item.objects.filter(workspace=workspace, author=customer)
            .annotate(day=TruncDate("created_at")).values("day", "sentiment")
            .annotate(n=Count("id")).order_by("day"))
    days: dict[dt.date, dict[str, Any]] = {}
    for row in rows:
        day = days.setdefault(row["day"], {"day": row["day"], "positive": 0, "neutral": 0,
                                           "negative": 0})
        if row["sentiment"] in ("positive", "neutral", "negative"):
            day[row["sentiment"]] += row["n"]
    return list(days.values())


# Followers above which a customer is worth a second look (reach), and the Weibo verified
# types of organisations (blue V) who are partners or peers rather than customers.
REACH_FOLLOWERS = 10_000
_ORG_TYPES = range(1, 8)


def likely_target_customer(customer: Author, conversations_count: int) -> bool:
    """A rough guess: a person (not an organisation), with a real-looking account, who has
    asked or bought before. Zombie-fan scoring belongs to analytics; this is the inbox's hint."""
    if customer.verified_type in _ORG_TYPES:
        return False
    looks_real = (customer.statuses_count or 0) > 5 or (customer.followers_count or 0) > 20
    return looks_real and conversations_count >= 1
