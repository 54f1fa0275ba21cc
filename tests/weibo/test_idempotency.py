"""A publish retried through a lost answer appears once."""

from __future__ import annotations

from inhouse.weibo import idempotency
from inhouse.weibo.idempotency import MemoryStore


def test_publish_retried_after_a_timeout_appears_once(client, fake):
    store = MemoryStore()
    fake.faults.force("slow")  # stored, but the answer never arrives
    made = idempotency.publish(client, "draft-17:v1", store, "双十一预售开始")
    assert [w["text"] for w in fake.writes] == ["双十一预售开始"]
    assert store.get("draft-17:v1")["id"] == made["id"] == fake.writes[0]["id"]
    again = idempotency.publish(client, "draft-17:v1", store, "双十一预售开始")
    assert again["id"] == made["id"] and len(fake.writes) == 1


def test_reply_through_a_dropped_connection_appears_once(client, fake):
    target = client.comments_to_me(count=1)["comments"][0]
    store = MemoryStore()
    fake.faults.force("drop")
    made = idempotency.reply(client, "reply-9", store, target["id"], target["status"]["id"],
                             "已为您安排发货")
    assert len(fake.writes) == 1 and made["id"] == fake.writes[0]["id"]


def test_write_that_never_got_through_is_sent_again(client, fake):
    store = MemoryStore()
    fake.faults.force("5xx")  # refused with an error body or a 502 page: not applied
    post = client.user_timeline()["statuses"][0]
    idempotency.comment(client, "c-1", store, post["id"], "感谢支持")
    assert len(fake.writes) == 1
