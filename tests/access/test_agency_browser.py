"""In Chromium, as the agency: the inbox, private messages, customer profiles and the publish
action are refused — no link or button on the page, and a typed URL or hand-made POST gets 403."""

from __future__ import annotations

import os

import pytest

from tests.content.test_browser import log_in
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser

SECRET_DM = "我的手机号13800001234，订单12345还没发货"




@pytest.fixture
def desk(workspace, cast):
    """A public comment thread, a customer's private message, and an approved agency draft."""
    from inhouse.content import actions as content
    from inhouse.inbox.intake import intake as inbox_intake
    from inhouse.inbox.models import Conversation
    from inhouse.pipeline.route import route_items
    from tests.inbox import factories as f

    brand = f.official(workspace)
    fan = f.author("1001", "顾客")
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=brand)
    comment = f.item(workspace, "comment", 5, "请问鹿角脆含花生吗？", by=fan, parent=post, intent="consultation")
    message = f.item(workspace, "message", 10, SECRET_DM, by=fan, root_platform_id="dm-1001",
                     intent="complaint")
    route_items([post.pk, comment.pk, message.pk], registry=[("inbox", inbox_intake)])
    draft = content.create_draft(workspace, cast["agency"], "冬天追剧来一袋鹿角脆", hashtags=["小鹿零食"])
    content.submit_for_review(draft, cast["agency"])
    content.approve_draft(draft, cast["owner"])
    dm = Conversation.objects.get(kind="message")
    return {"message": message, "dm": dm, "thread": Conversation.objects.exclude(pk=dm.pk).get(),
            "customer": fan, "draft": draft}


def test_agency_is_refused_inbox_messages_customers_and_publishing(
        browser, live_server, transactional_db, workspace, cast, desk):  # noqa: F811
    from playwright.sync_api import expect

    from inhouse.access.models import AuditEntry
    from inhouse.content.models import Draft, State
    from inhouse.inbox.models import Conversation

    url = live_server.url
    page = log_in(browser, url, "agency")

    # Nothing on the desk leads there.
    page.goto(f"{url}/")
    for prefix in ("/inbox/", "/items/"):
        assert page.locator(f'a[href^="{prefix}"]').count() == 0, prefix
    expect(page.locator("body")).not_to_contain_text(SECRET_DM)

    # Typed URLs: the inbox, the private-message conversation, the message itself, the
    # customer's profile. Each is refused (a conversation page answers 404, hiding whether it
    # exists, as the route matrix records), and the message text never reaches the page.
    refused = {
        "inbox": "/inbox/",
        "private messages": f"/inbox/{desk['dm'].pk}/",
        "a comment thread": f"/inbox/{desk['thread'].pk}/",
        "the message item": f"/items/{desk['message'].pk}/",
        "every item": "/items/?kind=message",
        "customer profile": f"/inbox/customers/{desk['customer'].pk}/",
    }
    for what, path in refused.items():
        response = page.goto(url + path)
        assert response.status == (404 if path.startswith("/inbox/") and path[7:-1].isdigit() else 403), \
            (what, response.status)
        assert SECRET_DM not in page.content(), what
        assert "13800001234" not in page.content(), what

    # The approved draft: the agency sees it, but no publish or schedule button.
    draft = desk["draft"]
    page.goto(f"{url}/content/{draft.pk}/")
    expect(page.get_by_test_id("history")).to_contain_text("approved")
    for button in ("publish", "schedule", "approve"):
        assert page.get_by_test_id(button).count() == 0, button

    # Hand-made POSTs with a valid CSRF token: refused (403, not a CSRF failure), nothing changes.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": url}
    posts = {
        f"/content/{draft.pk}/publish/": {},
        f"/content/{draft.pk}/schedule/": {"when": "2030-01-01T10:00"},
        f"/inbox/{desk['dm'].pk}/reply/": {"text": "您好，已为您查询"},
        f"/inbox/{desk['thread'].pk}/reply/": {"text": "不含花生"},
        f"/inbox/{desk['dm'].pk}/close/": {},
        f"/inbox/customers/{desk['customer'].pk}/note/": {"note": "VIP"},
    }
    for path, form in posts.items():
        response = page.request.post(url + path, headers=headers, form=form)
        assert response.status == 403, (path, response.status)
        assert "CSRF verification" not in response.text(), path
    assert Draft.objects.get(pk=draft.pk).state == State.APPROVED
    dm = Conversation.objects.get(pk=desk["dm"].pk)
    assert (dm.state, dm.first_response_at) == (desk["dm"].state, None)
    assert not AuditEntry.objects.filter(actor=cast["agency"]).exclude(action__startswith="content.").exclude(
        action="login").exists()

    # The same browser as the operator does see the private message: the refusal is the role's.
    operator = log_in(browser, url, "operator")
    operator.goto(f"{url}/inbox/{desk['dm'].pk}/")
    expect(operator.locator("body")).to_contain_text(SECRET_DM)
