"""Pure conversions of Weibo objects into records."""

from __future__ import annotations

import datetime as dt
import locale

from inhouse.pipeline.records import parse_record
from inhouse.weibo.payloads import (
    comment_from_payload,
    format_created_at,
    object_id,
    parse_created_at,
    status_from_payload,
    user_from_payload,
)

BIG = 5612814510546515491  # > 2**53: a float would corrupt it


def test_created_at_uses_the_documented_format_and_round_trips():
    moment = dt.datetime(2011, 5, 31, 17, 46, 55, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert format_created_at(moment) == "Tue May 31 17:46:55 +0800 2011"
    assert parse_created_at("Tue May 31 17:46:55 +0800 2011").timestamp() == 1306835215


def test_created_at_ignores_the_process_locale():
    moment = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pass  # the locale is not installed; the fixed tables are still what is checked
    try:
        assert format_created_at(moment) == "Sun Feb 01 09:00:00 +0000 2026"
    finally:
        locale.setlocale(locale.LC_TIME, "C")


def test_ids_beyond_2_53_survive_through_idstr():
    assert object_id({"id": float(BIG), "idstr": str(BIG)}) == BIG
    record = status_from_payload({"id": BIG, "idstr": str(BIG), "text": "x",
                                  "created_at": "Tue May 31 17:46:55 +0800 2011"})
    assert record["id"] == str(BIG)


def test_a_status_with_retweeted_status_is_a_repost_of_the_original():
    payload = {"idstr": "4100000000000002", "created_at": "Wed Jun 01 00:50:25 +0800 2011",
               "text": "转发微博", "reposts_count": "3", "attitudes_count": 7,
               "user": {"id": 7770002222, "screen_name": "小王", "followers_count": "12"},
               "retweeted_status": {"id": 4100000000000001, "idstr": "4100000000000001"}}
    record = status_from_payload(payload, "5550001111")
    assert (record["kind"], record["parent_id"], record["root_id"]) == (
        "repost", "4100000000000001", "4100000000000001")
    assert record["reposts_count"] == 3 and record["likes_count"] == 7
    assert record["author"]["followers_count"] == 12
    assert record["raw"] is payload
    parsed = parse_record(record)
    assert parsed.created_at.isoformat() == "2011-06-01T00:50:25+08:00"
    assert parsed.account_uid == "5550001111"


def test_a_comment_with_reply_comment_is_a_reply_threaded_under_the_status():
    payload = {"created_at": "Wed Jun 01 00:50:25 +0800 2011", "id": 4100000000000001,
               "idstr": "4100000000000001", "text": "回复@小王:已处理",
               "user": {"id": 5550001111, "idstr": "5550001111", "screen_name": "ExampleCorp",
                        "verified": True, "verified_type": 2},
               "status": {"id": 4099999999999999, "idstr": "4099999999999999", "text": "新品发布"},
               "reply_comment": {"id": 4099999999999000, "idstr": "4099999999999000",
                                 "text": "什么时候发货?", "user": {"id": 7770002222}}}
    record = comment_from_payload(payload)
    assert (record["kind"], record["parent_id"], record["root_id"]) == (
        "reply", "4099999999999000", "4099999999999999")
    assert parse_record(record).author.verified_type == 2


def test_user_numbers_sent_as_strings_are_read_leniently():
    author = user_from_payload({"id": "5550001111", "screen_name": "a", "followers_count": "11",
                                "verified_type": "nonsense"})
    assert author["uid"] == "5550001111" and author["followers_count"] == 11
    assert "verified_type" not in author
