"""Through the desk as a person uses it: Chromium, driven by Playwright, against a live server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls that the fixtures make
# around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def test_owner_reads_the_desk_end_to_end(browser, live_server, transactional_db, cast, week):
    from tests.web.conftest import route_to_inbox

    route_to_inbox()
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # Log in: the desk follows the browser and opens in Chinese.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", "owner")
    page.fill("#id_password", "pw-owner-2026")
    page.click("button.primary")

    # Home: one panel per window, with the figures.
    expect(page.locator("#panel-service")).to_contain_text("客户服务")
    expect(page.locator("#panel-service .figure")).to_have_text("2")
    for panel in ("#panel-opinion", "#panel-volume", "#panel-partners", "#panel-content"):
        expect(page.locator(panel)).to_be_visible()
    expect(page.locator(".sparkline")).to_be_visible()
    expect(page.get_by_test_id("workspace-name")).to_have_text("小鹿零食")

    # The item list, filtered live through htmx as the user types.
    page.click("nav >> text=信息")
    expect(page.get_by_test_id("result-count")).to_contain_text("26")
    page.fill("#id_q", "花生")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    expect(page).to_have_url(re.compile(r"q=%E8%8A%B1%E7%94%9F"))
    page.select_option("#id_kind", "comment")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")

    # The item and its thread: the root post above, the brand's reply indented.
    page.click("table.items >> text=请问鹿角脆含有花生吗")
    expect(page.get_by_test_id("item")).to_contain_text("孩子过敏")
    thread = page.get_by_test_id("thread")
    expect(thread).to_contain_text("新品鹿角脆上市啦")
    expect(thread).to_contain_text("您好，北京下周一到货")
    expect(thread.locator(".chain")).to_contain_text("//@零食测评君")

    # Switch to English: the same page, now in English.
    page.click("button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=re.compile("Thread"))).to_be_visible()
    expect(page.locator("nav")).to_contain_text("Items")

    # And log out through the user menu.
    page.click(".user-menu summary")
    page.click("text=Log out")
    expect(page).to_have_url(re.compile(r"/login/"))
    context.close()
