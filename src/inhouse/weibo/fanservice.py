"""Fan Service Platform: private messages pushed to a blue-V account's bound URL (ref §8).

Pure functions, no Django: the push signature, reading a pushed body (JSON by default, the
WeChat-compatible XML when the account selected it), the record a message becomes, and the
reply window a conversation has left.

Signature: the reference found no published scheme ("[uncertain]"). We follow the one the
platform's public client code checks, the same as WeChat's with the app secret as the token:
``signature = sha1("".join(sorted([app_secret, timestamp, nonce])))`` in hex, sent as query
parameters ``signature``, ``timestamp`` and ``nonce`` on both the binding GET (which carries
``echostr`` to echo) and every POST. ``timestamp`` may be seconds or milliseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inhouse.weibo.payloads import parse_created_at

REPLY_WINDOW = dt.timedelta(hours=72)  # ref §8: the 2013 page; a later SDK says 48 h
MAX_SKEW_SECONDS = 600  # a push older than this is refused (replayed captures)
MESSAGE_TYPES = ("text", "position", "voice", "image", "mention")  # stored as messages
EVENT_TYPE = "event"  # follow, unfollow, subscribe, menu click, QR scan: acknowledged only
SOURCE = "fanservice"


class PushError(ValueError):
    """A push that cannot be accepted: which field, why, and the HTTP status to answer."""

    def __init__(self, field_name: str, message: str, *, status: int = 400):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message
        self.status = status


def sign(app_secret: str, timestamp: str, nonce: str) -> str:
    """The hex SHA-1 of the three values sorted and joined."""
    return hashlib.sha1("".join(sorted([app_secret, timestamp, nonce])).encode("utf-8")).hexdigest()


def signed_params(app_secret: str, *, now: float | None = None, nonce: str = "") -> dict[str, str]:
    """The query parameters a push carries (the fake and tests sign with this)."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or hashlib.sha1(f"{timestamp}{time.perf_counter_ns()}".encode()).hexdigest()[:10]
    return {"signature": sign(app_secret, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}


def verify(app_secret: str, params: Mapping[str, str], *, now: float | None = None,
           max_skew: float = MAX_SKEW_SECONDS) -> None:
    """Raise PushError (status 403) unless ``params`` carry a valid, fresh signature."""
    missing = [name for name in ("signature", "timestamp", "nonce") if not params.get(name)]
    if missing:
        raise PushError(missing[0], "missing from the query string", status=403)
    timestamp = params["timestamp"]
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 16:
        raise PushError("timestamp", f"expected Unix seconds or milliseconds, got {timestamp[:40]!r}",
                        status=403)
    expected = sign(app_secret, timestamp, params["nonce"])
    # compare_digest refuses non-ASCII str: compare bytes, so a forged value is a 403, not a 500.
    if not hmac.compare_digest(expected.encode(), params["signature"].lower().encode("utf-8", "replace")):
        raise PushError("signature", "does not match the app secret", status=403)
    seconds = int(timestamp) / (1000 if len(timestamp) >= 13 else 1)
    now = time.time() if now is None else now
    if abs(now - seconds) > max_skew:
        raise PushError("timestamp", f"{abs(now - seconds):.0f} s away from now (over {max_skew:.0f} s)",
                        status=403)


@dataclass(frozen=True)
class Push:
    """One pushed message or event, as read from the body."""

    type: str
    sender_id: str
    receiver_id: str
    created_at: dt.datetime
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def is_event(self) -> bool:
        return self.type == EVENT_TYPE

    @property
    def message_id(self) -> str:
        """Weibo sends no message id; the platform's own dedupe key is sender + CreateTime
        (its retries repeat both), so that is the item's id."""
        ident = f"pm-{self.sender_id}-{int(self.created_at.timestamp())}"
        if len(ident) > 32:  # Item.platform_id holds 32 characters
            ident = "pm-" + hashlib.sha1(ident.encode()).hexdigest()[:29]
        return ident


def parse_push(body: bytes) -> Push:
    """Read a pushed body; raise PushError naming the field that is wrong."""
    if not body or not body.strip():
        raise PushError("(body)", "empty body; expected a JSON object or XML")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PushError("(body)", f"not UTF-8 (byte {exc.start})") from None
    if text.lstrip().startswith("<"):
        return _from_xml(text)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise PushError("(body)", f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PushError("(body)", f"expected a JSON object, got {type(data).__name__}")
    return _from_json(data)


def _uid(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, bool) or value in (None, ""):
        raise PushError(name, "missing")
    text = str(value).strip()
    if not text.isdigit() or len(text) > 20:
        raise PushError(name, f"expected a numeric Weibo uid, got {text[:40]!r}")
    return text


def _time(value: Any, name: str) -> dt.datetime:
    if value in (None, ""):
        raise PushError(name, "missing")
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        try:
            seconds = int(value) / (1000 if len(str(value)) >= 13 else 1)
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise PushError(name, f"{str(value)[:40]!r} is out of range for a time") from None
    if not isinstance(value, str):
        raise PushError(name, f"expected Weibo's time format, got {type(value).__name__}")
    try:
        return parse_created_at(value)
    except ValueError:
        raise PushError(name, f"expected e.g. 'Mon Jul 16 18:09:20 +0800 2012', got {value[:40]!r}") from None


def _from_json(data: dict[str, Any]) -> Push:
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        raise PushError("type", f"expected one of {', '.join((*MESSAGE_TYPES, EVENT_TYPE))}")
    if kind not in (*MESSAGE_TYPES, EVENT_TYPE):
        raise PushError("type", f"{kind[:40]!r} is not one of {', '.join((*MESSAGE_TYPES, EVENT_TYPE))}")
    extra = data.get("data") or {}
    if not isinstance(extra, dict):
        raise PushError("data", f"expected an object, got {type(extra).__name__}")
    text = data.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise PushError("text", f"expected a string, got {type(text).__name__}")
    if kind == "text" and not text.strip():
        raise PushError("text", "a text message has no text")
    return Push(type=kind, sender_id=_uid(data, "sender_id"), receiver_id=_uid(data, "receiver_id"),
                created_at=_time(data.get("created_at"), "created_at"), text=text,
                data=extra, raw=data)


# WeChat-compatible XML element -> our field.
_XML = {"ToUserName": "receiver_id", "FromUserName": "sender_id", "CreateTime": "created_at",
        "MsgType": "type", "Content": "text"}


def _from_xml(text: str) -> Push:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise PushError("(body)", "XML with a DOCTYPE or entities is refused")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise PushError("(body)", f"not well-formed XML: {exc}") from None
    values = {child.tag: (child.text or "").strip() for child in root}
    data: dict[str, Any] = {_XML.get(tag, tag): value for tag, value in values.items()}
    extra = {k: v for k, v in data.items() if k not in _XML.values()}
    if data.get("type") == EVENT_TYPE:
        extra["subtype"] = str(values.get("Event", "")).lower()
    body = {k: v for k, v in data.items() if k in _XML.values()} | {"data": extra}
    push = _from_json(body)
    return Push(type=push.type, sender_id=push.sender_id, receiver_id=push.receiver_id,
                created_at=push.created_at, text=push.text, data=push.data, raw=values)


def _summary(push: Push) -> str:
    """What the desk shows for a message without text (location, voice, picture)."""
    if push.text.strip():
        return push.text
    if push.type == "position":
        return f"[位置] {push.data.get('longitude', '')},{push.data.get('latitude', '')}"
    return {"voice": "[语音]", "image": "[图片]"}.get(push.type, f"[{push.type}]")


def message_record(push: Push, account_uid: str) -> dict[str, Any]:
    """The inhouse record of a pushed message. Threaded under ``dm-<customer uid>``, the key
    the inbox groups a customer's private messages by."""
    if push.is_event:
        raise ValueError("events are not messages")
    return {
        "id": push.message_id, "kind": "message", "platform": "weibo",
        "created_at": push.created_at.isoformat(), "text": _summary(push),
        "author": {"uid": push.sender_id}, "root_id": f"dm-{push.sender_id}",
        "account_uid": account_uid, "source": SOURCE, "raw": push.raw,
    }


@dataclass(frozen=True)
class ReplyWindow:
    """How long the account may still answer a customer's private messages."""

    opened_at: dt.datetime  # the customer's latest message
    deadline: dt.datetime
    remaining: dt.timedelta  # zero once closed

    @property
    def open(self) -> bool:
        return self.remaining > dt.timedelta(0)

    def as_dict(self) -> dict[str, Any]:
        return {"opened_at": self.opened_at.isoformat(), "deadline": self.deadline.isoformat(),
                "remaining_seconds": int(self.remaining.total_seconds()), "open": self.open}


def reply_window(last_customer_message_at: dt.datetime | None, now: dt.datetime | None = None,
                 *, length: dt.timedelta = REPLY_WINDOW) -> ReplyWindow | None:
    """The window after the customer's latest private message (``None``: they never wrote,
    so the account cannot start a private conversation). Each new message reopens it."""
    if last_customer_message_at is None:
        return None
    if last_customer_message_at.tzinfo is None:
        raise ValueError("reply_window needs an aware datetime")
    now = now or dt.datetime.now(dt.UTC)
    deadline = last_customer_message_at + length
    return ReplyWindow(opened_at=last_customer_message_at, deadline=deadline,
                       remaining=max(deadline - now, dt.timedelta(0)))
