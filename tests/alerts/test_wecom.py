"""WeCom group robot: bodies, byte limits, and errors read from a 200 body."""

from __future__ import annotations

import httpx
import pytest

from inhouse.alerts import Message, TransportError
from inhouse.alerts.wecom import payloads
from inhouse.alerts.wecom.transport import WeComTransport
from tests.alerts.receiver import HttpReceiver


def test_markdown_body_carries_title_severity_link_and_userid_mentions(message):
    body = payloads.body(message.with_mentions(["zhangsan"]))
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("## 小鹿零食 负面声量突增\n")
    assert '<font color="warning">' in content
    assert "(https://desk.example.com/incidents/42)" in content
    assert content.endswith("<@zhangsan>")


def test_a_mobile_or_all_mention_switches_to_text_which_can_carry_it(message):
    body = payloads.body(message.with_mentions(["13800000000", "@all", "lisi"]))
    assert body["msgtype"] == "text"
    assert body["text"]["mentioned_mobile_list"] == ["13800000000", "@all"]
    assert body["text"]["mentioned_list"] == ["lisi"]


def test_long_text_is_cut_to_the_byte_limits_keeping_the_link(message):
    long = Message("t", "负" * 3000, "info", "https://desk/x")
    md = payloads.body(long)["markdown"]["content"]
    assert len(md.encode()) <= payloads.MARKDOWN_LIMIT and md.endswith("(https://desk/x)")
    text = payloads.body(long.with_mentions(["@all"]))["text"]["content"]
    assert len(text.encode()) <= payloads.TEXT_LIMIT


def test_sends_the_body_to_the_robot_url(clock, message):
    with HttpReceiver(lambda r: (200, {"errcode": 0, "errmsg": "ok"})) as rx:
        url = f"{rx.base}/cgi-bin/webhook/send?key=K1"
        WeComTransport({"url": url}, clock=clock).send(message)
    (request,) = rx.requests
    assert request.path == "/cgi-bin/webhook/send" and request.query == {"key": "K1"}
    assert request.headers["content-type"] == "application/json"
    assert request.json() == payloads.body(message)


@pytest.mark.parametrize(
    ("answer", "permanent", "retry_after"),
    [
        ({"errcode": 93000, "errmsg": "invalid webhook url, hint: [x]"}, True, None),
        ({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}, True, None),
        ({"errcode": 40008, "errmsg": "invalid message type"}, True, None),
        ({"errcode": 44004, "errmsg": "empty content"}, True, None),
        ({"errcode": 45009, "errmsg": "api freq out of limit"}, False, 60.0),
        ({"errcode": 12345, "errmsg": "something new"}, False, None),
        ({"errmsg": "no code"}, False, None),
    ],
)
def test_business_errors_in_a_200_body_are_classified(clock, message, answer, permanent,
                                                      retry_after):
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=answer)))
    transport = WeComTransport({"url": "https://qyapi.weixin.qq.com/x?key=KEY9"}, client=client,
                               clock=clock)
    with pytest.raises(TransportError) as info:
        transport.send(message)
    assert (info.value.permanent, info.value.retry_after) == (permanent, retry_after)
    assert "WeCom" in str(info.value) and "KEY9" not in str(info.value)


def test_html_instead_of_json_is_a_failure_not_a_success(clock, message):
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, text="<html>portal</html>")))
    with pytest.raises(TransportError, match="not a JSON object"):
        WeComTransport({"url": "https://h/x?key=K"}, client=client, clock=clock).send(message)


@pytest.mark.parametrize(("status", "permanent"), [(502, False), (429, False), (404, True)])
def test_http_status_without_json_is_classified(clock, message, status, permanent):
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(status, text="oops", headers={"Retry-After": "7"})))
    with pytest.raises(TransportError) as info:
        WeComTransport({"url": "https://h/x?key=K"}, client=client, clock=clock).send(message)
    assert info.value.permanent is permanent
    if not permanent:
        assert info.value.retry_after == 7.0
