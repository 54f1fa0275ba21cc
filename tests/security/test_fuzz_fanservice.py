"""The fan-service private-message webhook: any query string and body is answered with a
PushError's status (400/403) or accepted; never a 500. Valid pushes round-trip."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inhouse.core.models import Account
from inhouse.pipeline.records import parse_record
from inhouse.weibo import fanservice
from inhouse.weibo.fanservice import PushError, parse_push, verify

from .fuzz import FUZZ, FUZZ_VIEW, field_values, json_values, mutated, objects_with

SECRET = "fuzz-app-secret"
NOW = 1_790_000_000
PUSH_KEYS = ["type", "sender_id", "receiver_id", "created_at", "text", "data"]
TYPES = st.sampled_from([*fanservice.MESSAGE_TYPES, fanservice.EVENT_TYPE, "", "TEXT", "video"])
uids = st.integers(min_value=1, max_value=10**19).map(str)
VALID = {"type": "text", "sender_id": "7001234567", "receiver_id": "1234567890",
         "created_at": "Mon Jul 16 18:09:20 +0800 2012", "text": "你好，订单什么时候发货？"}
VALID_XML = ("<xml><ToUserName>1234567890</ToUserName><FromUserName>7001234567</FromUserName>"
             "<CreateTime>1790000000</CreateTime><MsgType>text</MsgType><Content>发货了吗</Content></xml>")


def push_like() -> st.SearchStrategy[bytes]:
    as_json = st.builds(lambda base, extra: json.dumps({**base, **extra}, ensure_ascii=False).encode(),
                        objects_with(PUSH_KEYS),
                        st.fixed_dictionaries({}, optional={"type": TYPES, "sender_id": st.one_of(uids, field_values),
                                                             "receiver_id": uids, "created_at": field_values}))
    as_xml = st.builds(lambda tags: ("<xml>" + "".join(f"<{t}>{v}</{t}>" for t, v in tags.items()) + "</xml>").encode(),
                       st.dictionaries(st.sampled_from(["ToUserName", "FromUserName", "CreateTime", "MsgType",
                                                        "Content", "Event", "Latitude"]),
                                       st.text(st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)),
                                               max_size=12)))
    return st.one_of(as_json, as_xml, st.binary(max_size=200), mutated(json.dumps(VALID, ensure_ascii=False).encode()),
                     mutated(VALID_XML.encode()), json_values.map(lambda v: json.dumps(v).encode()),
                     st.sampled_from([b"[" * 3000, b'{"a":' * 3000, ("<a>" * 3000 + "</a>" * 3000).encode(),
                                      b'{"type": "text", "created_at": ' + b"9" * 5000 + b"}"]))


@given(push_like())
@FUZZ
def test_any_body_is_a_push_or_a_push_error_naming_the_field(body):
    try:
        push = parse_push(body)
    except PushError as exc:
        assert exc.field and exc.message and exc.status == 400
        return
    if not push.is_event:
        record = fanservice.message_record(push, "1234567890")
        assert parse_record(record).platform_id == push.message_id


params = st.dictionaries(st.sampled_from(["signature", "timestamp", "nonce", "echostr"]),
                         st.one_of(st.text(max_size=20), st.integers(0, 10**30).map(str),
                                   st.sampled_from(["²", "１７９００００００００", "0" * 40, "é" * 40, "1" * 400])))


@given(params)
@FUZZ
def test_any_query_string_verifies_or_is_refused_with_403(query):
    try:
        verify(SECRET, query, now=NOW)
    except PushError as exc:
        assert exc.status == 403 and exc.field


@given(st.integers(NOW - 500, NOW + 500), st.text(min_size=1, max_size=12), st.booleans())
@FUZZ
def test_a_signed_query_verifies(timestamp, nonce, milliseconds):
    stamp = str(timestamp * 1000 if milliseconds else timestamp)
    verify(SECRET, {"signature": fanservice.sign(SECRET, stamp, nonce), "timestamp": stamp, "nonce": nonce}, now=NOW)


@given(uids, uids, st.integers(1_300_000_000, 1_900_000_000), st.text(min_size=1, max_size=40).filter(str.strip))
@FUZZ
def test_a_valid_push_round_trips(sender, receiver, created, text):
    body = {"type": "text", "sender_id": sender, "receiver_id": receiver, "created_at": created, "text": text}
    push = parse_push(json.dumps(body, ensure_ascii=False).encode())
    assert (push.sender_id, push.receiver_id, push.text) == (sender, receiver, text)
    assert push.created_at == dt.datetime.fromtimestamp(created, dt.UTC)
    item = parse_record(fanservice.message_record(push, receiver))
    assert (item.kind, item.text, item.author.uid, item.root_platform_id) == ("message", text, sender, f"dm-{sender}")


# --- the view: never a 500 -----------------------------------------------------------------------
@pytest.fixture
def account(workspace, settings):
    settings.WEIBO_APP_SECRET = SECRET
    return Account.objects.create(workspace=workspace, platform_uid="1234567890", screen_name="小鹿零食",
                                  is_enterprise=True)


@pytest.mark.django_db
@pytest.mark.urls("tests.sources.fanservice_urls")
@given(body=push_like(), signed=st.booleans(), query=params)
@FUZZ_VIEW
def test_the_receiver_never_answers_500(client, account, body, signed, query):
    if signed:
        query = {**query, **fanservice.signed_params(SECRET)}
    answer = client.post(f"/fanservice/{account.pk}/?{urlencode(query)}", body, content_type="application/json")
    assert answer.status_code in (200, 400, 403), answer.content[:200]
    if answer.status_code != 200:
        error = json.loads(answer.content)
        assert error["field"] and error["error"]


@given(st.one_of(st.integers(0, 10**500).map(str), st.text(max_size=20)), st.text(min_size=1, max_size=12))
@FUZZ
def test_a_correctly_signed_but_odd_timestamp_is_refused_with_403_not_a_crash(stamp, nonce):
    try:
        verify(SECRET, {"signature": fanservice.sign(SECRET, stamp, nonce), "timestamp": stamp, "nonce": nonce}, now=NOW)
    except PushError as exc:
        assert exc.status == 403 and exc.field == "timestamp"


@pytest.mark.django_db
@pytest.mark.urls("tests.sources.fanservice_urls")
@pytest.mark.parametrize("role", [None, "owner", "operator", "expert", "agency", "viewer"])
def test_a_desk_session_grants_nothing_only_the_signature_does(client, cast, account, role):
    """The receiver is outside the role matrix: machine-to-machine, authenticated by the push
    signature alone. A logged-in member, even the owner, without it is refused like anyone."""
    if role:
        client.force_login(cast[role])
    body = json.dumps(VALID, ensure_ascii=False).encode()
    path = f"/fanservice/{account.pk}/?echostr=x"
    for answer in (client.get(path), client.post(path, body, content_type="application/json")):
        assert answer.status_code == 403 and json.loads(answer.content)["field"] == "signature"
