"""The registry, the message, masking of credentials in errors and in httpx's logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from inhouse.alerts import Message, TransportError
from inhouse.alerts.base import mask, truncate_bytes
from inhouse.alerts.registry import KINDS, choices, transport_class


def test_every_kind_loads_from_its_folder_with_the_same_shape():
    for kind in KINDS:
        cls = transport_class(kind)
        assert cls.kind == kind
        assert cls.label and cls.fields and cls.rate_limits
        assert any(f.secret for f in cls.fields), f"{kind} declares no secret field"
    assert [k for k, _ in choices()] == list(KINDS)


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="wecom"):
        transport_class("pager")


def test_missing_required_config_is_refused_with_the_field_name():
    with pytest.raises(ValueError, match="url"):
        transport_class("wecom")({})


def test_message_round_trips_through_a_dict():
    m = Message("t", "x", "info", "https://u", ("13800000000",))
    assert Message.from_dict(m.to_dict()) == m
    assert m.with_mentions(["13800000000", "lisi"]).mentions == ("13800000000", "lisi")


def test_transport_error_carries_permanence_and_wait():
    err = TransportError("x", permanent=False, retry_after=60)
    assert (err.permanent, err.retry_after, str(err)) == (False, 60, "x")


def test_mask_hides_known_secrets_and_credential_looking_url_parts():
    text = ("POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123 "
            "https://oapi.dingtalk.com/robot/send?access_token=TOKVALUE&timestamp=1&sign=s%2B "
            "https://open.feishu.cn/open-apis/bot/v2/hook/hook-id-9 pw=hunter2")
    out = mask(text, ["hunter2"])
    for secret in ("abc-123", "TOKVALUE", "s%2B", "hook-id-9", "hunter2"):
        assert secret not in out
    assert "qyapi.weixin.qq.com" in out  # the host stays: it says where it failed


def test_truncate_bytes_cuts_on_a_character_boundary():
    out = truncate_bytes("负面" * 100, 20)
    assert len(out.encode()) <= 20 and out.endswith("…")
    out.encode("utf-8")  # still valid


def test_a_network_error_is_retryable_and_does_not_show_the_key(clock, message):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot connect to {request.url}", request=request)

    transport = transport_class("wecom")(
        {"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY"},
        client=httpx.Client(transport=httpx.MockTransport(refuse)), clock=clock)
    with pytest.raises(TransportError) as info:
        transport.send(message)
    assert not info.value.permanent
    assert "SECRETKEY" not in str(info.value)


def test_httpx_request_logs_do_not_show_webhook_credentials(caplog, clock, message):
    from tests.alerts.receiver import HttpReceiver

    caplog.set_level(logging.INFO, logger="httpx")
    with HttpReceiver(lambda r: (200, {"errcode": 0, "errmsg": "ok"})) as rx:
        url = f"{rx.base}/cgi-bin/webhook/send?key=LOGGEDKEY"
        transport_class("wecom")({"url": url}, clock=clock).send(message)
        transport_class("webhook")({"url": f"{rx.base}/in/PATHTOKEN"}, clock=clock).send(message)
    assert "HTTP Request" in caplog.text
    assert "LOGGEDKEY" not in caplog.text and "PATHTOKEN" not in caplog.text
