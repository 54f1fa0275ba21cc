"""SLA breach alerts: when a conversation waits past its SLA, the team hears it once.

Beat runs ``inbox.alert_sla_breaches`` every minute (tasks.py). A breach is one
(conversation, due time) pair: the conversation's ``sla_alerted_due`` remembers the due time
already alerted, so a second run, a second worker or a restart sends nothing more; a
conversation answered and reopened by the customer gets a new due time, hence a new alert.
Alerts go out through the channels app's public ``send_alert`` (WeCom, DingTalk, Feishu,
e-mail, webhook), with the breach as the de-duplication key.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inhouse.inbox.models import Conversation, ConversationEvent, EventKind
from inhouse.inbox.queries import overdue_q

# Breaches older than this are not announced (a restored backup or a first run over old data
# must not flood the channels); they are still marked, and the list still shows them overdue.
ANNOUNCE_WITHIN = dt.timedelta(days=1)
BATCH = 200


def breach_key(conversation: Conversation) -> str:
    return f"inbox-sla:{conversation.pk}:{conversation.sla_due_at:%Y%m%dT%H%M%S}"


def _message(conversation: Conversation, now: dt.datetime):
    from inhouse.alerts.base import Message

    late = int((now - conversation.sla_due_at).total_seconds() // 60)
    who = conversation.customer.screen_name if conversation.customer else "?"
    severity = "critical" if conversation.intent == "complaint" else "warning"
    return Message(
        title=_("Customer waiting past the SLA: %(who)s (%(intent)s)") % {
            "who": who, "intent": conversation.get_intent_display() or conversation.intent},
        text=_("%(preview)s — waiting since %(since)s, %(late)d min past the SLA") % {
            "preview": conversation.preview[:80],
            "since": timezone.localtime(conversation.waiting_since).strftime("%Y-%m-%d %H:%M"),
            "late": late},
        severity=severity,
        url=f"/inbox/{conversation.pk}/",
    )


def alert_breaches(now: dt.datetime | None = None) -> int:
    """Alert every open conversation whose SLA passed and was not alerted for this due time.
    Returns how many breaches were announced."""
    from inhouse.channels.dispatch import send_alert

    now = now or timezone.now()
    # Not yet alerted for the current due time (None, or an earlier breach's due time).
    candidates = (Conversation.objects.filter(overdue_q(now))
                  .filter(Q(sla_alerted_due__isnull=True) | ~Q(sla_alerted_due=F("sla_due_at")))
                  .select_related("customer", "workspace").order_by("sla_due_at")[:BATCH])
    announced = 0
    for conversation in candidates:
        with transaction.atomic():
            # Claim the breach: only the worker whose update lands announces it.
            claimed = Conversation.objects.filter(
                pk=conversation.pk, sla_due_at=conversation.sla_due_at,
            ).exclude(sla_alerted_due=conversation.sla_due_at).update(
                sla_alerted_due=conversation.sla_due_at)
            if not claimed:
                continue
            ConversationEvent.objects.create(
                conversation=conversation, kind=EventKind.SLA_BREACHED, at=conversation.sla_due_at,
                detail={"due": conversation.sla_due_at.isoformat()})
            if now - conversation.sla_due_at <= ANNOUNCE_WITHIN:
                key = breach_key(conversation)
                message = _message(conversation, now)
                transaction.on_commit(lambda c=conversation, m=message, k=key: send_alert(
                    c.workspace, m, k, now=now))
                announced += 1
    return announced
