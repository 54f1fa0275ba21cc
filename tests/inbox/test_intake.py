"""Customer items thread into conversations, idempotently; official answers close the loop."""

from __future__ import annotations

import datetime as dt

import pytest

from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation, ConversationEvent, ConversationItem, State
from inhouse.pipeline.route import route_items
from tests.inbox import factories as f

ROUTE = [("inbox", intake)]


@pytest.fixture
def thread(workspace):
    brand = f.official(workspace)
    mom = f.author("1002", "宝妈日记")
    fan = f.author("1001", "小王")
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=brand)
    items = {
        "post": post,
        "ask": f.item(workspace, "comment", 5, "请问含有花生吗？", by=mom, parent=post,
                      intent="consultation"),
        "again": f.item(workspace, "comment", 9, "在吗？", by=mom, parent=post),
        "other": f.item(workspace, "comment", 7, "北京什么时候有货？", by=fan, parent=post,
                        intent="consultation"),
        "dm1": f.item(workspace, "message", 12, "订单没发货", by=fan, intent="complaint",
                      root_platform_id="dm-1001"),
        "dm2": f.item(workspace, "message", 14, "？？", by=fan, root_platform_id="dm-1001"),
        "mention": f.item(workspace, "post", 20, "@小鹿零食官方 快递到了吗", by=mom,
                          intent="consultation", account=workspace.accounts.first()),
    }
    return brand, items


def route(items) -> dict[str, int]:
    return route_items([i.pk for i in items], registry=ROUTE)


def test_comments_are_threaded_by_post_and_customer(workspace, thread):
    _, items = thread
    route(items.values())
    keys = set(Conversation.objects.values_list("key", flat=True))
    post = items["post"].platform_id
    assert keys == {f"c:{post}:1002", f"c:{post}:1001", "dm:1001",
                    f"m:{items['mention'].platform_id}"}
    moms = Conversation.objects.get(key=f"c:{post}:1002")
    assert moms.items_count == 2 and moms.intent == "consultation"
    assert moms.preview == "在吗？" and moms.state == State.NEW
    dms = Conversation.objects.get(key="dm:1001")
    assert dms.kind == "message" and dms.intent == "complaint" and dms.items_count == 2


def test_routing_twice_changes_nothing(workspace, thread):
    _, items = thread
    first = route(items.values())
    snapshot = list(Conversation.objects.order_by("pk").values())
    events = ConversationEvent.objects.count()
    again = route(items.values())
    assert first == {"inbox": 6} and again == {"inbox": 0}
    assert list(Conversation.objects.order_by("pk").values()) == snapshot
    assert ConversationEvent.objects.count() == events
    assert ConversationItem.objects.count() == 6


def test_the_official_post_itself_is_not_a_conversation(workspace, thread):
    _, items = thread
    route([items["post"]])
    assert not Conversation.objects.exists()


def test_an_official_reply_marks_the_conversation_answered(workspace, thread):
    brand, items = thread
    route(items.values())
    answer = f.item(workspace, "reply", 30, "不含花生，可以放心", by=brand, parent=items["ask"])
    dm_answer = f.item(workspace, "message", 31, "已为您催促发货", by=brand,
                       root_platform_id="dm-1001")
    route([answer, dm_answer])
    moms = Conversation.objects.get(key=f"c:{items['post'].platform_id}:1002")
    assert moms.state == State.ANSWERED
    assert moms.first_response_at == answer.created_at and moms.sla_due_at is None
    assert moms.links.filter(item=answer, from_customer=False).exists()
    assert Conversation.objects.get(key="dm:1001").state == State.ANSWERED


def test_a_new_question_after_the_answer_reopens(workspace, thread):
    brand, items = thread
    route(items.values())
    route([f.item(workspace, "reply", 30, "不含花生", by=brand, parent=items["ask"])])
    thanks = f.item(workspace, "comment", 40, "好的谢谢", by=items["ask"].author,
                    parent=items["post"], intent="praise")
    route([thanks])
    key = f"c:{items['post'].platform_id}:1002"
    assert Conversation.objects.get(key=key).state == State.ANSWERED  # thanks need no answer
    follow = f.item(workspace, "comment", 50, "那芝麻呢？", by=items["ask"].author,
                    parent=items["post"], intent="consultation")
    route([follow])
    reopened = Conversation.objects.get(key=key)
    assert reopened.state == State.NEW and reopened.waiting_since == follow.created_at
    assert reopened.events.filter(kind="reopened").count() == 1


def test_same_customers_comment_under_their_mention_joins_it(workspace, thread):
    _, items = thread
    mention = items["mention"]
    more = f.item(workspace, "comment", 25, "补充：订单号123", by=mention.author, parent=mention)
    stranger = f.item(workspace, "comment", 26, "我也想知道", by=f.author("3003"), parent=mention)
    route([*items.values(), more, stranger])
    conversation = Conversation.objects.get(key=f"m:{mention.platform_id}")
    assert set(conversation.links.values_list("item_id", flat=True)) == {mention.pk, more.pk}


def test_sla_runs_per_intent_complaints_first(workspace, thread):
    _, items = thread
    route(items.values())
    complaint = Conversation.objects.get(key="dm:1001")
    question = Conversation.objects.get(key=f"c:{items['post'].platform_id}:1001")
    assert complaint.sla_due_at == items["dm1"].created_at + dt.timedelta(minutes=60)
    assert question.sla_due_at == items["other"].created_at + dt.timedelta(minutes=120)


def test_the_days_roll_up_counts_an_answer_routed_in_the_same_batch(workspace, thread):
    # The real intakes, in routing's order: analytics must see the conversations and first
    # responses the inbox's intake writes for the same batch (the demo week is routed in one
    # batch; before, its roll-ups showed no response times at all).
    from inhouse.analytics.models import DailyStat
    from inhouse.pipeline.route import intakes

    labels = [label for label, _ in intakes()]
    assert labels.index("inbox") < labels.index("analytics")
    brand, items = thread
    answer = f.item(workspace, "reply", 30, "不含花生，可以放心", by=brand, parent=items["ask"])
    route_items([i.pk for i in [*items.values(), answer]])
    response = DailyStat.objects.get(workspace=workspace, day=dt.date(2026, 11, 20)).data["response"]
    assert response["consultation"]["opened"] >= 1
    assert sum(response["consultation"]["first"].values()) == 1  # the one answer, 25 minutes on
