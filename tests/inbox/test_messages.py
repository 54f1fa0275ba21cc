"""Private messages answered through the outbox (Weibo's fan-service messages/reply): once,
audited, only inside the 72-hour reply window, never retried blind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.inbox import actions
from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation, State
from inhouse.outbox.models import OutboundWrite, WriteStatus
from inhouse.outbox.send import send_write, sendable
from inhouse.pipeline.route import route_items
from inhouse.sources.fake_weibo.messages import new_message
from tests.inbox import factories as f
from tests.outbox.world import World, stub_analysis

UID = "1001"


@pytest.fixture
def world(workspace, cast, monkeypatch) -> World:
    stub_analysis(monkeypatch)
    made = World(workspace)
    # The fake's clock on real time: the desk measures the reply window against now.
    made.fake.clock.set(timezone.now().replace(microsecond=0))
    return made


def message_from_customer(world: World, workspace, hours_ago: float = 0.1) -> Conversation:
    """The customer writes (on the fake, so its window opens) and the message reaches the inbox."""
    new_message(world.fake, int(UID), "请问几号发货？")
    item = f.item(workspace, "message", 0, "请问几号发货？", by=f.author(UID),
                  intent="consultation", root_platform_id=f"dm-{UID}")
    item.created_at = timezone.now() - dt.timedelta(hours=hours_ago)
    item.save()
    route_items([item.pk], registry=[("inbox", intake)])
    return Conversation.objects.get(kind="message", customer__uid=UID)


def test_a_private_message_is_answered_once_through_the_fan_service_api(world, workspace, cast):
    conversation = message_from_customer(world, workspace)
    window = actions.message_window(conversation)
    assert window.open and 71 < window.remaining.total_seconds() / 3600 < 72
    write = actions.reply(conversation, "明天上午发出", by=cast["operator"], kb_entry_id="kb-3",
                          key="k-1", send_soon=False)
    assert (write.kind, write.target_user_id) == ("message", UID)
    # The same form submitted twice: one write.
    assert actions.reply(conversation, "明天上午发出", by=cast["operator"], key="k-1",
                         send_soon=False).pk == write.pk
    send_write(write.pk, client=world.client)
    send_write(write.pk, client=world.client)
    sent = [w for w in world.fake.writes if w["api"].endswith("messages/reply")]
    assert len(sent) == 1 and sent[0]["text"] == "明天上午发出"
    assert sent[0]["params"]["receiver_id"] == UID
    write.refresh_from_db()
    assert write.status == WriteStatus.SENT and write.item is not None
    conversation.refresh_from_db()
    assert conversation.state == State.ANSWERED
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "inbox.reply", "outbox.enqueue", "outbox.sent"}


def test_after_72_hours_the_reply_is_refused_with_the_closing_time(world, workspace, cast):
    conversation = message_from_customer(world, workspace, hours_ago=73)
    assert not actions.message_window(conversation).open
    with pytest.raises(actions.ReplyRefused, match="72-hour reply window closed at"):
        actions.reply(conversation, "抱歉回复晚了", by=cast["operator"], send_soon=False)
    assert not OutboundWrite.objects.exists()


def test_the_conversation_page_shows_the_window(world, workspace, cast, client):
    conversation = message_from_customer(world, workspace, hours_ago=73)
    client.force_login(cast["operator"])
    page = client.get(f"/inbox/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "72-hour reply window closed at" in page
    assert 'id="reply-form"' not in page
    chinese = client.get(f"/inbox/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "72 小时回复窗口已于" in chinese


def test_an_open_window_is_shown_with_its_deadline(world, workspace, cast, client):
    conversation = message_from_customer(world, workspace, hours_ago=2)
    client.force_login(cast["operator"])
    page = client.get(f"/inbox/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "private reply possible until" in page and 'id="reply-form"' in page


def test_a_message_whose_send_got_no_answer_is_not_retried_blind(world, workspace, cast):
    conversation = message_from_customer(world, workspace)
    write = actions.reply(conversation, "明天上午发出", by=cast["operator"], send_soon=False)
    world.fake.faults.force("drop")
    send_write(write.pk, client=world.client)
    write.refresh_from_db()
    assert write.status == WriteStatus.UNKNOWN
    assert not OutboundWrite.objects.filter(sendable(), pk=write.pk).exists()
    attempts = len([w for w in world.fake.writes if w["api"].endswith("messages/reply")])
    send_write(write.pk, client=world.client)
    assert len([w for w in world.fake.writes if w["api"].endswith("messages/reply")]) == attempts


def test_only_who_may_read_messages_may_answer_them(world, workspace, cast):
    conversation = message_from_customer(world, workspace)
    for role in ("viewer", "agency", "expert"):
        with pytest.raises(actions.NotAllowed):
            actions.reply(conversation, "您好", by=cast[role], send_soon=False)
