"""Through the desk in Chromium: an agency draft walked to one post on the fake Weibo API."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from inhouse.content.models import Draft, State
from inhouse.outbox.send import send_write
from tests.outbox.world import World, stub_analysis
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def log_in(browser, url: str, role: str):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", f"pw-{role}-2026")
    page.click("button.primary")
    page.wait_for_url(lambda u: "/login/" not in u)
    return page


def test_an_agency_draft_becomes_exactly_one_post(browser, live_server, transactional_db,  # noqa: F811
                                                  workspace, cast, keynote, monkeypatch):
    from playwright.sync_api import expect

    stub_analysis(monkeypatch)
    world = World(workspace)
    # The publish button asks a worker to send at once; here the worker is this process.
    monkeypatch.setattr("inhouse.outbox.tasks.send_write_task.delay",
                        lambda pk: send_write(pk, client=world.client))

    # The agency drafts; the keynote is checked as it types.
    agency = log_in(browser, live_server.url, "agency")
    agency.goto(f"{live_server.url}/content/new/")
    agency.fill("#id_text", "全网最便宜的鹿角脆，12.9元一袋")
    expect(agency.locator("mark.hl-block")).to_have_text("最便宜")
    agency.fill("#id_text", "冬天追剧来一袋鹿角脆，12.9元一袋")
    agency.fill("#id_hashtags", "小鹿零食")
    expect(agency.get_by_test_id("findings")).to_contain_text("基调检查未发现问题")
    agency.get_by_role("button", name="保存草稿").click()
    agency.get_by_test_id("submit").click()
    draft = Draft.objects.get()
    assert draft.state == State.IN_REVIEW
    expect(agency.get_by_test_id("moves")).not_to_contain_text("批准")
    assert agency.get_by_test_id("approve").count() == 0 and agency.get_by_test_id("publish").count() == 0
    # Even a hand-made POST is refused.
    csrf = next(c["value"] for c in agency.context.cookies() if c["name"] == "csrftoken")
    for move in ("approve", "publish", "schedule"):
        response = agency.request.post(f"{live_server.url}/content/{draft.pk}/{move}/",
                                       headers={"X-CSRFToken": csrf, "Referer": live_server.url},
                                       form={"when": "2030-01-01T10:00"})
        assert response.status == 403 and "CSRF verification" not in response.text(), move
    assert Draft.objects.get().state == State.IN_REVIEW and world.fake.writes == []

    # The owner approves and publishes.
    owner = log_in(browser, live_server.url, "owner")
    owner.goto(f"{live_server.url}/content/{draft.pk}/")
    owner.get_by_test_id("approve").click()
    # Approved: the agency still has no publish or schedule button, and its POST is refused.
    agency.goto(f"{live_server.url}/content/{draft.pk}/")
    expect(agency.get_by_test_id("history")).to_contain_text("in_review → approved")
    assert agency.get_by_test_id("publish").count() == 0 and agency.get_by_test_id("schedule").count() == 0
    response = agency.request.post(f"{live_server.url}/content/{draft.pk}/publish/",
                                   headers={"X-CSRFToken": csrf, "Referer": live_server.url})
    assert response.status == 403 and Draft.objects.get().state == State.APPROVED
    # The owner schedules it, then publishes it at once.
    owner.goto(f"{live_server.url}/content/{draft.pk}/")
    owner.fill("input[name=when]", (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    owner.get_by_test_id("schedule").click()
    expect(owner.get_by_test_id("publish")).to_be_visible()
    assert Draft.objects.get().state == State.SCHEDULED
    owner.get_by_test_id("publish").click()
    expect(owner.get_by_test_id("write-status")).to_have_text(re.compile("已发送|sent"))
    posts = [w for w in world.fake.writes if "冬天追剧" in w.get("text", "")]
    assert len(posts) == 1
    assert Draft.objects.get().state == State.PUBLISHED


def test_dragging_a_post_on_the_calendar_reschedules_it(browser, live_server, transactional_db,  # noqa: F811
                                                       workspace, cast, keynote):
    from playwright.sync_api import expect

    from inhouse.content import actions
    from tests.content.conftest import draft_in

    # A Tuesday 20:30 two weeks ahead, dragged to Thursday (week view), then to the next
    # Monday (month view): the date changes, the time of day stays.
    monday = timezone.localdate() + dt.timedelta(days=14 - timezone.localdate().weekday())
    tz = timezone.get_current_timezone()
    draft = draft_in("approved", workspace, cast)
    actions.schedule_draft(draft, cast["owner"], dt.datetime.combine(monday + dt.timedelta(days=1),
                                                                     dt.time(20, 30), tzinfo=tz))
    page = log_in(browser, live_server.url, "operator")
    page.goto(f"{live_server.url}/content/calendar/?date={monday.isoformat()}")
    thursday = (monday + dt.timedelta(days=3)).isoformat()
    page.get_by_test_id("cal-post").drag_to(page.get_by_test_id(f"day-{thursday}"))
    expect(page.get_by_test_id(f"day-{thursday}").get_by_test_id("cal-post")).to_contain_text("20:30")
    draft.refresh_from_db()
    assert timezone.localtime(draft.scheduled_for) == dt.datetime.combine(
        monday + dt.timedelta(days=3), dt.time(20, 30), tzinfo=tz)

    next_monday = monday + dt.timedelta(days=7)
    page.goto(f"{live_server.url}/content/calendar/?view=month&date={next_monday.isoformat()}")
    page.get_by_test_id("cal-post").drag_to(page.get_by_test_id(f"day-{next_monday.isoformat()}"))
    expect(page.get_by_test_id(f"day-{next_monday.isoformat()}").get_by_test_id("cal-post")).to_be_visible()
    draft.refresh_from_db()
    assert timezone.localtime(draft.scheduled_for) == dt.datetime.combine(next_monday, dt.time(20, 30), tzinfo=tz)
    assert [e.action for e in draft.events.all()][-2:] == ["reschedule", "reschedule"]

    # The viewer sees the calendar but nothing to drag.
    viewer = log_in(browser, live_server.url, "viewer")
    viewer.goto(f"{live_server.url}/content/calendar/?view=month&date={next_monday.isoformat()}")
    expect(viewer.get_by_test_id("cal-post")).to_be_visible()
    assert viewer.locator("[data-reschedule-url]").count() == 0
