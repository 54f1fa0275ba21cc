"""A queued write is keyed before any call, sent once through lost answers, audited, and
comes back as an Item the inbox sees."""

from __future__ import annotations

import pytest

from inhouse.access.models import AuditEntry
from inhouse.core.models import Item
from inhouse.outbox.actions import WriteRefused, enqueue_write
from inhouse.outbox.keystore import WriteKeyStore
from inhouse.outbox.models import OutboundWrite, WriteStatus
from inhouse.outbox.send import send_write
from inhouse.outbox.tasks import send_pending
from tests.outbox.world import World, stub_analysis


@pytest.fixture
def world(workspace, cast, monkeypatch) -> World:
    stub_analysis(monkeypatch)
    return World(workspace)


def a_customer_comment(world: World) -> Item:
    return Item.objects.filter(kind="comment").exclude(author__uid=world.account.platform_uid).first()


def queue_reply(world: World, by, key: str | None = None) -> OutboundWrite:
    target = a_customer_comment(world)
    return enqueue_write(world.account, "reply", "明天就发货，请放心", by=by, key=key,
                         target_status_id=target.root_platform_id,
                         target_comment_id=target.platform_id)


def test_the_key_is_stored_before_any_call(world, cast):
    write = queue_reply(world, cast["operator"], key="inbox:1:abc")
    assert write.idempotency_key == "inbox:1:abc" and write.status == WriteStatus.QUEUED
    assert world.fake.writes == [] and world.fake.requests == []
    assert AuditEntry.objects.filter(action="outbox.enqueue", target=f"write:{write.pk}").exists()
    assert queue_reply(world, cast["operator"], key="inbox:1:abc").pk == write.pk


@pytest.mark.parametrize("fault", ["slow", "drop"])
def test_a_reply_through_a_lost_answer_appears_once(world, cast, fault):
    write = queue_reply(world, cast["operator"])
    world.fake.faults.force(fault)
    sent = send_write(write.pk, client=world.client)
    assert sent.status == WriteStatus.SENT
    assert len(world.fake.writes) == 1 and sent.platform_id == str(world.fake.writes[0]["id"])
    # Sending again (a retried task) finds the result under the key and calls nothing.
    calls = world.client.calls
    assert send_write(write.pk, client=world.client).status == WriteStatus.SENT
    # As if a worker died after storing the result but before marking the row.
    OutboundWrite.objects.filter(pk=write.pk).update(status=WriteStatus.UNKNOWN)
    send_write(write.pk, client=world.client)
    assert len(world.fake.writes) == 1 and world.client.calls == calls
    assert AuditEntry.objects.filter(action="outbox.sent", target=f"write:{write.pk}").count() == 1


def test_the_sent_reply_is_ingested_as_an_official_item(world, cast):
    write = queue_reply(world, cast["operator"])
    sent = send_write(write.pk, client=world.client)
    assert sent.item is not None and sent.item.platform_id == sent.platform_id
    assert sent.item.author.uid == world.account.platform_uid
    assert sent.item.kind == "reply" and sent.item.source == "outbox"


def test_a_refused_write_fails_with_weibos_reason(world, cast):
    write = enqueue_write(world.account, "comment", "感谢支持", by=cast["owner"],
                          target_status_id="1234")  # no such post
    failed = send_write(write.pk, client=world.client)
    assert failed.status == WriteStatus.FAILED and "does not exist" in failed.error
    assert AuditEntry.objects.filter(action="outbox.failed").exists()


def test_send_pending_sends_what_is_queued(world, cast, monkeypatch):
    write = queue_reply(world, cast["operator"])
    monkeypatch.setattr("inhouse.pipeline.sync_tasks.client_for", lambda account: world.client)
    monkeypatch.setattr(world.client, "close", lambda: None)
    assert send_pending() == {"sent": 1}
    assert OutboundWrite.objects.get(pk=write.pk).status == WriteStatus.SENT
    assert send_pending() == {}


def test_text_over_140_characters_is_refused_at_once(world, cast):
    with pytest.raises(WriteRefused, match="141 characters; Weibo accepts at most 140"):
        enqueue_write(world.account, "comment", "好" * 141, by=cast["owner"], target_status_id="1")


@pytest.mark.parametrize("role", ["agency", "viewer", "expert"])
def test_roles_without_reply_may_not_queue_replies(world, cast, role):
    with pytest.raises(PermissionError):
        queue_reply(world, cast[role])
    assert not OutboundWrite.objects.exists()


def test_the_keystore_reads_and_records_results(world, cast):
    write = queue_reply(world, cast["operator"], key="k-1")
    store = WriteKeyStore()
    assert store.get("k-1") is None
    store.put("k-1", {"idstr": "4999", "text": "x"})
    write.refresh_from_db()
    assert store.get("k-1")["idstr"] == "4999"
    assert write.status == WriteStatus.SENT and write.platform_id == "4999"
