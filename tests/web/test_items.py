"""The item list: search, filters, paging, htmx partials, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.web.listing import PAGE_SIZE
from tests.web import factories as f


@pytest.fixture
def owner(client, cast):
    client.force_login(cast["owner"])
    return client


def texts(response) -> list[str]:
    return [item.text for item in response.context["page"].object_list]


def test_lists_everything_newest_first_with_a_count(owner, week):
    page = owner.get("/items/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["page"].paginator.count == 26
    times = [i.created_at for i in page.context["page"].object_list]
    assert times == sorted(times, reverse=True)
    assert b"26 items" in page.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "花生"}, ["请问鹿角脆含有花生吗？孩子过敏"]),
        ({"author": "宝妈"}, None),
        ({"kind": "message"}, ["我的订单三天没发货，能查一下吗"]),
        ({"intent": "cooperation"}, ["期待和鹿角脆联名合作，欢迎私信"]),
        ({"emotion": "fear"}, ["请问鹿角脆含有花生吗？孩子过敏"]),
        ({"sentiment": "negative", "intent": "consultation"}, ["我的订单三天没发货，能查一下吗"]),
    ],
)
def test_filters(owner, week, query, expected):
    found = texts(owner.get("/items/", query))
    if expected is None:  # every item by that author
        assert found and all(t for t in found)
        assert len(found) == 2 + 6  # two today, one comment on each earlier day
    else:
        assert found == expected


def test_waiting_filter_matches_the_home_panel(owner, week):
    found = set(texts(owner.get("/items/", {"waiting": "on"})))
    assert found == {week.waiting.text, week.message.text}


def test_has_replies_finds_items_that_others_answered(owner, week):
    found = set(texts(owner.get("/items/", {"has_replies": "on"})))
    assert found == {week.post.text, week.answered.text, "好吃！"}


def test_author_uid_lists_one_authors_items(owner, week):
    found = texts(owner.get("/items/", {"author_uid": week.waiting.author.uid}))
    assert week.waiting.text in found
    assert all("宝妈" in i.author.screen_name
               for i in owner.get("/items/", {"author_uid": "1002"}).context["page"].object_list)


def test_date_range_uses_local_days(owner, week):
    today = timezone.localdate(week.now)
    found = owner.get("/items/", {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert found.context["page"].paginator.count == 14
    yesterday = today - dt.timedelta(days=1)
    older = owner.get("/items/", {"date_to": yesterday.isoformat()})
    assert older.context["page"].paginator.count == 12


def test_a_bad_filter_value_is_ignored_not_an_error(owner, week):
    page = owner.get("/items/", {"kind": "telegram", "date_from": "yesterday"})
    assert page.status_code == 200
    assert b"errorlist" in page.content or page.context["form"].errors


def test_htmx_request_gets_only_the_results(owner, week):
    partial = owner.get("/items/", {"q": "花生"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert [t.name for t in partial.templates][0] == "web/items/_results.html"
    assert b"<html" not in partial.content
    assert "花生".encode() in partial.content
    full = owner.get("/items/", {"q": "花生"})
    assert b"<html" in full.content and b'id="results"' in full.content


def test_pages_of_fifty(owner, workspace, week):
    fan = f.author("1001", "")
    for i in range(PAGE_SIZE + 10):
        f.item(workspace, "comment", week.now - dt.timedelta(days=8, minutes=i), f"旧 {i}", by=fan)
    first = owner.get("/items/", {"q": "旧"})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    second = owner.get("/items/", {"q": "旧", "page": 2})
    assert len(second.context["page"].object_list) == 10
    assert b"q=%E6%97%A7&amp;page=1" in second.content


def test_item_list_query_count_does_not_grow_with_rows(owner, workspace, week,
                                                       django_assert_max_num_queries):
    for i in range(120):
        author = f.author(f"9{i:04d}", f"用户{i}")
        f.item(workspace, "comment", week.now - dt.timedelta(minutes=i), f"评论 {i}", by=author)
    # session, user, memberships, emotions, count, page rows (authors joined).
    with django_assert_max_num_queries(8):
        assert owner.get("/items/").status_code == 200
    with django_assert_max_num_queries(8):
        assert owner.get("/items/", {"has_replies": "on", "q": "评论"},
                         HTTP_HX_REQUEST="true").status_code == 200


def test_a_long_list_is_counted_only_up_to_the_cap(owner, workspace, week, monkeypatch):
    """At a million items the desk does not COUNT(*) them all: past the cap it says "more
    than" and paging on still works (the cap is lowered here instead of making 10,000 rows)."""
    from inhouse.core import paging

    fan = f.author("1002", "")
    for i in range(80):  # 106 items in all: more than two pages of fifty
        f.item(workspace, "comment", week.now - dt.timedelta(days=9, minutes=i), f"多 {i}", by=fan)
    monkeypatch.setattr(paging, "DEFAULT_CAP", 20)
    page = owner.get("/items/", HTTP_ACCEPT_LANGUAGE="en")
    paginator = page.context["page"].paginator
    assert paginator.capped and paginator.count == PAGE_SIZE * 2 + 1  # one page past page 1
    assert b"more than 100 items" in page.content
    chinese = owner.get("/items/", {"page": 1}).content.decode()
    assert "超过 100 条" in chinese and "第 1 页，共 2 页以上" in chinese
    last = owner.get("/items/", {"page": 3}).context["page"]
    assert len(last.object_list) == 6 and not last.has_next() and not last.paginator.capped
    monkeypatch.setattr(paging, "DEFAULT_CAP", 10)
    exact = owner.get("/items/", {"q": "花生"}, HTTP_ACCEPT_LANGUAGE="en")
    assert not exact.context["page"].paginator.capped
    assert b"1 item" in exact.content
