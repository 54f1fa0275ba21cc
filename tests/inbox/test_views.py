"""The inbox pages as each role sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inhouse.inbox import actions
from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation
from inhouse.outbox.models import OutboundWrite
from inhouse.pipeline.route import route_items
from tests.inbox import factories as f


@pytest.fixture
def desk(workspace, cast):
    brand = f.official(workspace)
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=brand)
    items = [post]
    for n in range(12):
        who = f.author(f"10{n:02d}", f"顾客{n}", followers_count=100 + n, statuses_count=40)
        items.append(f.item(workspace, "comment", 5 + n, f"请问第{n}批含花生吗？", by=who,
                            parent=post, intent="consultation" if n % 3 else "complaint",
                            sentiment="negative" if n % 3 == 0 else "neutral"))
    items.append(f.item(workspace, "message", 30, "订单没发货", by=f.author("1001"),
                        intent="consultation", root_platform_id="dm-1001"))
    route_items([i.pk for i in items], registry=[("inbox", intake)])
    return Conversation.objects.filter(kind="comment-thread").order_by("pk").first()


def login(client, cast, role):
    client.force_login(cast[role])
    return client


@pytest.mark.parametrize("role", ["owner", "operator"])
def test_the_team_sees_the_inbox_and_a_conversation(client, cast, desk, role):
    login(client, cast, role)
    page = client.get(reverse("inbox:list"))
    assert page.status_code == 200 and "请问第0批含花生吗？" in page.content.decode()
    assert "订单没发货" in page.content.decode()  # private messages: they may read them
    page = client.get(reverse("inbox:conversation", args=[desk.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "请问第0批含花生吗？" in body
    assert 'id="reply-form"' in body and 'id="escalate-form"' in body


def test_filters_narrow_the_list(client, cast, desk):
    login(client, cast, "operator")
    body = client.get(reverse("inbox:list"), {"state": "open", "intent": "complaint"}).content.decode()
    assert "第0批" in body and "第1批" not in body


def test_the_agency_gets_no_inbox_at_all(client, cast, desk):
    login(client, cast, "agency")
    assert client.get(reverse("inbox:list")).status_code == 403
    assert client.get(reverse("inbox:conversation", args=[desk.pk])).status_code == 404
    assert client.get(reverse("inbox:customer", args=[desk.customer_id])).status_code == 403
    answer = client.post(reverse("inbox:reply", args=[desk.pk]), {"text": "您好"})
    assert answer.status_code == 403


def test_a_viewer_reads_but_neither_replies_nor_sees_messages(client, cast, desk):
    login(client, cast, "viewer")
    body = client.get(reverse("inbox:list")).content.decode()
    assert "第0批" in body and "订单没发货" not in body
    message = Conversation.objects.get(kind="message")
    assert client.get(reverse("inbox:conversation", args=[message.pk])).status_code == 404
    assert 'id="reply-form"' not in client.get(reverse("inbox:conversation", args=[desk.pk])).content.decode()
    assert client.post(reverse("inbox:reply", args=[desk.pk]), {"text": "您好"}).status_code == 403


def test_an_expert_sees_only_their_own_tasks(client, cast, desk):
    actions.escalate_to_expert(desk, cast["expert"], "花生过敏能吃吗？", by=cast["operator"])
    other = Conversation.objects.exclude(pk=desk.pk).filter(kind="comment-thread").first()
    login(client, cast, "expert")
    tasks = client.get(reverse("inbox:tasks"))
    assert tasks.status_code == 200 and "花生过敏能吃吗？" in tasks.content.decode()
    assert client.get(reverse("inbox:conversation", args=[desk.pk])).status_code == 200
    assert client.get(reverse("inbox:conversation", args=[other.pk])).status_code == 404
    assert client.get(reverse("inbox:list")).status_code == 403


def test_an_expert_answers_from_the_task_list(client, cast, desk):
    escalation = actions.escalate_to_expert(desk, cast["expert"], "?", by=cast["operator"])
    login(client, cast, "expert")
    client.post(reverse("inbox:answer", args=[escalation.pk]), {"answer": "不含花生"})
    escalation.refresh_from_db()
    assert escalation.answer == "不含花生"
    # Back on the team's side, the reply box is prefilled with the expert's answer.
    login(client, cast, "operator")
    body = client.get(reverse("inbox:conversation", args=[desk.pk])).content.decode()
    assert "不含花生</textarea>" in body


def test_replying_from_the_page_queues_one_write_per_form(client, cast, desk):
    login(client, cast, "operator")
    form = {"text": "不含花生，请放心", "kb_entry": "", "key": "inbox:form-1"}
    for _ in range(2):  # a double click
        client.post(reverse("inbox:reply", args=[desk.pk]), form)
    assert desk.events.filter(kind="reply_queued").count() == 1
    assert OutboundWrite.objects.filter(idempotency_key="inbox:form-1").count() == 1
    too_long = client.post(reverse("inbox:reply", args=[desk.pk]), {"text": "好" * 141}, follow=True)
    assert "140" in too_long.content.decode()


def test_customer_profile_shows_history_tags_and_notes(client, cast, desk):
    login(client, cast, "operator")
    url = reverse("inbox:customer", args=[desk.customer_id])
    client.post(reverse("inbox:customer_tags", args=[desk.customer_id]), {"tags": "过敏, 宝妈"})
    client.post(reverse("inbox:customer_note", args=[desk.customer_id]), {"text": "孩子花生过敏"})
    body = client.get(url).content.decode()
    assert "请问第0批含花生吗？" in body and "过敏" in body and "孩子花生过敏" in body


def test_the_inbox_list_runs_a_bounded_number_of_queries(client, cast, desk, django_assert_max_num_queries):
    login(client, cast, "operator")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("inbox:list"), {"state": ""}).status_code == 200


def test_the_conversation_page_suggests_the_authoritative_answer_and_cites_it(client, cast, desk):
    from inhouse.knowledge.actions import create_entry

    entry = create_entry(desk.workspace, cast["operator"], question="请问第0批含花生吗？",
                         answer="鹿角脆不含花生成分，可放心食用。")
    login(client, cast, "operator")
    body = client.get(reverse("inbox:conversation", args=[desk.pk])).content.decode()
    assert "鹿角脆不含花生成分，可放心食用。</textarea>" in body
    assert f'name="kb_entry" value="{entry.pk}"' in body


def test_the_cost_page_renders_for_the_team(client, cast, desk):
    login(client, cast, "operator")
    assert client.get(reverse("inbox:cost")).status_code == 200
    login(client, cast, "agency")
    assert client.get(reverse("inbox:cost")).status_code == 403
