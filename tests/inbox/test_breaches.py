"""SLA breach alerts: one alert per breach through the channels, on the beat task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.channels import actions as channel_actions
from inhouse.channels.models import Delivery
from inhouse.inbox.breaches import alert_breaches
from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation
from inhouse.inbox.tasks import alert_sla_breaches_task
from inhouse.pipeline.route import route_items
from tests.inbox import factories as f

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOMKEY"


@pytest.fixture
def channel(workspace, cast):
    return channel_actions.add_channel(workspace, cast["owner"], kind="wecom", name="CS group",
                                       values={"url": WECOM})


def waiting(workspace, uid: str, intent: str, minutes_ago: float) -> Conversation:
    made = f.item(workspace, "message", 0, "几号发货？", by=f.author(uid), intent=intent,
                  root_platform_id=f"dm-{uid}")
    made.created_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    made.save()
    route_items([made.pk], registry=[("inbox", intake)])
    return Conversation.objects.get(customer__uid=uid)


def test_a_breach_is_alerted_once_and_only_past_the_sla(workspace, cast, channel,
                                                       django_capture_on_commit_callbacks):
    f.official(workspace)
    late = waiting(workspace, "1001", "complaint", 90)  # 60-minute clock: breached
    waiting(workspace, "1002", "consultation", 90)  # 120-minute clock: not yet
    waiting(workspace, "1003", "praise", 900)  # no clock
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_breaches() == 1
    delivery = Delivery.objects.get()
    assert delivery.channel == channel
    assert delivery.dedupe_key.startswith(f"inbox-sla:{late.pk}:")
    assert delivery.message["severity"] == "critical"
    assert delivery.message["url"] == f"/inbox/{late.pk}/"
    assert "用户1001" in delivery.message["title"]
    assert late.events.filter(kind="sla_breached").count() == 1
    # The next beat runs (even hours later, past the channels' de-duplication window) do not
    # repeat it; by then only the consultation has breached too.
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_breaches() == 0
        assert alert_breaches(now=timezone.now() + dt.timedelta(hours=2)) == 1
    keys = list(Delivery.objects.values_list("dedupe_key", flat=True))
    assert sum(k.startswith(f"inbox-sla:{late.pk}:") for k in keys) == 1 and len(keys) == 2


def test_a_reopened_conversation_breaching_again_is_a_new_alert(workspace, cast, channel,
                                                                django_capture_on_commit_callbacks):
    f.official(workspace)
    conversation = waiting(workspace, "1001", "complaint", 90)
    with django_capture_on_commit_callbacks(execute=True):
        alert_breaches()
    # Answered, then the customer wrote again and waited past the clock once more.
    conversation.refresh_from_db()
    conversation.waiting_since = timezone.now() - dt.timedelta(minutes=70)
    conversation.sla_due_at = conversation.waiting_since + dt.timedelta(minutes=60)
    conversation.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_sla_breaches_task() == 1
    assert Delivery.objects.count() == 2
    assert conversation.events.filter(kind="sla_breached").count() == 2


def test_closed_or_answered_conversations_raise_nothing(workspace, cast, channel,
                                                        django_capture_on_commit_callbacks):
    from inhouse.inbox import actions

    f.official(workspace)
    conversation = waiting(workspace, "1001", "complaint", 90)
    actions.close(conversation, by=cast["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_breaches() == 0
    assert not Delivery.objects.exists()


def test_old_breaches_are_marked_but_not_announced(workspace, cast, channel,
                                                   django_capture_on_commit_callbacks):
    f.official(workspace)
    conversation = waiting(workspace, "1001", "complaint", 3 * 24 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_breaches() == 0
    conversation.refresh_from_db()
    assert conversation.sla_alerted_due == conversation.sla_due_at
    assert not Delivery.objects.exists()
