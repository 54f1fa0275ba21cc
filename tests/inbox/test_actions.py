"""Inbox actions: reply through the fake Weibo API, escalation round trip, SLA, spam."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.inbox import actions, queries
from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation, State
from inhouse.outbox.models import WriteStatus
from inhouse.outbox.send import send_write
from inhouse.pipeline.route import route_items
from tests.inbox import factories as f
from tests.outbox.world import World, stub_analysis


@pytest.fixture
def world(workspace, cast, monkeypatch) -> World:
    stub_analysis(monkeypatch)
    return World(workspace)


def waiting_thread(world: World) -> Conversation:
    return (Conversation.objects.filter(kind="comment-thread", state=State.NEW)
            .order_by("opened_at").first())


def test_a_reply_is_sent_once_through_a_dropped_connection_and_answers(world, cast):
    conversation = waiting_thread(world)
    write = actions.reply(conversation, "明天就发货，请放心", by=cast["operator"],
                          kb_entry_id="kb-7", send_soon=False)
    assert write.status == WriteStatus.QUEUED and world.fake.writes == []
    world.fake.faults.force("drop")
    send_write(write.pk, client=world.client)
    assert len(world.fake.writes) == 1
    assert world.fake.writes[0]["api"] == "comments/reply"
    conversation.refresh_from_db()
    assert conversation.state == State.ANSWERED
    assert conversation.first_response_at == world.fake.clock.now().replace(microsecond=0)
    entry = AuditEntry.objects.get(action="inbox.reply")
    assert entry.actor == cast["operator"] and entry.after["kb_entry"] == "kb-7"
    # (The fake's clock is in the scenario's past, so the two events are not in time order.)
    assert {"reply_queued", "answered"} <= set(conversation.events.values_list("kind", flat=True))


@pytest.mark.parametrize("role", ["agency", "viewer", "expert"])
def test_only_the_team_may_reply(world, cast, role):
    with pytest.raises(actions.NotAllowed):
        actions.reply(waiting_thread(world), "您好", by=cast[role], send_soon=False)
    assert not AuditEntry.objects.filter(action="inbox.reply").exists()


def test_a_reply_over_140_characters_says_by_how_much(world, cast):
    with pytest.raises(actions.ReplyRefused, match="shorten it by 10"):
        actions.reply(waiting_thread(world), "好" * 150, by=cast["operator"], send_soon=False)


def test_escalation_round_trip_records_the_wait(world, cast, django_user_model):
    conversation = waiting_thread(world)
    escalation = actions.escalate_to_expert(conversation, cast["expert"], "能保证明天发货吗？",
                                            by=cast["operator"])
    conversation.refresh_from_db()
    assert conversation.state == State.WAITING_EXPERT
    assert list(queries.expert_tasks(conversation.workspace, cast["expert"])) == [escalation]
    escalation.asked_at -= dt.timedelta(minutes=42)  # the expert took their time
    escalation.save()
    actions.answer_escalation(escalation, "仓库确认明天上午发出", by=cast["expert"])
    escalation.refresh_from_db()
    conversation.refresh_from_db()
    assert conversation.state == State.NEW
    assert 42 * 60 <= escalation.waiting.total_seconds() < 43 * 60
    event = conversation.events.get(kind="expert_answered")
    assert 42 * 60 <= event.detail["waited_seconds"] < 43 * 60
    assert AuditEntry.objects.filter(action="inbox.answer_escalation").count() == 1
    assert not queries.expert_tasks(conversation.workspace, cast["expert"]).exists()


def test_an_expert_cannot_answer_another_experts_escalation(world, cast, django_user_model):
    from inhouse.access.models import Membership

    other = django_user_model.objects.create_user(username="expert2", password="x")
    Membership.objects.create(workspace=world.account.workspace, user=other, role="expert")
    escalation = actions.escalate_to_expert(waiting_thread(world), cast["expert"], "?",
                                            by=cast["operator"])
    for who in (other, cast["owner"]):
        with pytest.raises(actions.NotAllowed):
            actions.answer_escalation(escalation, "我来答", by=who)
    with pytest.raises(actions.NotAllowed):  # and only experts are asked
        actions.escalate_to_expert(waiting_thread(world), cast["viewer"], "?", by=cast["operator"])


def test_overdue_follows_each_intents_clock(workspace, cast):
    brand = f.official(workspace)
    fan = f.author("1001")
    now = timezone.now()
    complaint = f.item(workspace, "message", 0, "太差了", by=fan, intent="complaint",
                       root_platform_id="dm-1001")
    question = f.item(workspace, "message", 0, "几号发货？", by=f.author("1002"),
                      intent="consultation", root_platform_id="dm-1002")
    praise = f.item(workspace, "message", 0, "好吃", by=f.author("1003"), intent="praise",
                    root_platform_id="dm-1003")
    for item, minutes_ago in ((complaint, 90), (question, 90), (praise, 900)):
        item.created_at = now - dt.timedelta(minutes=minutes_ago)
        item.save()
    route_items([complaint.pk, question.pk, praise.pk], registry=[("inbox", intake)])
    overdue = queries.conversations(workspace, overdue=True)
    assert [c.customer.uid for c in overdue] == ["1001"]  # 90 min: past 60, within 120
    assert queries.waiting_summary(workspace)["count"] == 1
    assert 89 <= queries.waiting_summary(workspace)["oldest_age"].total_seconds() / 60 <= 91
    assert brand is not None


def test_bulk_close_of_spam_closes_only_open_spam(workspace, cast):
    f.official(workspace)
    ids = []
    for n in range(3):
        ids.append(f.item(workspace, "message", n, "加V领红包", by=f.author(f"90{n}"),
                          intent="spam", root_platform_id=f"dm-90{n}").pk)
    ids.append(f.item(workspace, "message", 5, "请问发货", by=f.author("1001"),
                      intent="consultation", root_platform_id="dm-1001").pk)
    route_items(ids, registry=[("inbox", intake)])
    with pytest.raises(actions.NotAllowed):
        actions.bulk_close_spam(workspace, by=cast["agency"])
    assert actions.bulk_close_spam(workspace, by=cast["operator"]) == 3
    assert set(Conversation.objects.values_list("intent", "state")) == {
        ("spam", "closed"), ("consultation", "new")}
    entry = AuditEntry.objects.get(action="inbox.bulk_close_spam")
    assert len(entry.after["ids"]) == 3
    assert actions.bulk_close_spam(workspace, by=cast["operator"]) == 0


def test_assign_and_close_are_audited(world, cast):
    conversation = waiting_thread(world)
    actions.assign(conversation, cast["operator"], by=cast["owner"])
    assert conversation.state == State.ASSIGNED
    with pytest.raises(actions.NotAllowed):
        actions.assign(conversation, cast["agency"], by=cast["owner"])
    actions.close(conversation, by=cast["operator"], reason="answered by phone")
    assert Conversation.objects.get(pk=conversation.pk).state == State.CLOSED
    assert {"inbox.assign", "inbox.close"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_an_old_private_message_cannot_be_replied_to_and_says_why(workspace, cast):
    f.official(workspace)
    item = f.item(workspace, "message", 0, "几号发货？", by=f.author("1002"),
                  intent="consultation", root_platform_id="dm-1002")  # days ago
    route_items([item.pk], registry=[("inbox", intake)])
    with pytest.raises(actions.ReplyRefused, match="72-hour reply window closed"):
        actions.reply(Conversation.objects.get(), "明天", by=cast["operator"], send_soon=False)


def test_the_experts_answer_can_become_a_knowledge_base_entry(world, cast):
    from inhouse.inbox import knowledge
    from inhouse.knowledge.models import Entry

    conversation = waiting_thread(world)
    escalation = actions.escalate_to_expert(conversation, cast["expert"], "鹿角脆含花生吗？",
                                            by=cast["operator"])
    actions.answer_escalation(escalation, "鹿角脆不含花生，但与含花生产品共线生产。",
                              by=cast["expert"], add_to_knowledge=True)
    entry = Entry.objects.get(pk=escalation.kb_entry_id)
    assert entry.question == "鹿角脆含花生吗？" and entry.owner == cast["expert"]
    event = conversation.events.get(kind="expert_answered")
    assert event.detail["kb_entry"] == str(entry.pk)
    # And the next customer asking the same thing gets it suggested, citing the entry.
    found = knowledge.suggest(conversation.workspace, "鹿角脆含花生吗？")
    assert found and found[0].entry_id == str(entry.pk)


def test_communication_cost_counts_handoffs_and_knowledge_answers(workspace, cast):
    from inhouse.inbox.cost import communication_cost

    f.official(workspace)
    now = timezone.now()
    ids = []
    for n in range(2):
        item = f.item(workspace, "comment", 0, "几号发货？", by=f.author(f"20{n}"),
                      intent="consultation", account=workspace.accounts.first())
        item.created_at = now - dt.timedelta(hours=3)
        item.save()
        ids.append(item.pk)
    route_items(ids, registry=[("inbox", intake)])
    first, second = Conversation.objects.order_by("pk")
    actions.reply(first, "明天发货", by=cast["operator"], kb_entry_id="7", send_soon=False)
    Conversation.objects.filter(pk=first.pk).update(first_response_at=now - dt.timedelta(hours=2))
    actions.escalate_to_expert(second, cast["expert"], "?", by=cast["operator"])
    [week] = communication_cost(workspace, now=now)
    assert week.consultations == 2 and week.handoffs_per_consultation == 0.5
    assert week.answered == 1 and week.knowledge_share == 1.0
    assert week.median_first_answer == dt.timedelta(hours=1)
