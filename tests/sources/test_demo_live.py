"""The live demo: the desk syncs from a fake whose clock runs fast, and items arrive over time."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import httpx
import pytest
from waitress.server import create_server

from inhouse.core.models import Account, Item
from inhouse.pipeline.sync import sync_account
from inhouse.sources.demo import brand
from inhouse.sources.demo.people import CRISIS_POSTER
from inhouse.sources.fake_weibo import FakeWeibo, ScenarioClock, from_records
from inhouse.sources.fake_weibo.live import cursors_at, default_clock_start, prepare_desk
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)


@pytest.fixture
def served():
    """Serve a fake over real HTTP on a free port; yields (fake, base URL)."""
    fake = FakeWeibo(from_records(sd.build(days=2)))
    server = create_server(fake, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


def test_a_sync_from_a_running_fake_with_a_fast_clock_brings_items_over_time(served, workspace):
    fake, base = served
    fake.clock = ScenarioClock(sd.START + dt.timedelta(hours=4), speed=4 * 3600)  # 4 h a second
    account = Account.objects.create(workspace=workspace, platform_uid=sd.OWNER_UID,
                                     screen_name=sd.OWNER_NAME)
    account.token = fake.issue_token()
    account.save()
    counts = []
    with WeiboClient(account.token, base_url=base, retry=RetryPolicy(max_attempts=2)) as client:
        for _ in range(3):
            report = sync_account(account, client)
            assert report.ok, report.as_dict()
            counts.append(Item.objects.filter(workspace=workspace).count())
            time.sleep(1.5)
    assert counts[0] > 0 and counts[0] < counts[1] < counts[2], counts
    stored = list(Item.objects.values_list("platform_id", flat=True))
    assert not [i for i, n in Counter(stored).items() if n > 1]


def test_cursors_start_at_the_newest_item_before_the_clock():
    records = sd.build(days=1)
    moment = sd.START + dt.timedelta(hours=6)
    cursors = cursors_at(records, sd.OWNER_UID, moment)
    newest = max(int(r["id"]) for r in records
                 if dt.datetime.fromisoformat(r["created_at"]) <= moment)
    assert cursors["timeline"] == cursors["comments_to_me"] == newest
    assert any(name.startswith("comments:") for name in cursors)


def test_the_prepared_desk_syncs_the_crisis_as_the_fake_clock_reaches_it(workspace):
    start = default_clock_start(WEEK)
    prepared = prepare_desk(WEEK, start, "fake-token", scale=0.1, analyze=False)
    account = Account.objects.get(pk=prepared.account_id)
    assert account.token == "fake-token" and not account.reauth_required_at
    before = Item.objects.filter(workspace=account.workspace).count()
    assert before == prepared.loaded > 0
    assert not Item.objects.filter(created_at__gt=start).exists()

    fake = FakeWeibo(from_records(prepared.records))
    fake.issue_token(token="fake-token")
    fake.clock.set(start)
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    client = WeiboClient("fake-token", base_url="http://fake.weibo", http=http, enterprise=True)
    assert sync_account(account, client).created == 0  # nothing new yet: no history re-read
    fake.clock.advance(3 * 3600)  # past the crisis post at 11:47
    report = sync_account(account, client)
    assert report.ok and report.created > 0
    arrived = Item.objects.filter(workspace=account.workspace, created_at__gt=start)
    assert arrived.count() == report.created
    assert arrived.filter(author__uid=CRISIS_POSTER.uid).exists()
    assert Item.objects.filter(account=account, author__uid=brand.OFFICIAL_UID).exists()
