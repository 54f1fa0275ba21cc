"""Publishing through the fake Weibo API: one post per draft, however often the task runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.content import actions
from inhouse.content.models import Draft, State
from inhouse.content.tasks import publish_due
from inhouse.core.models import Item
from inhouse.outbox.models import OutboundWrite, WriteStatus
from inhouse.outbox.send import send_write
from tests.content.conftest import draft_in
from tests.outbox.world import World, stub_analysis


@pytest.fixture
def world(workspace, cast, keynote, monkeypatch) -> World:
    stub_analysis(monkeypatch)
    world = World(workspace)
    monkeypatch.setattr("inhouse.pipeline.sync_tasks.client_for", lambda account: world.client)
    monkeypatch.setattr(world.client, "close", lambda: None)
    return world


def posts_on_weibo(world: World) -> list[dict]:
    return [w for w in world.fake.writes if "鹿角脆" in w.get("text", "")]


def test_publish_now_queues_under_the_drafts_key_and_sends_once(world, workspace, cast):
    draft = draft_in("approved", workspace, cast)
    actions.publish_now(draft, cast["operator"], send_soon=False)
    assert draft.state == State.PUBLISHED and draft.write.idempotency_key == f"content:draft-{draft.pk}"
    assert world.fake.writes == []  # queued, not yet sent
    assert send_write(draft.write_id, client=world.client).status == WriteStatus.SENT
    assert send_write(draft.write_id, client=world.client).status == WriteStatus.SENT
    assert len(posts_on_weibo(world)) == 1
    assert AuditEntry.objects.filter(action="content.draft.publish", actor=cast["operator"]).exists()
    assert Item.objects.get(pk=OutboundWrite.objects.get(pk=draft.write_id).item_id).kind == "post"


def test_a_published_draft_cannot_be_published_again(world, workspace, cast):
    draft = draft_in("approved", workspace, cast)
    actions.publish_now(draft, cast["owner"], send_soon=False)
    with pytest.raises(actions.MoveRefused):
        actions.publish_now(draft, cast["owner"], send_soon=False)


def test_the_scheduled_post_goes_out_once_when_the_task_runs_twice(world, workspace, cast):
    draft = draft_in("scheduled", workspace, cast)
    later = draft_in("scheduled", workspace, cast, text="鹿角脆芝士味明天补货，12.9元")
    Draft.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now() - dt.timedelta(minutes=1))
    assert publish_due() == {"sent": 1}
    assert publish_due() == {}
    assert len(posts_on_weibo(world)) == 1
    assert Draft.objects.get(pk=draft.pk).state == State.PUBLISHED
    assert Draft.objects.get(pk=later.pk).state == State.SCHEDULED


@pytest.mark.parametrize("fault", ["slow", "drop"])
def test_a_lost_answer_does_not_post_twice(world, workspace, cast, fault):
    draft = draft_in("scheduled", workspace, cast)
    Draft.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now())
    world.fake.faults.force(fault)
    publish_due()
    publish_due()
    write = OutboundWrite.objects.get(idempotency_key=f"content:draft-{draft.pk}")
    assert write.status == WriteStatus.SENT
    assert len(posts_on_weibo(world)) == 1


def test_a_restart_after_queueing_still_sends_once(world, workspace, cast):
    # The worker queued the post (and committed), then died before sending.
    draft = draft_in("scheduled", workspace, cast)
    Draft.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now())
    (queued,) = actions.publish_due()
    assert world.fake.writes == []
    # After the restart: the next beat finds nothing due, the outbox sends what is queued.
    from inhouse.outbox.tasks import send_pending

    assert publish_due() == {}
    assert send_pending() == {"sent": 1}
    assert send_pending() == {}
    assert len(posts_on_weibo(world)) == 1


def test_a_scheduled_draft_that_now_breaks_the_keynote_is_held_back(world, workspace, cast):
    draft = draft_in("scheduled", workspace, cast)
    Draft.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now())
    actions.save_keynote(workspace, cast["owner"], banned_words=["追剧"],
                         required_tags={"*": ["#小鹿零食#"]}, products={"鹿角脆": []})
    assert publish_due() == {}
    draft.refresh_from_db()
    assert draft.state == State.APPROVED and "追剧" in draft.events.last().note
    assert posts_on_weibo(world) == []
