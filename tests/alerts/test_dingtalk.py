"""DingTalk robot: the signed URL checked against the reference's vectors and by a local
receiver that verifies like DingTalk does; keyword; errors from a 200 body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

import httpx
import pytest

from inhouse.alerts import Message, TransportError
from inhouse.alerts.dingtalk import payloads
from inhouse.alerts.dingtalk.transport import DingTalkTransport
from tests.alerts.conftest import DINGTALK_SECRET, NOW
from tests.alerts.receiver import HttpReceiver, Request

# Reference §5, verbatim.
VECTORS = [
    ("1700000000000", "bTgY2yDbep%2BwesS7jKiNj%2BsrsHoADES4%2BC4f8LCHFtU%3D"),
    ("1718000000000", "h1IDHiMDH8TvtS3Xuf8%2F4dqMWqHzILftwbpW8oL2ifs%3D"),
]


@pytest.mark.parametrize(("timestamp", "expected"), VECTORS)
def test_sign_matches_the_reference_vectors(timestamp, expected):
    assert payloads.sign(DINGTALK_SECRET, timestamp) == expected


def dingtalk_like(request: Request) -> tuple[int, dict]:
    """Verify as the service does: HMAC(key=secret, msg="ts\\nsecret"), ts within one hour."""
    ts, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
    expected = base64.b64encode(hmac.new(
        DINGTALK_SECRET.encode(), f"{ts}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    if not ts or abs(int(ts) - NOW * 1000) > 3_600_000:
        return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
    if sign != expected:
        return 200, {"errcode": 310000, "errmsg": "sign not match"}
    if "inhouse" not in request.body.decode():
        return 200, {"errcode": 310000, "errmsg": "keywords not in content"}
    return 200, {"errcode": 0, "errmsg": "ok"}


def test_a_signed_send_reaches_the_receiver_with_the_vector_signature(clock, message):
    with HttpReceiver(dingtalk_like) as rx:
        config = {"url": f"{rx.base}/robot/send?access_token=TOKEN", "secret": DINGTALK_SECRET,
                  "keyword": "inhouse"}
        DingTalkTransport(config, clock=clock).send(message.with_mentions(["13800000000"]))
    (request,) = rx.requests
    # Byte-exact on the wire: the URL-encoded value of the reference's request line.
    assert request.raw_query == f"access_token=TOKEN&timestamp={VECTORS[0][0]}&sign={VECTORS[0][1]}"
    body = request.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"].startswith("【inhouse】")
    assert body["at"] == {"atMobiles": ["13800000000"], "atUserIds": [], "isAtAll": False}
    assert "@13800000000" in body["markdown"]["text"]


def test_a_wrong_secret_is_refused_and_that_is_permanent(clock, message):
    with HttpReceiver(dingtalk_like) as rx:
        config = {"url": f"{rx.base}/robot/send?access_token=T", "secret": "SECwrong",
                  "keyword": "inhouse"}
        with pytest.raises(TransportError, match="sign not match") as info:
            DingTalkTransport(config, clock=clock).send(message)
    assert info.value.permanent and "SECwrong" not in str(info.value)


def test_a_clock_off_by_more_than_an_hour_is_refused(message):
    with HttpReceiver(dingtalk_like) as rx:
        config = {"url": f"{rx.base}/robot/send?access_token=T", "secret": DINGTALK_SECRET}
        with pytest.raises(TransportError, match="invalid timestamp"):
            DingTalkTransport(config, clock=lambda: NOW + 3601).send(message)


def test_keyword_is_not_added_twice_and_all_mention_sets_is_at_all():
    m = Message("inhouse 告警", "x", "info", "", ("@all", "user123"))
    body = payloads.body(m, "inhouse")
    assert body["markdown"]["title"] == "inhouse 告警"
    assert body["at"] == {"atMobiles": [], "atUserIds": ["user123"], "isAtAll": True}


def test_unsigned_robot_gets_the_plain_url(clock, message):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    DingTalkTransport({"url": "https://oapi.dingtalk.com/robot/send?access_token=T"},
                      client=client, clock=clock).send(message)
    assert seen == ["https://oapi.dingtalk.com/robot/send?access_token=T"]


@pytest.mark.parametrize(
    ("code", "msg", "permanent", "retry_after"),
    [
        (310000, "ip 1.2.3.4 not in whitelist", True, None),
        (300001, "token is not exist", True, None),
        (300005, "token is not exist", True, None),
        (130101, "send too fast, exceed 20 times per minute", False, 600.0),
    ],
)
def test_error_codes_are_classified(clock, message, code, msg, permanent, retry_after):
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, json={"errcode": code, "errmsg": msg})))
    config = {"url": "https://oapi.dingtalk.com/robot/send?access_token=SECRETTOKEN"}
    with pytest.raises(TransportError) as info:
        DingTalkTransport(config, client=client, clock=clock).send(message)
    assert (info.value.permanent, info.value.retry_after) == (permanent, retry_after)
    assert str(code) in str(info.value) and "SECRETTOKEN" not in str(info.value)


def test_the_sign_value_survives_httpx_url_handling():
    # httpx must not re-encode %2B into %252B or decode it into a space.
    url = payloads.signed_url("https://h/robot/send?access_token=T", DINGTALK_SECRET,
                              1700000000000)
    sent = httpx.Request("POST", url).url
    assert urllib.parse.parse_qs(sent.query.decode())["sign"] == [
        "bTgY2yDbep+wesS7jKiNj+srsHoADES4+C4f8LCHFtU="]
