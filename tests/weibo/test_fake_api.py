"""The fake answers like the documented API: paging, limits, errors, OAuth, faults."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from inhouse.sources.fake_weibo import Faults
from inhouse.weibo import oauth
from inhouse.weibo.client import OutcomeUnknown, WeiboClient
from inhouse.weibo.errors import Category, TransportError, WeiboError
from inhouse.weibo.payloads import parse_created_at
from inhouse.weibo.retry import NO_RETRY
from tests.weibo.conftest import BASE


def ids(page, key="comments"):
    return [item["id"] for item in page[key]]


def test_since_id_is_exclusive_and_max_id_inclusive(client):
    everything = ids(client.comments_to_me(count=200))
    assert everything == sorted(everything, reverse=True) and len(everything) > 10
    pivot = everything[5]
    assert ids(client.comments_to_me(since_id=pivot, count=200)) == everything[:5]
    assert ids(client.comments_to_me(max_id=pivot, count=200)) == everything[5:]
    assert ids(client.comments_to_me(count=4, page=2)) == everything[4:8]


def test_count_is_capped_and_wrappers_are_documented(client, fake):
    page = client.read("comments/to_me", {"count": 1000})
    assert set(page) >= {"comments", "previous_cursor", "next_cursor", "total_number"}
    timeline = client.read("statuses/user_timeline", {"count": 1000})
    assert "statuses" in timeline
    reposts = client.repost_timeline(ids(client.user_timeline(), "statuses")[-1])
    assert "reposts" in reposts


def test_timeline_shows_only_the_latest_five_posts_unless_configured(client, fake):
    fake.clock.advance(10 * 3600)
    assert len(client.user_timeline()["statuses"]) == 5
    fake.config.timeline_limit = None
    assert len(client.user_timeline()["statuses"]) > 5
    with pytest.raises(WeiboError):
        client.user_timeline(uid="7770000001")  # only the token owner's timeline


def test_objects_carry_int64_ids_idstr_and_english_created_at(fake):
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    token = fake.issue_token()
    body = http.get(f"{BASE}/2/statuses/user_timeline.json", params={"access_token": token}).text
    status = json.loads(body)["statuses"][0]
    assert isinstance(status["id"], int) and status["idstr"] == str(status["id"])
    assert parse_created_at(status["created_at"]).utcoffset() == dt.timedelta(hours=8)
    assert "\\u" not in body  # UTF-8 Chinese as Weibo sends it


def test_items_appear_when_the_clock_reaches_them(client, fake):
    before = client.comments_to_me(count=200)["total_number"]
    fake.clock.advance(6 * 3600)
    assert client.comments_to_me(count=200)["total_number"] > before


def test_error_bodies_have_the_documented_shape(fake):
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    answer = http.get(f"{BASE}/2/comments/to_me.json", params={"access_token": "nope"})
    assert answer.json() == {"error": "invalid_access_token", "error_code": 21332,
                             "request": "/2/comments/to_me.json"}
    answer = http.get(f"{BASE}/2/comments/to_me.json")
    assert answer.json()["error_code"] == 10006


def test_writes_check_length_duplicates_and_rip(client, fake):
    with pytest.raises(WeiboError) as too_long:
        client.update_status("字" * 141)
    assert too_long.value.code == 20012
    client.update_status("新品今天上市")
    with pytest.raises(WeiboError) as repeated:
        client.update_status("新品今天上市")
    assert repeated.value.code == 20019
    with pytest.raises(WeiboError) as no_rip:
        WeiboClient(client.token, base_url=BASE, http=client.http).share_status("看这里")
    assert no_rip.value.code == 10016
    assert [w["api"] for w in fake.writes] == ["statuses/update"]


def test_replies_go_through_biz_for_enterprise_accounts_and_are_stored(client, fake):
    client.enterprise = True
    target = client.comments_to_me(count=1)["comments"][0]
    made = client.reply_comment(target["id"], target["status"]["id"], "已安排今天发货")
    assert made["text"].startswith("回复@") and made["reply_comment"]["id"] == target["id"]
    assert fake.writes[-1]["api"] == "comments/reply" and fake.writes[-1]["biz"]
    assert made["id"] in ids(client.comments_by_me())
    with pytest.raises(WeiboError) as missing:
        client.reply_comment(1, target["status"]["id"], "x")
    assert missing.value.code == 20201


def test_rate_limit_per_token_per_hour_with_reset_in_rate_limit_status(client, fake, slept):
    fake.config.user_limit = 3
    client.retry.max_rate_limit_waits = 0
    for _ in range(3):
        client.get_uid()
    with pytest.raises(WeiboError) as limited:
        client.get_uid()
    assert limited.value.code == 10023 and limited.value.category == Category.RATE_LIMITED
    status = client.rate_limit_status()
    assert status["remaining_user_hits"] == 0 and status["limit_time_unit"] == "HOURS"
    assert limited.value.retry_after == status["reset_time_in_seconds"]
    client.retry.max_rate_limit_waits = 1
    assert client.get_uid() == "5550001111"  # waited for the next hour, then resumed
    assert slept and slept[0] >= status["reset_time_in_seconds"]


def test_oauth_flow_token_info_and_expiry(fake):
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    state = oauth.new_state()
    url = oauth.authorize_url(BASE, "fake-app-key", "https://desk.example/cb", state)
    query = parse_qs(urlsplit(http.get(url).headers["location"]).query)
    assert query["state"] == [state]
    now = fake.clock.now()
    token = oauth.exchange_code(http, BASE, "fake-app-key", "fake-app-secret",
                                query["code"][0], "https://desk.example/cb", now=now)
    assert token.uid == "5550001111" and token.expires_at == now + dt.timedelta(seconds=157679999)
    with pytest.raises(WeiboError) as reused:
        oauth.exchange_code(http, BASE, "fake-app-key", "fake-app-secret",
                            query["code"][0], "https://desk.example/cb")
    assert reused.value.code == 21325
    assert oauth.token_info(http, BASE, token.access_token)["expire_in"] > 0
    fake.expire_token(token.access_token)
    client = WeiboClient(token.access_token, base_url=BASE, http=http)
    with pytest.raises(WeiboError) as expired:
        client.get_uid()
    assert expired.value.category == Category.TOKEN_EXPIRED and expired.value.code == 21327


def test_fault_spec_parses_and_is_seeded():
    spec = "rate_limit:0.1,5xx:0.1,slow:0.05,expired_token:once,drop:0.05,dup_pages:x2"
    first, second = Faults.parse(spec, seed=4), Faults.parse(spec, seed=4)
    draws = [first.draw("/2/x.json", listing=True) for _ in range(50)]
    assert draws == [second.draw("/2/x.json", listing=True) for _ in range(50)]
    assert draws[:3] == ["dup_pages", "dup_pages", "expired_token"]
    with pytest.raises(ValueError, match="unknown fault"):
        Faults.parse("meteor:0.1")


def test_5xx_and_dropped_bodies_are_retried_for_reads(client, fake, slept):
    fake.faults.force("5xx", 2)
    fake.faults.force("drop")
    assert client.get_uid() == "5550001111"
    assert len(slept) == 3


def test_a_write_without_an_answer_is_not_retried_blindly(client, fake):
    fake.faults.force("slow")
    with pytest.raises(OutcomeUnknown):
        client.update_status("限时优惠")
    assert len(fake.writes) == 1  # it went through; only the answer was lost


def test_transport_errors_without_retry(fake):
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    client = WeiboClient(fake.issue_token(), base_url=BASE, http=http, retry=NO_RETRY)
    fake.faults.force("drop")
    with pytest.raises(TransportError, match="unreadable answer"):
        client.get_uid()
