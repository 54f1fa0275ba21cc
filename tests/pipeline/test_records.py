"""The record parser: what it accepts and how it names what it rejects."""

import datetime as dt

import pytest

from inhouse.pipeline.records import RecordError, parse_batch, parse_record, parse_time
from tests.pipeline.factories import comment_on, record


def test_parses_a_complete_post():
    item = parse_record(record(id=4607741009594608, likes_count="12"))
    assert item.platform_id == "4607741009594608"
    assert item.kind == "post"
    assert item.likes_count == 12
    assert item.author.uid == "1000001"
    assert item.created_at == dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)


def test_keeps_the_raw_payload_as_received():
    payload = {"idstr": "1", "user": {"id": 5}}
    assert parse_record(record(raw=payload)).raw == payload
    assert parse_record(record(text="x")).raw["text"] == "x"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Tue May 31 17:46:55 +0800 2011", 1306835215),
        ("2011-05-31T17:46:55+08:00", 1306835215),
        ("2011-05-31 17:46:55", 1306835215),  # naive = Beijing time
        (1306835215, 1306835215),
        ("1306835215", 1306835215),
        (1306835215000, 1306835215),  # milliseconds
    ],
)
def test_reads_every_time_format_sources_use(value, expected):
    assert parse_time(value).timestamp() == expected


def test_large_ids_never_lose_digits():
    assert parse_record(record(id=5612814510546515491)).platform_id == "5612814510546515491"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": None}, "id"),
        ({"id": ""}, "id"),
        ({"kind": "tweet"}, "kind"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"created_at": None}, "created_at"),
        ({"likes_count": "many"}, "likes_count"),
        ({"likes_count": -1}, "likes_count"),
        ({"author": {"screen_name": "no uid"}}, "author.uid"),
        ({"kind": "comment"}, "parent_id"),
        ({"text": 5}, "text"),
    ],
)
def test_rejects_bad_fields_by_name(change, field):
    with pytest.raises(RecordError) as info:
        parse_record(record(**change))
    assert info.value.field == field
    assert field in str(info.value)


def test_a_comment_roots_at_its_parent_when_no_root_is_given():
    post = record()
    item = parse_record({**comment_on(post), "root_id": None})
    assert item.parent_platform_id == post["id"]
    assert item.root_platform_id == post["id"]


def test_batch_keeps_good_records_and_names_the_bad_ones():
    good = record()
    bad = record(created_at="not a time")
    parsed, rejected = parse_batch([good, bad, "not an object"], first_position=10)
    assert [p.platform_id for p in parsed] == [good["id"]]
    assert [(r.position, r.field) for r in rejected] == [(11, "created_at"), (12, "(record)")]
    assert str(rejected[0]).startswith(f"record 11 (id {bad['id']}): field 'created_at'")


def test_nul_characters_are_dropped_from_every_field():
    """PostgreSQL cannot store NUL in text or JSON; it means nothing in a post, so it goes."""
    item = parse_record(record(text="坏\x00字", source="\x00api",
                               author={"uid": "1", "description": "a\x00b"},
                               raw={"user": {"name\x00": ["x\x00"]}}))
    assert item.text == "坏字" and item.source == "api" and item.author.description == "ab"
    assert item.raw == {"user": {"name": ["x"]}}
