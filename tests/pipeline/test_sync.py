"""Syncing an account from the fake Weibo API, through every fault, ends exactly right."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from inhouse.access.models import AuditEntry
from inhouse.core.models import Account, Item
from inhouse.pipeline import sync as sync_module
from inhouse.pipeline.sync import mark_reauthorised, needs_reauthorization, sync_account
from inhouse.sources.fake_weibo import FakeWeibo, Faults, from_records
from inhouse.weibo import oauth
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

BASE = "http://fake.weibo"


class World:
    """The scenario, the fake serving it in-process, an account and a client whose sleeps
    move the fake's clock instead of waiting."""

    def __init__(self, workspace, faults: Faults | None = None, days: int = 2):
        self.days = days
        self.records = sd.build(days=days)
        self.fake = FakeWeibo(from_records(self.records), faults=faults or Faults())
        self.fake.sleep = self._slow_answer
        self.http = httpx.Client(transport=httpx.WSGITransport(app=self.fake))
        self.slept: list[float] = []
        token = self.fake.issue_token()
        self.account = Account.objects.create(workspace=workspace, platform_uid=sd.OWNER_UID,
                                              screen_name=sd.OWNER_NAME)
        self.account.token = token
        self.account.save()
        policy = RetryPolicy(sleep=self._sleep, rng=random.Random(3))
        self.client = WeiboClient(token, base_url=BASE, http=self.http, retry=policy)

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.fake.clock.advance(seconds)

    @staticmethod
    def _slow_answer(seconds: float) -> None:
        raise httpx.ReadTimeout(f"no answer within the client's timeout (fake held {seconds}s)")

    def sync(self, **options) -> sync_module.SyncReport:
        options.setdefault("page_size", 10)  # small pages: exercise the max_id walk
        return sync_account(self.account, self.client, **options)

    def reauthorise(self) -> None:
        url = oauth.authorize_url(BASE, "fake-app-key", "https://desk.example/cb", "st4te")
        answer = self.http.get(url)
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        assert query["state"] == ["st4te"]
        token = oauth.exchange_code(self.http, BASE, "fake-app-key", "fake-app-secret",
                                    query["code"][0], "https://desk.example/cb")
        mark_reauthorised(self.account, token.access_token, token.expires_at)
        self.client.token = self.account.token

    def run_through_scenario(self, step_hours: float = 5) -> None:
        end = sd.START + dt.timedelta(days=self.days, hours=2)
        while self.fake.clock.now() < end:
            self.fake.clock.advance(step_hours * 3600)
            report = self.sync()
            if report.needs_reauth:
                self.reauthorise()
                self.sync()

    def settle(self) -> None:
        """Faults off; sync until a run completes every stream."""
        self.fake.faults.clear()
        for _ in range(3):
            if self.sync().ok:
                return
        raise AssertionError("sync did not settle")

    def stored_ids(self) -> list[str]:
        return list(Item.objects.filter(workspace=self.account.workspace)
                    .values_list("platform_id", flat=True))

    def expected_ids(self) -> set[str]:
        return sd.reachable(self.records, self.fake.clock.now())


def test_sync_without_faults_stores_exactly_the_visible_items(workspace):
    world = World(workspace)
    world.run_through_scenario()
    world.settle()
    stored = world.stored_ids()
    assert len(stored) == len(set(stored))
    assert set(stored) == world.expected_ids()
    assert world.account.cursors["timeline"] > 0
    assert "_walk" not in world.account.cursors


def test_items_arrive_over_time_and_only_visible_ones_are_synced(workspace):
    world = World(workspace)
    world.fake.clock.set(sd.START + dt.timedelta(hours=5))
    world.sync()
    early = set(world.stored_ids())
    assert early == world.expected_ids()
    assert 0 < len(early) < len(sd.reachable(world.records, sd.START + dt.timedelta(days=3)))


@pytest.mark.parametrize("spec", [
    "rate_limit:0.15",
    "5xx:0.2",
    "slow:0.15",
    "drop:0.15",
    "dup_pages:0.3",
    "expired_token:once",
    "rate_limit:0.05,5xx:0.1,slow:0.05,expired_token:once,drop:0.05,dup_pages:0.1",
])
def test_sync_through_faults_loses_and_duplicates_nothing(workspace, spec):
    world = World(workspace, Faults.parse(spec, seed=11), days=1)
    world.run_through_scenario(step_hours=7)
    world.settle()
    kinds = {kind for kind, _ in world.fake.faults.log}
    assert kinds, "the faults should have fired"
    stored = world.stored_ids()
    assert [i for i, n in Counter(stored).items() if n > 1] == []
    assert set(stored) == world.expected_ids()
    assert not needs_reauthorization(world.account)


def test_expired_token_marks_the_account_and_stops_until_reauthorised(workspace):
    world = World(workspace)
    world.fake.clock.set(sd.START + dt.timedelta(hours=6))
    world.fake.faults.force("expired_token")
    report = world.sync()
    assert report.needs_reauth and not report.ok
    world.account.refresh_from_db()
    assert world.account.reauth_required_at is not None
    assert "21327" in world.account.reauth_reason
    entry = AuditEntry.objects.get(action="account.reauth_required")
    assert entry.after["code"] == 21327 and entry.target == f"account:{world.account.pk}"
    calls = len(world.fake.requests)
    assert world.sync().needs_reauth  # no calls while waiting for the owner
    assert len(world.fake.requests) == calls
    world.reauthorise()
    world.account.refresh_from_db()
    assert world.account.reauth_required_at is None and world.account.reauth_reason == ""
    token_entry = AuditEntry.objects.get(action="account.token_set")
    assert token_entry.before["reauth_required"] is True
    assert world.account.token not in str(token_entry.after)  # never the token itself
    assert world.sync().ok
    assert set(world.stored_ids()) == world.expected_ids()


def test_rate_limit_waits_for_the_reset_the_api_reports(workspace):
    world = World(workspace)
    world.fake.config.user_limit = 6
    world.fake.clock.set(sd.START + dt.timedelta(hours=16, minutes=50))  # 5 own posts
    visible_at_start = world.expected_ids()
    report = world.sync()
    assert report.ok
    # Waited out windows guided by reset_time_in_seconds (to the hour), not a blind 600 s.
    assert world.slept and all(s < 3700 for s in world.slept)
    assert world.fake.clock.now() > sd.START + dt.timedelta(hours=17)
    assert visible_at_start <= set(world.stored_ids()) <= world.expected_ids()


def test_crash_mid_sync_keeps_the_cursor_and_a_rerun_completes(workspace, monkeypatch):
    world = World(workspace)
    world.fake.clock.set(sd.START + dt.timedelta(hours=20))
    real_ingest = sync_module.ingest
    calls = {"n": 0}

    def crashing_ingest(ws, records):
        calls["n"] += 1
        if calls["n"] == 4:  # inside the comments_to_me walk (timeline 1 page, mentions 2)
            raise RuntimeError("worker killed")
        return real_ingest(ws, records)

    monkeypatch.setattr(sync_module, "ingest", crashing_ingest)
    with pytest.raises(RuntimeError):
        world.sync()
    world.account.refresh_from_db()
    assert "comments_to_me" not in world.account.cursors  # not advanced
    assert "timeline" in world.account.cursors  # finished streams keep theirs
    monkeypatch.setattr(sync_module, "ingest", real_ingest)
    assert world.sync().ok
    stored = world.stored_ids()
    assert len(stored) == len(set(stored))
    assert set(stored) == world.expected_ids()


def test_enterprise_accounts_read_comments_through_biz_endpoints(workspace):
    world = World(workspace)
    world.client.enterprise = True
    world.fake.clock.set(sd.START + dt.timedelta(hours=10))
    assert world.sync().ok
    assert "/2/comments/to_me/biz.json" in world.fake.requests
    assert set(world.stored_ids()) == world.expected_ids()
