"""Re-authorisation: an expired or revoked token, met by a sync or by a write, marks the
account once, audits it, alerts the workspace's channels, and a fresh token clears it."""

from __future__ import annotations

import httpx
import pytest

from inhouse.access.models import AuditEntry
from inhouse.channels.models import Channel, Delivery
from inhouse.core.models import Account
from inhouse.pipeline.sync import (
    mark_needs_reauthorization,
    mark_reauthorised,
    needs_reauthorization,
)
from inhouse.pipeline.sync_tasks import client_for, sync_accounts
from inhouse.sources.fake_weibo import FakeWeibo, from_records
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.errors import WeiboError
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

pytestmark = pytest.mark.django_db
BASE = "http://fake.weibo"
EXPIRED = WeiboError("the access token has expired", code=21327, request="/2/comments/to_me.json")


@pytest.fixture
def account(workspace) -> Account:
    account = Account.objects.create(workspace=workspace, platform_uid=sd.OWNER_UID,
                                     screen_name=sd.OWNER_NAME, is_enterprise=True)
    account.token = "2.00old"
    account.save()
    return account


@pytest.fixture
def channel(workspace) -> Channel:
    # Made directly: channel actions need an owner, and what is tested here is the alert.
    return Channel.objects.create(workspace=workspace, kind="webhook", name="ops",
                                  config={"url": "https://hooks.example/ops", "escalation": []})


def test_an_expired_token_is_marked_once_audited_once_and_alerted_once(
        account, channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_needs_reauthorization(account, EXPIRED) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_needs_reauthorization(account, EXPIRED) is False  # the same episode
    account.refresh_from_db()
    assert needs_reauthorization(account)
    assert "21327" in account.reauth_reason
    assert AuditEntry.objects.filter(action="account.reauth_required").count() == 1
    delivery = Delivery.objects.get(channel=channel)
    assert delivery.message["severity"] == "critical"
    assert sd.OWNER_NAME in delivery.message["title"]
    assert "re-authorise" in delivery.message["text"]


def test_a_write_refused_for_the_token_marks_the_account(account):
    fake = FakeWeibo(from_records(sd.build(days=1)))
    token = fake.issue_token()
    fake.expire_token(token)
    client = WeiboClient(token, base_url=BASE, rip="211.156.0.1",
                         http=httpx.Client(transport=httpx.WSGITransport(app=fake)),
                         retry=RetryPolicy(sleep=lambda s: None),
                         on_token_error=client_for(account).on_token_error)
    with pytest.raises(WeiboError) as raised:
        client.update_status("新品上市")
    assert raised.value.code == 21327
    account.refresh_from_db()
    assert account.reauth_required_at is not None


def test_scheduled_sync_skips_an_account_waiting_for_its_owner(account):
    mark_needs_reauthorization(account, EXPIRED)
    assert sync_accounts() == [{"account": account.pk, "needs_reauth": True, "skipped": True}]


def test_a_fresh_token_clears_the_mark_and_is_audited_without_the_token(account, cast):
    mark_needs_reauthorization(account, EXPIRED)
    mark_reauthorised(account, "2.00fresh", None, actor=cast["owner"])
    account.refresh_from_db()
    assert not needs_reauthorization(account) and account.token == "2.00fresh"
    assert account.token_encrypted != "2.00fresh"  # encrypted at rest
    entry = AuditEntry.objects.get(action="account.token_set")
    assert entry.actor == cast["owner"]
    assert "2.00fresh" not in str(entry.before) + str(entry.after)
