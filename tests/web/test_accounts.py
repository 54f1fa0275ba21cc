"""The owner connects and re-authorises Weibo accounts through the fake's OAuth; the banner."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import RequestFactory

from inhouse.access.models import AuditEntry
from inhouse.core.models import Account
from inhouse.pipeline.sync import mark_needs_reauthorization
from inhouse.sources.fake_weibo import FakeWeibo, from_records
from inhouse.web import accounts as views
from inhouse.web.workspace import desk_for
from inhouse.weibo.errors import WeiboError
from tests.weibo import scenario_data as sd

pytestmark = pytest.mark.django_db
BASE = "http://fake.weibo"


@pytest.fixture
def fake(settings, monkeypatch) -> FakeWeibo:
    fake = FakeWeibo(from_records(sd.build(days=1)))
    settings.WEIBO_API_BASE = BASE
    settings.WEIBO_APP_KEY = fake.config.client_id
    settings.WEIBO_APP_SECRET = fake.config.client_secret
    settings.WEIBO_REDIRECT_URI = ""
    monkeypatch.setattr(views, "oauth_http",
                        lambda: httpx.Client(transport=httpx.WSGITransport(app=fake)))
    return fake


@pytest.fixture
def owner(client, cast):
    client.force_login(cast["owner"])
    return client


@pytest.fixture
def account(workspace, fake) -> Account:
    account = Account.objects.create(workspace=workspace, platform_uid=str(fake.scenario.owner_uid),
                                     screen_name=sd.OWNER_NAME)
    account.token = "2.00old"
    account.save()
    return account


def authorise(client, fake: FakeWeibo, data: dict) -> httpx.Response:
    """Connect, let the fake approve (it auto-approves as its owner), follow the redirect back."""
    start = client.post("/weibo-accounts/connect/", data)
    assert start.status_code == 302
    target = start["Location"]
    assert target.startswith(f"{BASE}/oauth2/authorize?")
    query = parse_qs(urlsplit(target).query)
    assert query["client_id"] == [fake.config.client_id] and query["forcelogin"] == ["true"]
    approved = httpx.Client(transport=httpx.WSGITransport(app=fake)).get(target)
    back = urlsplit(approved.headers["location"])
    return client.get(f"{back.path}?{back.query}", HTTP_ACCEPT_LANGUAGE="en")


def test_reauthorising_stores_a_fresh_encrypted_token_with_its_expiry_and_audits_it(
        owner, fake, account, cast):
    mark_needs_reauthorization(account, WeiboError("expired", code=21327))
    answer = authorise(owner, fake, {"account": account.pk})
    assert answer.status_code == 302 and answer["Location"] == "/weibo-accounts/"
    account.refresh_from_db()
    assert account.reauth_required_at is None
    assert account.token != "2.00old" and account.token in fake.tokens
    assert account.token not in account.token_encrypted
    lifetime = fake.config.token_lifetime
    assert abs((account.token_expires_at - dt.datetime.now(dt.UTC)).total_seconds() - lifetime) < 120
    entry = AuditEntry.objects.get(action="account.token_set")
    assert entry.actor == cast["owner"] and entry.before["reauth_required"] is True
    assert account.token not in str(entry.after)


def test_connecting_a_new_account_creates_it_from_the_token_owner(owner, fake, workspace):
    assert authorise(owner, fake, {}).status_code == 302
    account = Account.objects.get(workspace=workspace)
    assert account.platform_uid == str(fake.scenario.owner_uid)
    assert account.screen_name == fake.scenario.owner_name
    assert AuditEntry.objects.filter(action="account.connect").count() == 1


def test_signing_in_as_another_weibo_user_is_refused(owner, fake, account):
    account.platform_uid = "1234"
    account.save()
    page = authorise(owner, fake, {"account": account.pk})
    assert page.status_code == 200
    assert "Sign in as that account" in page.content.decode()
    account.refresh_from_db()
    assert account.token == "2.00old"


def test_a_callback_with_a_forged_or_reused_state_stores_nothing(owner, fake, account):
    page = owner.get("/weibo-accounts/callback/?code=abc&state=forged", HTTP_ACCEPT_LANGUAGE="en")
    assert "not started here" in page.content.decode()
    owner.post("/weibo-accounts/connect/", {"account": account.pk})
    state = owner.session[views.SESSION_KEY]["state"]
    first = owner.get(f"/weibo-accounts/callback/?code=bad&state={state}", HTTP_ACCEPT_LANGUAGE="en")
    assert "refused the authorisation code" in first.content.decode()  # 21325 from the fake
    again = owner.get(f"/weibo-accounts/callback/?code=bad&state={state}", HTTP_ACCEPT_LANGUAGE="en")
    assert "already been used" in again.content.decode()
    account.refresh_from_db()
    assert account.token == "2.00old"
    assert not AuditEntry.objects.filter(action="account.token_set").exists()


def test_the_page_lists_accounts_with_their_state(owner, fake, account):
    account.is_enterprise = True
    account.save()
    mark_needs_reauthorization(account, WeiboError("expired", code=21327))
    page = owner.get("/weibo-accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"@{sd.OWNER_NAME}" in page and "needs re-authorisation" in page


def test_connect_without_app_credentials_says_what_to_set(owner, settings, monkeypatch):
    settings.WEIBO_APP_KEY = ""
    monkeypatch.delenv("WEIBO_APP_KEY", raising=False)
    answer = owner.post("/weibo-accounts/connect/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "WEIBO_APP_KEY" in answer.content.decode()


@pytest.mark.parametrize(("role", "shown"), [("owner", True), ("operator", False), ("viewer", False)])
def test_the_banner_is_for_whoever_can_reauthorise(cast, account, role, shown):
    mark_needs_reauthorization(account, WeiboError("expired", code=21327))
    request = RequestFactory().get("/")
    request.user, request.session = cast[role], {}
    request.desk = desk_for(request)
    context = views.reauth_banner(request)
    assert (context.get("reauth_accounts") == [account]) is shown


def test_the_banner_template_names_the_account_and_links_to_the_fix(account):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("web/accounts_banner.html", {"reauth_accounts": [account]})
    assert f"@{sd.OWNER_NAME}" in html and 'href="/weibo-accounts/"' in html


def test_the_page_speaks_chinese_by_default(owner, fake, account):
    mark_needs_reauthorization(account, WeiboError("expired", code=21327))
    html = owner.get("/weibo-accounts/").content.decode()
    assert "微博账号" in html and "需要重新授权" in html and "重新授权" in html
