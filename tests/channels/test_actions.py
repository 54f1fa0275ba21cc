"""Channel actions: only the owner manages channels; secrets encrypted and never audited."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inhouse.access.models import AuditEntry
from inhouse.channels import actions
from inhouse.channels.dispatch import send_alert
from inhouse.channels.models import Channel, Delivery
from tests.channels.conftest import T0, ScriptedBot, clock_of

URL = "https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN"
SIGN = "SECsigningsecret"


def add_dingtalk(workspace, user, name="Sales"):
    return actions.add_channel(workspace, user, kind="dingtalk", name=name,
                               values={"url": URL, "secret": SIGN, "keyword": "inhouse"})


def test_owner_adds_a_channel_with_its_secrets_encrypted(workspace, cast):
    channel = add_dingtalk(workspace, cast["owner"])
    stored = Channel.objects.get(pk=channel.pk)
    assert stored.config == {"keyword": "inhouse", "escalation": []}
    assert stored.secrets == {"url": URL, "secret": SIGN}
    assert "SECRETTOKEN" not in stored.secrets_encrypted and SIGN not in stored.secrets_encrypted
    entry = AuditEntry.objects.get(action="channel.add")
    assert entry.actor == cast["owner"] and entry.target == f"channel:{channel.pk}"
    assert entry.after["secrets_set"] == ["secret", "url"]
    dumped = json.dumps([entry.before, entry.after])
    assert "SECRETTOKEN" not in dumped and SIGN not in dumped


@pytest.mark.parametrize("role", ["operator", "expert", "agency", "viewer"])
def test_only_the_owner_manages_channels(workspace, cast, role):
    with pytest.raises(PermissionDenied):
        add_dingtalk(workspace, cast[role])
    channel = add_dingtalk(workspace, cast["owner"], name=f"owned-{role}")
    for attempt in (
        lambda: actions.update_channel(workspace, cast[role], channel, name="x"),
        lambda: actions.disable_channel(workspace, cast[role], channel),
        lambda: actions.send_test(workspace, cast[role], channel),
        lambda: actions.remove_channel(workspace, cast[role], channel),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not AuditEntry.objects.filter(actor=cast[role]).exists()


def test_missing_required_fields_and_unknown_kinds_are_refused(workspace, cast):
    with pytest.raises(ValidationError, match="url"):
        actions.add_channel(workspace, cast["owner"], kind="wecom", name="x", values={})
    with pytest.raises(ValidationError, match="unknown channel kind"):
        actions.add_channel(workspace, cast["owner"], kind="pager", name="x", values={})
    with pytest.raises(ValidationError, match="after_minutes"):
        actions.add_channel(workspace, cast["owner"], kind="wecom", name="x",
                            values={"url": URL}, escalation=[{"after_minutes": 0}])


def test_a_blank_secret_on_update_keeps_the_stored_one(workspace, cast):
    channel = add_dingtalk(workspace, cast["owner"])
    actions.update_channel(workspace, cast["owner"], channel,
                           values={"url": "", "secret": "", "keyword": "告警"})
    channel.refresh_from_db()
    assert channel.secrets == {"url": URL, "secret": SIGN}
    assert channel.config["keyword"] == "告警"
    entry = AuditEntry.objects.get(action="channel.update")
    assert entry.before["config"]["keyword"] == "inhouse" and entry.after["config"]["keyword"] == "告警"


def test_enabling_clears_the_reason_and_disabling_cancels_the_queue(workspace, cast, alert):
    channel = add_dingtalk(workspace, cast["owner"])
    send_alert(workspace, alert, "alert:1", now=T0)
    actions.disable_channel(workspace, cast["owner"], channel, reason="holiday")
    channel.refresh_from_db()
    assert (channel.enabled, channel.disabled_reason) == (False, "holiday")
    assert Delivery.objects.get().status == "cancelled"
    actions.enable_channel(workspace, cast["owner"], channel)
    channel.refresh_from_db()
    assert channel.enabled and channel.disabled_reason == ""
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "channel.add", "channel.disable", "channel.update"]


def test_send_test_reports_success_and_failure_and_is_audited(workspace, cast):
    channel = add_dingtalk(workspace, cast["owner"])
    ok, detail = actions.send_test(workspace, cast["owner"], channel, now=T0,
                                   client=ScriptedBot().client, clock=clock_of(T0))
    assert (ok, detail) == (True, "sent")
    assert channel.last_success_at == T0
    bad = ScriptedBot({"errcode": 310000, "errmsg": "sign not match"})
    ok, detail = actions.send_test(workspace, cast["owner"], channel, now=T0,
                                   client=bad.client, clock=clock_of(T0))
    assert not ok and "sign not match" in detail and "SECRETTOKEN" not in detail
    assert channel.last_error == detail
    assert channel.enabled  # the owner is looking at it: no need to switch it off
    # The signed URL carried the clock's timestamp.
    assert bad.requests[0].url.params["timestamp"] == str(int(T0.timestamp() * 1000))
    assert AuditEntry.objects.filter(action="channel.test").count() == 2


def test_a_test_never_escalates(workspace, cast):
    from inhouse.channels.dispatch import escalate_unacknowledged

    channel = actions.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                                  values={"url": URL}, escalation=[{"after_minutes": 1}])
    actions.send_test(workspace, cast["owner"], channel, now=T0, client=ScriptedBot().client)
    assert escalate_unacknowledged(now=T0.replace(hour=10)) == []


def test_remove_deletes_the_channel_and_its_deliveries(workspace, cast, alert):
    channel = add_dingtalk(workspace, cast["owner"])
    send_alert(workspace, alert, "alert:1", now=T0)
    actions.remove_channel(workspace, cast["owner"], channel)
    assert not Channel.objects.exists() and not Delivery.objects.exists()
    assert AuditEntry.objects.filter(action="channel.remove").exists()
