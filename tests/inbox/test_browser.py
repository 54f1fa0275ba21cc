"""Through the desk in Chromium: a consultation arrives, an expert answers it on the desk, the
operator replies from that answer, and exactly one reply reaches the fake Weibo API."""

from __future__ import annotations

import os

import pytest

from inhouse.inbox.models import Conversation, Escalation, State
from inhouse.outbox.send import send_write
from tests.content.test_browser import log_in
from tests.outbox.world import World, stub_analysis
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser

ANSWER = "仓库确认：今天下单的明天上午发出，顺丰包邮"


def test_a_consultation_is_answered_by_an_expert_and_replied_once(
        browser, live_server, transactional_db, workspace, cast, monkeypatch):  # noqa: F811
    from playwright.sync_api import expect

    stub_analysis(monkeypatch)
    world = World(workspace)  # the scenario's comments arrive (ingested and routed)
    # The reply button asks a worker to send at once; here the worker is this process.
    monkeypatch.setattr("inhouse.outbox.tasks.send_write_task.delay",
                        lambda pk: send_write(pk, client=world.client))
    conversation = (Conversation.objects.filter(intent="consultation", state=State.NEW)
                    .order_by("opened_at").first())
    assert conversation is not None, "the scenario brought no consultation"
    before = len(world.fake.writes)

    # The operator finds it in the inbox and asks the expert.
    operator = log_in(browser, live_server.url, "operator")
    operator.goto(f"{live_server.url}/inbox/")
    operator.locator(f"a[href='/inbox/{conversation.pk}/']").first.click()
    operator.select_option("#escalate-form select", label="expert")
    operator.fill("#escalate-form textarea", "这单能保证明天发货吗？")
    operator.locator("#escalate-form button[type=submit]").click()
    expect(operator.locator("ol.timeline")).to_contain_text("专家")
    assert Conversation.objects.get(pk=conversation.pk).state == State.WAITING_EXPERT

    # The expert answers on their task page.
    expert = log_in(browser, live_server.url, "expert")
    expert.goto(f"{live_server.url}/inbox/tasks/")
    expect(expert.locator(".task .question")).to_have_text("这单能保证明天发货吗？")
    expert.fill(".task textarea", ANSWER)
    expert.locator(".task button[type=submit]").click()
    expect(expert.locator("body")).to_contain_text(ANSWER[:10])
    assert Escalation.objects.get().answer == ANSWER

    # The operator's reply box now holds the expert's answer; one click sends it.
    operator.reload()
    expect(operator.locator("#reply-form textarea")).to_have_value(ANSWER)
    key = operator.locator("#reply-form input[name=key]").input_value()
    operator.locator("#reply-form button[type=submit]").click()
    expect(operator.get_by_test_id("sent")).to_contain_text(ANSWER)
    # The same form posted again (a double submit, a retried request) sends nothing more.
    csrf = next(c["value"] for c in operator.context.cookies() if c["name"] == "csrftoken")
    again = operator.request.post(
        f"{live_server.url}/inbox/{conversation.pk}/reply/",
        form={"text": ANSWER, "key": key, "kb_entry": ""},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url})
    assert again.ok

    replies = [w for w in world.fake.writes[before:] if ANSWER in w.get("text", "")]
    assert len(replies) == 1, world.fake.writes[before:]
    assert replies[0]["api"] in ("comments/reply", "comments/create")
    conversation.refresh_from_db()
    assert conversation.state == State.ANSWERED
    kinds = list(conversation.events.values_list("kind", flat=True))
    assert {"escalated", "expert_answered", "reply_queued", "answered"} <= set(kinds)
