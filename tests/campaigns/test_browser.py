"""Through the desk in Chromium: the agency plans a campaign; the operator on duty sends an
instant post from the live page, and a double click still makes one post on the fake API."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from inhouse.campaigns.models import Campaign
from inhouse.content.models import Draft, State
from inhouse.outbox.send import send_write
from tests.content.test_browser import log_in
from tests.outbox.world import World, stub_analysis
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_agency_plans_and_the_operator_on_duty_posts_once(browser, live_server, transactional_db,  # noqa: F811
                                                          workspace, cast, keynote, partner, monkeypatch):
    from playwright.sync_api import expect

    from inhouse.campaigns import actions

    stub_analysis(monkeypatch)
    world = World(workspace)
    monkeypatch.setattr("inhouse.outbox.tasks.send_write_task.delay",
                        lambda pk: send_write(pk, client=world.client))
    start = timezone.localtime().replace(second=0, microsecond=0)

    agency = log_in(browser, live_server.url, "agency")
    agency.goto(f"{live_server.url}/campaigns/new/")
    agency.fill("#id_name", "暖冬零食节")
    agency.fill("#id_hashtag", "小鹿暖冬零食节")
    agency.fill("#id_starts_at", (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    agency.fill("#id_ends_at", (start + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    agency.get_by_label("暖风家电").check()
    agency.get_by_role("button", name="保存").click()
    expect(agency.get_by_role("heading", level=1)).to_contain_text("暖冬零食节")
    campaign = Campaign.objects.get()
    assert campaign.hashtag == "#小鹿暖冬零食节#" and list(campaign.partners.all()) == [partner]
    assert agency.get_by_test_id("instant-form").count() == 0  # plans, never publishes

    actions.set_on_duty(campaign, cast["owner"], [cast["operator"]])
    operator = log_in(browser, live_server.url, "operator")
    operator.goto(f"{live_server.url}/campaigns/{campaign.pk}/live/")
    operator.fill("#id_text", "快闪店开门啦，鹿角脆现炸12.9元一袋 #小鹿零食#")
    operator.get_by_test_id("instant-publish").dblclick()
    expect(operator.get_by_test_id("message")).to_contain_text("正在发往微博")
    draft = Draft.objects.get()
    assert draft.state == State.PUBLISHED and draft.campaign == "暖冬零食节"
    assert len([w for w in world.fake.writes if "快闪店开门啦" in w.get("text", "")]) == 1
