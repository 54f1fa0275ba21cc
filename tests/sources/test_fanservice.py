"""The fan-service receiver against pushes made by the fake, the reply call and its window."""

from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import urlencode

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from inhouse.core.models import Account, Item
from inhouse.sources.fake_weibo import FakeWeibo, from_records
from inhouse.sources.fake_weibo.messages import Pusher, new_message, push_request
from inhouse.weibo import fanservice
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.errors import WeiboError
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.sources.fanservice_urls")]
BASE = "http://fake.weibo"
CUSTOMER = 7001234567


@pytest.fixture
def fake() -> FakeWeibo:
    fake = FakeWeibo(from_records(sd.build(days=1)))
    fake.clock.set(sd.START + dt.timedelta(hours=3))
    return fake


@pytest.fixture
def account(workspace, settings, fake) -> Account:
    settings.WEIBO_APP_SECRET = fake.config.client_secret
    return Account.objects.create(workspace=workspace, platform_uid=str(fake.scenario.owner_uid),
                                  screen_name=sd.OWNER_NAME, is_enterprise=True)


def url(account: Account, params: dict[str, str]) -> str:
    return f"/fanservice/{account.pk}/?{urlencode(params)}"


def push(client, account: Account, fake: FakeWeibo, entry, **overrides):
    params, body = push_request(fake, entry)
    if overrides:
        body = json.dumps({**json.loads(body), **overrides}, ensure_ascii=False).encode()
    return client.post(url(account, params), body, content_type="application/json")


def test_binding_echoes_echostr_only_with_a_valid_signature(client, account, fake):
    params = fanservice.signed_params(fake.config.client_secret)
    answer = client.get(url(account, {**params, "echostr": "vIuz5ekD"}))
    assert (answer.status_code, answer.content) == (200, b"vIuz5ekD")
    forged = client.get(url(account, {**params, "signature": "0" * 40, "echostr": "x"}))
    assert forged.status_code == 403 and forged.json()["field"] == "signature"


def test_a_pushed_message_is_stored_once_however_often_the_platform_retries(client, account, fake):
    entry = new_message(fake, CUSTOMER, "我的卡被锁了，怎么解锁？")
    for _ in range(3):  # Weibo retries when it gets no answer in 5 s
        answer = push(client, account, fake, entry)
        assert (answer.status_code, answer.content) == (200, b"")  # no passive reply
    item = Item.objects.get(kind="message")
    assert item.text == "我的卡被锁了，怎么解锁？"
    assert item.author.uid == str(CUSTOMER)
    assert item.root_platform_id == f"dm-{CUSTOMER}"  # the inbox's thread of this customer
    assert item.account == account and item.source == "fanservice"
    assert item.created_at == entry.created_at
    assert item.raw["sender_id"] == CUSTOMER


@pytest.mark.parametrize(("body", "field", "words"), [
    (b"", "(body)", "empty"),
    (b"{not json", "(body)", "not JSON"),
    (b"[1, 2]", "(body)", "JSON object"),
    (b"\xff\xfe", "(body)", "UTF-8"),
    (json.dumps({"type": "text", "receiver_id": 1, "created_at": "Mon Jul 16 18:09:20 +0800 2012",
                 "text": "hi"}).encode(), "sender_id", "missing"),
    (json.dumps({"type": "text", "sender_id": "abc", "receiver_id": 1, "text": "hi",
                 "created_at": "Mon Jul 16 18:09:20 +0800 2012"}).encode(), "sender_id", "numeric"),
    (json.dumps({"type": "text", "sender_id": 5, "receiver_id": 1, "text": "hi",
                 "created_at": "yesterday"}).encode(), "created_at", "yesterday"),
    (json.dumps({"type": "sticker", "sender_id": 5, "receiver_id": 1, "text": "hi",
                 "created_at": 1700000000}).encode(), "type", "sticker"),
    (json.dumps({"type": "text", "sender_id": 5, "receiver_id": 1, "text": "",
                 "created_at": 1700000000}).encode(), "text", "no text"),
    (b"<xml><FromUserName>5</FromUserName></xml", "(body)", "XML"),
])
def test_bad_bodies_are_refused_with_the_field_named(client, account, fake, body, field, words):
    answer = client.post(url(account, fanservice.signed_params(fake.config.client_secret)), body,
                         content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["field"] == field and words in answer.json()["error"]
    assert not Item.objects.exists()


def test_a_message_for_another_account_is_refused(client, account, fake):
    answer = push(client, account, fake, new_message(fake, CUSTOMER, "你好"), receiver_id=123)
    assert answer.status_code == 400 and answer.json()["field"] == "receiver_id"


def test_signature_age_secret_and_account_are_checked(client, account, fake, settings):
    entry = new_message(fake, CUSTOMER, "你好")
    params, body = push_request(fake, entry, now=time.time() - 3600)  # a replayed capture
    stale = client.post(url(account, params), body, content_type="application/json")
    assert stale.status_code == 403 and stale.json()["field"] == "timestamp"
    params, body = push_request(fake, entry)
    missing = client.post(f"/fanservice/{account.pk + 99}/?{urlencode(params)}", body,
                          content_type="application/json")
    assert missing.status_code == 404
    settings.WEIBO_APP_SECRET = ""
    unset = client.post(url(account, params), body, content_type="application/json")
    assert unset.status_code == 503 and unset.json()["field"] == "WEIBO_APP_SECRET"
    assert not Item.objects.exists()


def test_events_are_acknowledged_and_not_stored(client, account, fake):
    body = json.dumps({"type": "event", "sender_id": CUSTOMER, "receiver_id": fake.scenario.owner_uid,
                       "created_at": "Mon Jul 16 18:09:20 +0800 2012", "text": "",
                       "data": {"subtype": "follow"}}).encode()
    answer = client.post(url(account, fanservice.signed_params(fake.config.client_secret)), body,
                         content_type="application/json")
    assert (answer.status_code, answer.content) == (200, b"")
    assert not Item.objects.exists()


def test_the_wechat_compatible_xml_body_is_read(client, account, fake):
    body = (f"<xml><ToUserName>{fake.scenario.owner_uid}</ToUserName>"
            f"<FromUserName>{CUSTOMER}</FromUserName><CreateTime>1763000000</CreateTime>"
            "<MsgType>text</MsgType><Content>营业时间？</Content></xml>").encode()
    answer = client.post(url(account, fanservice.signed_params(fake.config.client_secret)), body,
                         content_type="text/xml")
    assert answer.status_code == 200
    assert Item.objects.get(kind="message").text == "营业时间？"


def test_the_fake_pushes_messages_as_its_clock_reaches_them(account, fake):
    """The Pusher against the desk's real WSGI app: a message written later arrives later."""
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _push_through_the_desk(account, fake)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _push_through_the_desk(account, fake):
    desk = httpx.Client(transport=httpx.WSGITransport(app=WSGIHandler()), base_url="http://testserver")
    pusher = Pusher(fake, f"http://testserver/fanservice/{account.pk}/", http=desk)
    soon = new_message(fake, CUSTOMER, "第一条", at=fake.clock.now() + dt.timedelta(minutes=5))
    later = new_message(fake, CUSTOMER + 1, "第二条", at=fake.clock.now() + dt.timedelta(hours=2))
    assert pusher.push_due() == 0
    fake.clock.advance(600)
    assert pusher.push_due() == 1
    fake.clock.advance(7200)
    assert pusher.push_due() == 1
    assert pusher.pushed >= {soon.id, later.id}
    assert sorted(Item.objects.filter(kind="message").values_list("text", flat=True)) == ["第一条", "第二条"]


# --- the reply call and its window --------------------------------------------------------

def reply_client(fake: FakeWeibo) -> WeiboClient:
    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    return WeiboClient(fake.issue_token(), base_url=BASE, http=http, enterprise=True,
                       retry=RetryPolicy(sleep=fake.clock.advance))


def test_a_reply_inside_the_window_is_sent_and_refused_after_72_hours(fake):
    new_message(fake, CUSTOMER, "在吗？")
    client = reply_client(fake)
    answer = client.reply_message(CUSTOMER, "在的，请问有什么可以帮您？")
    assert answer["result"] is True and answer["receiver_id"] == CUSTOMER
    sent = fake.writes[-1]
    assert sent["api"] == "messages/reply" and sent["text"] == "在的，请问有什么可以帮您？"
    assert sent["params"]["type"] == "text" and sent["params"]["save_sender_box"] == "1"
    fake.clock.advance(72 * 3600 + 60)
    with pytest.raises(WeiboError) as closed:
        client.reply_message(CUSTOMER, "还在吗？")
    assert closed.value.code == 26403 and "72 h" in closed.value.message


def test_no_reply_to_someone_who_never_wrote_and_none_for_ordinary_accounts(fake):
    with pytest.raises(WeiboError) as never:
        reply_client(fake).reply_message(CUSTOMER, "您好")
    assert never.value.code == 26403
    fake.config.enterprise = False
    new_message(fake, CUSTOMER, "在吗？")
    with pytest.raises(WeiboError) as plain:
        reply_client(fake).reply_message(CUSTOMER, "您好")
    assert plain.value.code == 10014


def test_the_reply_window_counts_from_the_customers_latest_message():
    wrote = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    window = fanservice.reply_window(wrote, wrote + dt.timedelta(hours=70))
    assert window.deadline == wrote + dt.timedelta(hours=72)
    assert window.remaining == dt.timedelta(hours=2) and window.open
    closed = fanservice.reply_window(wrote, wrote + dt.timedelta(hours=73))
    assert closed.remaining == dt.timedelta(0) and not closed.open
    assert closed.as_dict()["remaining_seconds"] == 0
    assert fanservice.reply_window(None) is None


@hsettings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.dictionaries(st.sampled_from(["type", "sender_id", "receiver_id", "created_at",
                                                  "text", "data"]),
                                 st.one_of(st.none(), st.integers(), st.text(max_size=30),
                                           st.lists(st.integers(), max_size=2),
                                           st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)))
                 .map(lambda d: json.dumps(d).encode())))
def test_any_body_is_read_or_refused_with_a_field_never_a_crash(body):
    try:
        push = fanservice.parse_push(body)
    except fanservice.PushError as error:
        assert error.field and error.status == 400
    else:
        assert push.sender_id.isdigit() and push.created_at.tzinfo is not None


def test_messages_wait_while_the_receiver_is_unreachable(account, fake):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    desk_down = httpx.Client(transport=httpx.MockTransport(down))
    pusher = Pusher(fake, "http://testserver/fanservice/1/", http=desk_down)
    entry = new_message(fake, CUSTOMER, "在吗")
    assert pusher.push_due() == 0
    assert entry.id not in pusher.pushed  # pushed once the desk answers
    assert [e.id for e in pusher.due()] == [entry.id]


def test_a_private_reply_is_sent_once_per_key_and_never_resent_after_an_unknown_outcome(fake):
    from inhouse.weibo import idempotency
    from inhouse.weibo.client import OutcomeUnknown

    new_message(fake, CUSTOMER, "在吗？")
    client, store = reply_client(fake), idempotency.MemoryStore()
    first = idempotency.message(client, "k1", store, CUSTOMER, "您好")
    assert idempotency.message(client, "k1", store, CUSTOMER, "您好") == first
    fake.faults.force("drop")
    with pytest.raises(OutcomeUnknown):
        idempotency.message(client, "k2", store, CUSTOMER, "请稍等")
    assert [w["text"] for w in fake.writes] == ["您好", "请稍等"]  # applied once, not resent
    assert store.get("k2") is None
