"""The communication cost of consultations, per week (issue 7's "cost made visible").

Per ISO week of arrival: how many consultations came, hand-offs to experts per
consultation, the median time to the first official answer, how long experts kept
customers waiting, and the share answered straight from the knowledge base (a reply citing
an entry, with no expert asked).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.utils import timezone

from inhouse.core.models import Workspace
from inhouse.inbox.models import Conversation, ConversationEvent, Escalation, EventKind


@dataclass
class Week:
    start: dt.date
    consultations: int = 0
    handoffs: int = 0
    answered: int = 0
    from_knowledge: int = 0
    median_first_answer: dt.timedelta | None = None
    median_expert_wait: dt.timedelta | None = None

    @property
    def handoffs_per_consultation(self) -> float:
        return self.handoffs / self.consultations if self.consultations else 0.0

    @property
    def knowledge_share(self) -> float | None:
        return self.from_knowledge / self.answered if self.answered else None


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    return dt.timedelta(seconds=statistics.median(v.total_seconds() for v in values)) if values else None


def communication_cost(workspace: Workspace, weeks: int = 4,
                       now: dt.datetime | None = None) -> list[Week]:
    now = now or timezone.now()
    since = now - dt.timedelta(weeks=weeks)
    rows = list(Conversation.objects.filter(workspace=workspace, intent="consultation",
                                            opened_at__gte=since)
                .values_list("pk", "opened_at", "first_response_at"))
    ids = [pk for pk, _, _ in rows]
    escalations: dict[int, list[dt.timedelta]] = {}
    for conv_id, asked, answered in Escalation.objects.filter(conversation_id__in=ids).values_list(
            "conversation_id", "asked_at", "answered_at"):
        escalations.setdefault(conv_id, []).append((answered or now) - asked)
    cited = set(ConversationEvent.objects.filter(
        conversation_id__in=ids, kind=EventKind.REPLY_QUEUED, detail__kb_entry__isnull=False)
        .values_list("conversation_id", flat=True))
    by_week: dict[dt.date, tuple[Week, list, list]] = {}
    for pk, opened, first in rows:
        local = timezone.localtime(opened).date()
        start = local - dt.timedelta(days=local.weekday())
        week, firsts, waits = by_week.setdefault(start, (Week(start), [], []))
        week.consultations += 1
        week.handoffs += len(escalations.get(pk, []))
        waits.extend(escalations.get(pk, []))
        if first is not None:
            week.answered += 1
            firsts.append(first - opened)
            if pk in cited and pk not in escalations:
                week.from_knowledge += 1
    out = []
    for start in sorted(by_week):
        week, firsts, waits = by_week[start]
        week.median_first_answer, week.median_expert_wait = _median(firsts), _median(waits)
        out.append(week)
    return out
