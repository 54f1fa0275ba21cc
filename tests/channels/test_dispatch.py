"""send_alert, deliver_pending and escalation, with time passed in (nothing sleeps)."""

from __future__ import annotations

import datetime as dt

from inhouse.alerts import Message
from inhouse.channels import dispatch
from inhouse.channels.dispatch import (
    acknowledge,
    deliver_pending,
    escalate_unacknowledged,
    send_alert,
)
from inhouse.channels.models import Channel, Delivery, DeliveryStatus
from tests.channels.conftest import OK, T0, ScriptedBot

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOMKEY"
FEISHU = "https://open.feishu.cn/open-apis/bot/v2/hook/FEISHUHOOK"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=DINGTOKEN"


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_an_alert_is_queued_once_per_enabled_channel(workspace, add, alert):
    pr = add("wecom", "PR group", url=WECOM)
    ops = add("feishu", "Ops", url=FEISHU)
    off = add("dingtalk", "Old group", url=DINGTALK)
    Channel.objects.filter(pk=off.pk).update(enabled=False)
    created = send_alert(workspace, alert, "alert:1", now=T0)
    assert {d.channel_id for d in created} == {pr.pk, ops.pk}
    assert all(d.status == DeliveryStatus.PENDING and d.next_attempt_at == T0 for d in created)


def test_the_same_key_within_the_window_is_not_sent_again(workspace, add, alert):
    add("wecom", "PR group", url=WECOM)
    assert len(send_alert(workspace, alert, "alert:1", now=T0)) == 1
    assert send_alert(workspace, alert, "alert:1", now=minutes(29)) == []
    assert len(send_alert(workspace, alert, "alert:2", now=minutes(29))) == 1
    assert len(send_alert(workspace, alert, "alert:1", now=minutes(31))) == 1


def test_delivery_sends_the_body_and_records_success(workspace, add, alert, bot):
    channel = add("wecom", "PR group", url=WECOM)
    send_alert(workspace, alert, "alert:1", now=T0)
    report = deliver_pending(now=T0, client=bot.client)
    assert report.sent == 1
    assert bot.bodies()[0]["markdown"]["content"].startswith("## 负面声量突增")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.sent_at, delivery.attempts) == ("sent", T0, 1)
    channel.refresh_from_db()
    assert channel.last_success_at == T0


def test_wecom_is_held_to_20_a_minute_and_the_rest_wait_their_turn(workspace, add, bot):
    add("wecom", "PR group", url=WECOM)
    for i in range(25):
        send_alert(workspace, Message(f"alert {i}", "x"), f"alert:{i}", now=T0)
    report = deliver_pending(now=T0, client=bot.client)
    assert (report.sent, report.throttled) == (20, 5)
    waiting = Delivery.objects.filter(status="pending")
    assert {d.next_attempt_at for d in waiting} == {T0 + dt.timedelta(seconds=60)}
    assert deliver_pending(now=T0 + dt.timedelta(seconds=59), client=bot.client).sent == 0
    assert deliver_pending(now=T0 + dt.timedelta(seconds=60), client=bot.client).sent == 5
    assert len(bot.requests) == 25


def test_feishu_is_held_to_5_a_second(workspace, add):
    bot = ScriptedBot({"code": 0, "msg": "success"})
    add("feishu", "Ops", url=FEISHU)
    for i in range(7):
        send_alert(workspace, Message(f"alert {i}", "x"), f"alert:{i}", now=T0)
    assert deliver_pending(now=T0, client=bot.client).sent == 5
    assert deliver_pending(now=T0 + dt.timedelta(seconds=1), client=bot.client).sent == 2


def test_a_rate_limited_send_is_retried_after_the_wait_then_succeeds(workspace, add, alert):
    bot = ScriptedBot({"errcode": 45009, "errmsg": "api freq out of limit"}, OK)
    channel = add("wecom", "PR group", url=WECOM)
    send_alert(workspace, alert, "alert:1", now=T0)
    report = deliver_pending(now=T0, client=bot.client)
    assert report.retrying == 1
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.next_attempt_at == T0 + dt.timedelta(seconds=60)
    channel.refresh_from_db()
    assert "45009" in channel.last_error and channel.enabled  # visible, not switched off
    assert deliver_pending(now=T0 + dt.timedelta(seconds=30), client=bot.client).sent == 0
    assert deliver_pending(now=T0 + dt.timedelta(seconds=60), client=bot.client).sent == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")


def test_dingtalk_throttling_waits_the_ten_minutes_it_asks(workspace, add, alert):
    bot = ScriptedBot({"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
    add("dingtalk", "Sales", url=DINGTALK)
    send_alert(workspace, alert, "alert:1", now=T0)
    deliver_pending(now=T0, client=bot.client)
    assert Delivery.objects.get().next_attempt_at == minutes(10)


def test_a_permanent_error_switches_the_channel_off_and_says_why(workspace, add, alert):
    bot = ScriptedBot({"errcode": 93000, "errmsg": "invalid webhook url"})
    channel = add("wecom", "PR group", url=WECOM)
    send_alert(workspace, alert, "alert:1", now=T0)
    send_alert(workspace, Message("second", "x"), "alert:2", now=T0)
    report = deliver_pending(now=T0, client=bot.client, limit=1)
    assert report.disabled == ["PR group"]
    channel.refresh_from_db()
    assert not channel.enabled
    assert "93000" in channel.disabled_reason and "paste the robot's URL again" in channel.disabled_reason
    assert "WECOMKEY" not in channel.disabled_reason
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["cancelled", "failed"]
    # Nothing more goes to a switched-off channel, and new alerts skip it.
    assert deliver_pending(now=minutes(5), client=bot.client).sent == 0
    assert send_alert(workspace, alert, "alert:3", now=minutes(5)) == []
    assert len(bot.requests) == 1


def test_retries_stop_after_the_last_attempt_and_the_failure_stays_visible(workspace, add, alert):
    bot = ScriptedBot({"errcode": 45009, "errmsg": "api freq out of limit"})
    channel = add("wecom", "PR group", url=WECOM)
    send_alert(workspace, alert, "alert:1", now=T0)
    now = T0
    for _ in range(dispatch.MAX_ATTEMPTS):
        deliver_pending(now=now, client=bot.client)
        now = Delivery.objects.get().next_attempt_at
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "gave up after 8 attempts" in delivery.error
    channel.refresh_from_db()
    assert channel.enabled and "gave up" in channel.last_error


def test_backoff_grows_and_is_capped():
    assert [dispatch.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]


def test_an_unacknowledged_alert_escalates_to_the_next_channel_and_person(workspace, add, alert):
    bot = ScriptedBot(OK)
    add("wecom", "PR group", url=WECOM, escalation=[
        {"after_minutes": 10, "channel": "Duty", "mentions": ["13800000001"]},
        {"after_minutes": 30, "mentions": "@all"},
    ])
    add("dingtalk", "Duty", url=DINGTALK)
    send_alert(workspace, alert, "alert:1", now=T0)
    deliver_pending(now=T0, client=bot.client)
    assert escalate_unacknowledged(now=minutes(9)) == []
    (first,) = escalate_unacknowledged(now=minutes(10))
    assert first.channel.name == "Duty" and first.escalation_step == 1
    assert first.alert.title.startswith("[升级 escalated]")
    assert "13800000001" in first.alert.mentions
    assert escalate_unacknowledged(now=minutes(11)) == []  # each step once
    deliver_pending(now=minutes(11), client=bot.client)
    sent_to_duty = bot.bodies()[-1]
    assert sent_to_duty["at"]["atMobiles"] == ["13800000001"]
    (second,) = escalate_unacknowledged(now=minutes(30))
    assert second.channel.name == "PR group" and "@all" in second.alert.mentions


def test_an_acknowledged_alert_does_not_escalate(workspace, add, alert):
    add("wecom", "PR group", url=WECOM, escalation=[{"after_minutes": 10}])
    send_alert(workspace, alert, "alert:1", now=T0)
    assert acknowledge(workspace, "alert:1", now=minutes(3)) == 1
    assert escalate_unacknowledged(now=minutes(60)) == []


def test_an_escalation_to_a_missing_channel_is_recorded_as_failed(workspace, add, alert):
    add("wecom", "PR group", url=WECOM, escalation=[{"after_minutes": 5, "channel": "Gone"}])
    send_alert(workspace, alert, "alert:1", now=T0)
    (step,) = escalate_unacknowledged(now=minutes(5))
    assert step.status == "failed" and "'Gone' does not exist" in step.error


def test_a_failed_first_delivery_still_escalates(workspace, add, alert):
    bot = ScriptedBot({"errcode": 93000, "errmsg": "invalid webhook url"}, OK)
    add("wecom", "PR group", url=WECOM, escalation=[{"after_minutes": 5, "channel": "Duty"}])
    add("dingtalk", "Duty", url=DINGTALK)
    send_alert(workspace, alert, "alert:1", now=T0)
    deliver_pending(now=T0, client=bot.client)
    (step,) = escalate_unacknowledged(now=minutes(5))
    assert step.channel.name == "Duty" and step.status == "pending"
