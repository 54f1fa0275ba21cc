"""In Chromium with every request off the desk blocked: the dashboard's charts draw offline."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_dashboard_charts_draw_without_the_internet(browser, live_server, transactional_db,  # noqa: F811
                                                    workspace, cast):
    from playwright.sync_api import expect

    from inhouse.analytics.intake import intake
    from inhouse.core.models import Account, Author, Item

    Account.objects.create(workspace=workspace, platform_uid="7390000001", screen_name="小鹿零食官方微博")
    fan = Author.objects.create(uid="5000000001", screen_name="小熊", followers_count=40)
    items = [Item.objects.create(workspace=workspace, platform_id=f"c{i}", kind="comment",
                                 author=fan, text="小鹿零食 好吃", created_at=timezone.now(),
                                 sentiment="positive") for i in range(3)]
    intake(items)

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    outside = []

    def only_the_desk(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_desk)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "agency")
    page.fill("#id_password", "pw-agency-2026")
    page.click("button.primary")
    page.goto(f"{live_server.url}/analytics/")
    for key in ("volume", "sentiment", "fans", "voice"):
        expect(page.locator(f"#chart-{key} .main-svg").first).to_be_visible()
    expect(page.locator("#chart-volume .bars path").first).to_be_attached()
    assert outside == []
