"""parse_record and the Weibo API payload conversions: any input, a clear error or a record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inhouse.pipeline.records import KINDS, RecordError, parse_batch, parse_record, parse_time
from inhouse.weibo import payloads

from .fuzz import FUZZ, field_values, json_values, objects_with

RECORD_KEYS = ["id", "kind", "created_at", "text", "author", "parent_id", "root_id", "reposts_count",
               "comments_count", "likes_count", "account_uid", "source", "raw", "platform"]
AUTHOR_KEYS = ["uid", "id", "screen_name", "followers_count", "friends_count", "statuses_count",
               "verified", "verified_type", "location", "description", "created_at"]


def record_like() -> st.SearchStrategy:
    base = objects_with(RECORD_KEYS)
    return st.one_of(json_values, base, st.builds(lambda r, a, k: {**r, "author": a, "kind": k},
                                                  base, objects_with(AUTHOR_KEYS), st.sampled_from(KINDS)))


@given(record_like())
@FUZZ
def test_parse_record_accepts_or_names_the_field(value):
    try:
        parse_record(value)
    except RecordError as exc:
        assert exc.field and exc.message and exc.field in str(exc)


@given(st.lists(record_like(), max_size=5))
@FUZZ
def test_a_batch_reports_each_bad_record_with_its_position(values):
    parsed, rejected = parse_batch(values, first_position=7)
    assert len(parsed) + len(rejected) == len(values)
    assert all(7 <= r.position < 7 + len(values) and r.field for r in rejected)


ids = st.integers(min_value=1, max_value=2**63 - 1)
moments = st.datetimes(min_value=dt.datetime(2009, 8, 1), max_value=dt.datetime(2099, 1, 1),
                       timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))])).map(
    lambda m: m.replace(microsecond=0))  # Weibo times are to the second


@given(st.fixed_dictionaries({
    "id": ids, "kind": st.sampled_from(KINDS), "created_at": moments.map(lambda m: m.isoformat()),
    "text": st.text(max_size=50), "parent_id": ids.map(str), "likes_count": st.integers(0, 10**9),
    "author": st.fixed_dictionaries({"uid": ids.map(str), "followers_count": st.integers(0, 10**9)}),
}))
@FUZZ
def test_a_valid_record_round_trips(record):
    item = parse_record(record)
    assert item.platform_id == str(record["id"]) and item.kind == record["kind"]
    assert item.created_at == dt.datetime.fromisoformat(record["created_at"])
    assert (item.text, item.likes_count) == (record["text"], record["likes_count"])
    assert item.author.followers_count == record["author"]["followers_count"]
    assert item.raw == record  # kept as received


@given(st.one_of(json_values, st.text(max_size=40)))
@FUZZ
def test_parse_time_reads_or_names_the_field(value):
    try:
        moment = parse_time(value, "when")
    except RecordError as exc:
        assert exc.field == "when"
    else:
        assert moment.tzinfo is not None


# --- Weibo API payloads (src/inhouse/weibo/payloads.py): ValueError is the documented refusal ---
STATUS_KEYS = ["id", "idstr", "mid", "created_at", "text", "user", "retweeted_status", "reposts_count",
               "comments_count", "attitudes_count", "status", "reply_comment", "like_count"]
USER_KEYS = ["id", "idstr", "screen_name", "name", "followers_count", "friends_count", "statuses_count",
             "verified", "verified_type", "location", "description", "created_at"]


def payload_like() -> st.SearchStrategy:
    nested = st.one_of(objects_with(USER_KEYS), objects_with(STATUS_KEYS), json_values)
    return st.builds(lambda base, extra: {**base, **extra}, objects_with(STATUS_KEYS),
                     st.dictionaries(st.sampled_from(["user", "retweeted_status", "status", "reply_comment"]),
                                     nested, max_size=3))


@pytest.mark.parametrize("convert", [payloads.status_from_payload, payloads.comment_from_payload])
@given(payload=payload_like())
@FUZZ
def test_weibo_payloads_convert_or_raise_value_error(convert, payload):
    try:
        record = convert(payload, account_uid="1234567890")
    except ValueError as exc:
        assert "id" in str(exc)
        return
    try:  # what ingest does next
        parse_record(record)
    except RecordError as exc:
        assert exc.field


@given(objects_with(USER_KEYS))
@FUZZ
def test_weibo_users_convert_or_raise_value_error(user):
    try:
        author = payloads.user_from_payload(user)
    except ValueError as exc:
        assert "id" in str(exc)
    else:
        assert author["uid"].lstrip("-").isdigit()


@given(st.text(max_size=40))
@FUZZ
def test_weibo_created_at_parses_or_raises_value_error(text):
    try:
        payloads.parse_created_at(text)
    except ValueError:
        pass


@given(moments, ids, ids, st.text(max_size=40))
@FUZZ
def test_a_status_and_its_comment_round_trip(moment, status_id, comment_id, text):
    stamp = payloads.format_created_at(moment)
    assert payloads.parse_created_at(stamp) == moment
    status = {"idstr": str(status_id), "id": status_id, "created_at": stamp, "text": text,
              "user": {"idstr": "1234567890", "screen_name": "小鹿零食", "followers_count": "12"}}
    item = parse_record(payloads.status_from_payload(status))
    expected = text.replace("\x00", "")  # NUL is dropped: PostgreSQL cannot store it
    assert (item.platform_id, item.text, item.created_at) == (str(status_id), expected, moment)
    assert item.author.followers_count == 12
    comment = {"id": comment_id, "created_at": stamp, "text": text, "status": status}
    reply = parse_record(payloads.comment_from_payload(comment))
    assert (reply.kind, reply.parent_platform_id, reply.root_platform_id) == ("comment", str(status_id), str(status_id))


# --- Weibo API answers: a body, or a WeiboError (TransportError when unreadable) -------------------
answers = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(lambda code, text: json.dumps({"error_code": code, "error": text, "request": "/2/x"}).encode(),
              st.one_of(field_values, st.sampled_from([21327, 10023, "21332", 1e400, float("nan")])), field_values),
    st.sampled_from([b"[" * 3000, b'{"error_code": Infinity}', b'{"error_code": ' + b"9" * 5000 + b"}",
                     b"<html>502 Bad Gateway</html>"]),
)


@given(st.integers(100, 599), answers)
@FUZZ
def test_any_api_answer_is_a_body_or_a_weibo_error(status, content):
    import httpx

    from inhouse.weibo.client import WeiboClient
    from inhouse.weibo.errors import WeiboError

    try:
        WeiboClient._decode(httpx.Response(status, content=content), "/2/statuses/user_timeline.json")
    except WeiboError as exc:
        assert exc.request and str(exc)  # the body's own "request" when it names one


token_answers = st.one_of(
    answers,
    st.builds(lambda body: json.dumps(body).encode(),
              objects_with(["access_token", "expires_in", "uid", "remind_in", "error_code"])),
    st.builds(lambda token, expires: json.dumps({"access_token": token, "expires_in": expires, "uid": "1"}).encode(),
              field_values, st.one_of(field_values, st.sampled_from([10**30, "86400", -5, 1e300])))
)


@given(st.integers(200, 599), token_answers)
@FUZZ
def test_any_oauth_answer_is_a_token_or_a_weibo_error(status, content):
    import httpx

    from inhouse.weibo import oauth
    from inhouse.weibo.errors import WeiboError

    http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(status, content=content)))
    try:
        token = oauth.exchange_code(http, "https://api.weibo.com", "id", "secret", "code", "https://desk/cb")
    except WeiboError as exc:
        assert str(exc)
    else:
        assert token.access_token
