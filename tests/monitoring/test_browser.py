"""Through the desk in Chromium: an operator reads the repost tree, opens a collapsed branch,
writes the lessons in the post-incident report and downloads its PDF."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Incident, Topic
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

from .factories import T0, item

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_the_operator_reads_the_tree_and_files_the_report(browser, live_server,  # noqa: F811
                                                          transactional_db, workspace, cast):
    from playwright.sync_api import expect

    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    post = item(workspace, "小鹿零食的袋子里吃出苍蝇！", sentiment="negative", followers=900)
    big = item(workspace, "转发微博", at=T0 + dt.timedelta(seconds=10), kind="repost",
               parent=post.platform_id, followers=3_000_000, verified=True)
    items = [post, big] + [
        item(workspace, f"天哪//@{big.author.screen_name}:转发微博" if i % 2 else "转发微博",
             at=T0 + dt.timedelta(seconds=20 * (i + 2)), kind="repost", parent=post.platform_id,
             sentiment="negative") for i in range(60)]
    intake(items)
    incident = Incident.objects.get()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", "pw-operator-2026")
    page.click("button.primary")
    page.goto(f"{live_server.url}/monitoring/incidents/{incident.pk}/")

    tree = page.get_by_test_id("repost-tree")
    expect(tree).to_contain_text("转发树")
    expect(tree.get_by_test_id("spreader").first).to_contain_text(big.author.screen_name)
    branch = tree.locator("li.verified > details")
    expect(branch.locator("> ul")).to_be_hidden()  # collapsed below the first level
    branch.locator("> summary").click()
    expect(branch.locator("> ul > li").first).to_be_visible()

    page.get_by_test_id("report-link").click()
    expect(page.locator("h1")).to_contain_text("事件复盘报告")
    expect(page.locator("#spread-chart")).to_be_visible()
    page.fill("textarea[name=lessons]", "首帖一小时内回复；夜间值班看企业微信群")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("textarea[name=lessons]")).to_have_value("首帖一小时内回复；夜间值班看企业微信群")
    with page.expect_download() as info:
        page.get_by_test_id("report-pdf").click()
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    context.close()
