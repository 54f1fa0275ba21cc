"""The record format every source hands to ingest, and its pure parser.

A record is a dict (one JSON object per line in a JSONL file)::

    {"id": "4607741009594608",            # required, the platform id (string or integer)
     "kind": "comment",                   # required: post, repost, comment, reply, message
     "created_at": "2026-11-20T10:00:00+08:00",  # required: ISO 8601, epoch seconds, or
                                          # Weibo's "Tue May 31 17:46:55 +0800 2011"
     "text": "...",
     "platform": "weibo",                 # default weibo
     "author": {"uid": "...", "screen_name": "...", "followers_count": 0, "friends_count": 0,
                "statuses_count": 0, "verified": false, "verified_type": -1,
                "location": "", "description": "", "created_at": "..."},
     "parent_id": "...", "root_id": "...",
     "reposts_count": 0, "comments_count": 0, "likes_count": 0,
     "account_uid": "...",                # the workspace's official account it concerns
     "source": "demo",
     "raw": {...}}                        # the payload as received; defaults to the record

Sources (connector, importers, the demo) convert their payloads into this shape with pure
``from_payload`` functions; ``parse_record`` checks it without touching a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

KINDS = ("post", "repost", "comment", "reply", "message")
_WEIBO_TIME = "%a %b %d %H:%M:%S %z %Y"
_ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Naive times (crawler exports write local wall-clock time) are read as Beijing time.
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


class RecordError(ValueError):
    """A record cannot be ingested; says which field and why."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"field '{field_name}': {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ParsedAuthor:
    platform: str
    uid: str
    screen_name: str = ""
    followers_count: int | None = None
    friends_count: int | None = None
    statuses_count: int | None = None
    verified: bool = False
    verified_type: int | None = None
    location: str = ""
    description: str = ""
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class ParsedItem:
    platform: str
    platform_id: str
    kind: str
    created_at: dt.datetime
    text: str = ""
    author: ParsedAuthor | None = None
    parent_platform_id: str = ""
    root_platform_id: str = ""
    reposts_count: int = 0
    comments_count: int = 0
    likes_count: int = 0
    account_uid: str = ""
    source: str = ""
    raw: dict = field(default_factory=dict)


def parse_time(value: Any, field_name: str = "created_at") -> dt.datetime:
    """Read a time as ISO 8601, epoch seconds (or ms), or Weibo's created_at format."""
    if isinstance(value, bool) or value is None or value == "":
        raise RecordError(field_name, "is missing")
    if isinstance(value, int | float):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds, as some crawlers write them
            seconds /= 1000.0
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (ValueError, OverflowError, OSError):  # NaN, infinite, or past year 9999
            raise RecordError(field_name, f"{value!r} is not a time (epoch seconds out of range)") from None
    if not isinstance(value, str):
        raise RecordError(field_name, f"expected a time string or number, got {type(value).__name__}")
    text = value.strip()
    if text.isascii() and text.isdigit():  # not "²": str.isdigit takes digits int() refuses
        return parse_time(int(text), field_name)
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_weibo_time(text)
        if parsed is None:
            raise RecordError(
                field_name,
                f"cannot read {value!r} as a time (use ISO 8601, epoch seconds, or "
                f"Weibo's 'Tue May 31 17:46:55 +0800 2011')",
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=DEFAULT_TZ)
    return parsed


def _parse_weibo_time(text: str) -> dt.datetime | None:
    # strptime's %a/%b follow the process locale; Weibo always writes English names.
    parts = text.split()
    if len(parts) != 6 or parts[0] not in _ENGLISH_DAYS or parts[1] not in _ENGLISH_MONTHS:
        return None
    month = _ENGLISH_MONTHS.index(parts[1]) + 1
    try:
        clock = dt.datetime.strptime(f"{parts[5]}-{month:02d}-{parts[2]} {parts[3]} {parts[4]}",
                                     "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None
    return clock


def _id(value: Any, field_name: str, required: bool) -> str:
    if value is None or value == "" or value == 0:
        if required:
            raise RecordError(field_name, "is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RecordError(field_name, f"expected a string or integer id, got {value!r}")
    text = str(value).strip()
    if not text or len(text) > 32:
        raise RecordError(field_name, f"{value!r} is not a platform id (1-32 characters)")
    return text


def _count(record: dict, name: str) -> int:
    value = record.get(name)
    if value is None or value == "":
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RecordError(name, f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise RecordError(name, f"cannot be negative ({number})")
    return number


def _optional_int(data: dict, name: str, prefix: str) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RecordError(f"{prefix}{name}", f"expected a whole number, got {value!r}") from None


def parse_author(data: Any, platform: str) -> ParsedAuthor | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise RecordError("author", f"expected an object, got {type(data).__name__}")
    uid = _id(data.get("uid", data.get("id")), "author.uid", required=True)
    created = data.get("created_at")
    return ParsedAuthor(
        platform=platform,
        uid=uid,
        screen_name=str(data.get("screen_name") or "")[:100],
        followers_count=_optional_int(data, "followers_count", "author."),
        friends_count=_optional_int(data, "friends_count", "author."),
        statuses_count=_optional_int(data, "statuses_count", "author."),
        verified=bool(data.get("verified", False)),
        verified_type=_optional_int(data, "verified_type", "author."),
        location=str(data.get("location") or "")[:100],
        description=str(data.get("description") or ""),
        created_at=parse_time(created, "author.created_at") if created else None,
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in str(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {(k.replace("\x00", "") if isinstance(k, str) else k): _without_nul(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def parse_record(record: Any) -> ParsedItem:
    """Check one record and return it parsed; raise RecordError naming the field."""
    if not isinstance(record, dict):
        raise RecordError("(record)", f"expected a JSON object, got {type(record).__name__}")
    if _has_nul(record):
        # NUL carries no meaning in a post, and PostgreSQL refuses it in text and JSON: one such
        # record would fail the whole chunk stored with it. Dropped, not the record rejected.
        record = _without_nul(record)
    platform = str(record.get("platform") or "weibo")
    platform_id = _id(record.get("id"), "id", required=True)
    kind = record.get("kind")
    if kind not in KINDS:
        raise RecordError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    text = record.get("text") or ""
    if not isinstance(text, str):
        raise RecordError("text", f"expected a string, got {type(text).__name__}")
    raw = record.get("raw")
    if raw is None:
        raw = {k: v for k, v in record.items() if k != "raw"}
    elif not isinstance(raw, dict):
        raise RecordError("raw", f"expected an object, got {type(raw).__name__}")
    parent = _id(record.get("parent_id"), "parent_id", required=False)
    root = _id(record.get("root_id"), "root_id", required=False)
    if kind in ("repost", "comment", "reply") and not (parent or root):
        raise RecordError("parent_id", f"a {kind} needs the id of the item it answers")
    return ParsedItem(
        platform=platform,
        platform_id=platform_id,
        kind=kind,
        created_at=parse_time(record.get("created_at")),
        text=text,
        author=parse_author(record.get("author"), platform),
        parent_platform_id=parent,
        root_platform_id=root or parent,
        reposts_count=_count(record, "reposts_count"),
        comments_count=_count(record, "comments_count"),
        likes_count=_count(record, "likes_count"),
        account_uid=_id(record.get("account_uid"), "account_uid", required=False),
        source=str(record.get("source") or "")[:32],
        raw=raw,
    )


@dataclass(frozen=True)
class RejectedRecord:
    """A record that was not stored, with where it was and why."""

    position: int  # 1-based position in the batch (the line number for a JSONL file)
    item_id: str  # the record's id if it had one, else ""
    field: str
    message: str

    def __str__(self) -> str:
        return self.describe("record")

    def describe(self, where: str) -> str:
        """E.g. ``describe("in.jsonl: line")`` -> "in.jsonl: line 4 (id 12): field 'kind': ..."."""
        ident = f" (id {self.item_id})" if self.item_id else ""
        return f"{where} {self.position}{ident}: field '{self.field}': {self.message}"


def parse_batch(records: list[Any], first_position: int = 1) -> tuple[list[ParsedItem], list[RejectedRecord]]:
    """Parse a batch; bad records are reported, good ones kept."""
    parsed: list[ParsedItem] = []
    rejected: list[RejectedRecord] = []
    for offset, record in enumerate(records):
        try:
            parsed.append(parse_record(record))
        except RecordError as exc:
            item_id = str(record.get("id") or "") if isinstance(record, dict) else ""
            rejected.append(RejectedRecord(first_position + offset, item_id, exc.field, exc.message))
    return parsed, rejected
