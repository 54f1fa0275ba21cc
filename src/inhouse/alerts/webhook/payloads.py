"""Generic webhook body and signature (pure).

The signature covers the timestamp and the exact body bytes, so a receiver can check both
integrity and freshness: ``X-Inhouse-Signature: sha256=hex(HMAC-SHA256(secret,
"<timestamp>." + body))`` with ``X-Inhouse-Timestamp: <epoch seconds>``. Receivers should
refuse timestamps more than 300 s away from their clock (replays). See docs/alerts.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from inhouse.alerts.base import Message

SIGNATURE_HEADER = "X-Inhouse-Signature"
TIMESTAMP_HEADER = "X-Inhouse-Timestamp"
EVENT = "inhouse.alert"


def body_bytes(message: Message, timestamp_s: int) -> bytes:
    data = {"event": EVENT, "sent_at": timestamp_s, **message.to_dict()}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(secret: str, timestamp_s: int | str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp_s: str, body: bytes, signature: str, now_s: float,
           tolerance_s: float = 300) -> bool:
    """What a receiver does (our tests use it too)."""
    try:
        fresh = abs(now_s - int(timestamp_s)) <= tolerance_s
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp_s, body), signature)


def headers(message_body: bytes, secret: str, timestamp_s: int) -> dict[str, str]:
    out = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: str(timestamp_s)}
    if secret:
        out[SIGNATURE_HEADER] = sign(secret, timestamp_s, message_body)
    return out
