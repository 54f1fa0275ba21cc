"""Generic webhook: exact body bytes signed with HMAC-SHA256 and verified by a receiver."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from inhouse.alerts import TransportError
from inhouse.alerts.webhook import payloads
from inhouse.alerts.webhook.transport import WebhookTransport
from tests.alerts.conftest import NOW
from tests.alerts.receiver import HttpReceiver, Request

SECRET = "whsec-test"


def receiver_checks(request: Request) -> tuple[int, dict]:
    ts = request.headers.get("x-inhouse-timestamp", "")
    expected = "sha256=" + hmac.new(SECRET.encode(), f"{ts}.".encode() + request.body,
                                    hashlib.sha256).hexdigest()
    if request.headers.get("x-inhouse-signature") != expected or abs(int(ts) - NOW) > 300:
        return 401, {"error": "bad signature"}
    return 202, {"ok": True}


def test_signature_vector_is_stable():
    # Documented in docs/alerts.md; a change here breaks every receiver in the field.
    assert payloads.sign(SECRET, 1700000000, b'{"a":1}') == (
        "sha256=fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece")


def test_a_signed_alert_is_accepted_by_a_verifying_receiver(clock, message):
    with HttpReceiver(receiver_checks) as rx:
        WebhookTransport({"url": f"{rx.base}/hooks/inhouse", "secret": SECRET},
                         clock=clock).send(message)
    (request,) = rx.requests
    assert request.json() == {"event": "inhouse.alert", "sent_at": 1700000000,
                              **message.to_dict()}
    assert payloads.verify(SECRET, request.headers["x-inhouse-timestamp"], request.body,
                           request.headers["x-inhouse-signature"], now_s=NOW)


def test_a_receiver_refusing_the_signature_makes_a_permanent_error(clock, message):
    with HttpReceiver(receiver_checks) as rx:
        with pytest.raises(TransportError, match="HTTP 401") as info:
            WebhookTransport({"url": f"{rx.base}/hooks/x", "secret": "wrong"},
                             clock=clock).send(message)
    assert info.value.permanent and "wrong" not in str(info.value)


def test_verify_refuses_stale_timestamps():
    body = b"{}"
    sig = payloads.sign(SECRET, 1700000000, body)
    assert payloads.verify(SECRET, "1700000000", body, sig, now_s=1700000100)
    assert not payloads.verify(SECRET, "1700000000", body, sig, now_s=1700000400)


@pytest.mark.parametrize(("status", "permanent"), [(503, False), (429, False), (410, True)])
def test_statuses_are_classified(clock, message, status, permanent):
    with HttpReceiver(lambda r: (status, {})) as rx:
        with pytest.raises(TransportError) as info:
            WebhookTransport({"url": f"{rx.base}/h"}, clock=clock).send(message)
    assert info.value.permanent is permanent
