"""Feishu bot: signature in the body checked against the reference's vectors (and that the
DingTalk-style value is rejected), rich-text post, 20 KB limit, code classification."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import httpx
import pytest

from inhouse.alerts import Message, TransportError
from inhouse.alerts.feishu import payloads
from inhouse.alerts.feishu.transport import FeishuTransport
from tests.alerts.conftest import FEISHU_SECRET, NOW
from tests.alerts.receiver import HttpReceiver, Request

# Reference §5: (timestamp, official sign, wrong DingTalk-style sign).
VECTORS = [
    ("1700000000", "F40AAQHf1w7XAerXBKzSlOXYbIhuPeh9kNjJ7XGw7Fc=",
     "Y/c7694gVNVmeD4e9wbIRe5YEFfN8uDQ8IP0bJeKmdA="),
    ("1718000000", "ndelm74v76bIPW+kXGVvKreVysZM4JMCl/iarJpbeTg=",
     "5S13m4aRbgjLn6v2MKc5f2nJSNPCmmUTfo5aaoJrm9g="),
]


@pytest.mark.parametrize(("timestamp", "expected", "wrong"), VECTORS)
def test_sign_matches_the_reference_vectors_not_the_dingtalk_style(timestamp, expected, wrong):
    assert payloads.sign(FEISHU_SECRET, timestamp) == expected
    assert payloads.sign(FEISHU_SECRET, timestamp) != wrong


def feishu_like(request: Request) -> tuple[int, dict]:
    """Verify as Feishu does: HMAC(key="ts\\nsecret", msg=b""), ts (seconds) within an hour."""
    try:
        body = request.json()
    except ValueError:
        return 400, {"code": 9499, "msg": "Bad Request"}
    ts = str(body.get("timestamp", ""))
    expected = base64.b64encode(
        hmac.new(f"{ts}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
    if not ts or abs(int(ts) - NOW) > 3600 or body.get("sign") != expected:
        return 200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour "
                                          "from current time"}
    return 200, {"code": 0, "msg": "success", "data": {}}


def test_a_signed_post_reaches_the_receiver_with_the_vector_signature(clock, message):
    with HttpReceiver(feishu_like) as rx:
        config = {"url": f"{rx.base}/open-apis/bot/v2/hook/HOOKID", "secret": FEISHU_SECRET}
        FeishuTransport(config, clock=clock).send(message.with_mentions(["ou_abc", "@all"]))
    (request,) = rx.requests
    body = request.json()
    assert request.path == "/open-apis/bot/v2/hook/HOOKID"
    assert (body["timestamp"], body["sign"]) == VECTORS[0][:2]
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert post["title"].startswith("[严重 critical]")
    assert post["content"][0] == [{"tag": "text", "text": message.text}]
    assert post["content"][1] == [
        {"tag": "a", "text": "打开 inhouse / open the desk", "href": message.url},
        {"tag": "at", "user_id": "ou_abc"}, {"tag": "at", "user_id": "all"}]


def test_a_wrong_secret_gets_19021_which_is_permanent(clock, message):
    with HttpReceiver(feishu_like) as rx:
        config = {"url": f"{rx.base}/open-apis/bot/v2/hook/H", "secret": "other"}
        with pytest.raises(TransportError, match="19021") as info:
            FeishuTransport(config, clock=clock).send(message)
    assert info.value.permanent and "clock" in str(info.value)


def test_unsigned_body_has_no_sign_fields_and_keyword_goes_in_the_title(message):
    body = payloads.body(message, keyword="告警")
    assert "sign" not in body and "timestamp" not in body
    assert body["content"]["post"]["zh_cn"]["title"].startswith("【告警】")


def test_body_stays_under_20_kb():
    body = payloads.body(Message("t", "负" * 20000, "info", "https://d/x"), secret="s",
                         timestamp_s=1700000000)
    assert len(json.dumps(body, ensure_ascii=False).encode()) <= payloads.BODY_LIMIT


@pytest.mark.parametrize(
    ("status", "answer", "permanent"),
    [
        (400, {"code": 9499, "msg": "Bad Request"}, True),
        (200, {"code": 19022, "msg": "Ip Not Allowed"}, True),
        (200, {"code": 19024, "msg": "Key Words Not Found"}, True),
        (200, {"code": 11232, "msg": "frequency limited"}, False),
        (200, {"StatusCode": 1, "StatusMessage": "fail"}, False),
    ],
)
def test_codes_are_classified(clock, message, status, answer, permanent):
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(status, json=answer)))
    config = {"url": "https://open.feishu.cn/open-apis/bot/v2/hook/SECRETHOOK"}
    with pytest.raises(TransportError) as info:
        FeishuTransport(config, client=client, clock=clock).send(message)
    assert info.value.permanent is permanent
    assert "SECRETHOOK" not in str(info.value)


def test_legacy_status_code_zero_is_success(clock, message):
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, json={"StatusCode": 0, "StatusMessage": "success"})))
    FeishuTransport({"url": "https://h/open-apis/bot/v2/hook/x"}, client=client,
                    clock=clock).send(Message("t", "x"))
