"""Pure conversions between Weibo JSON objects and inhouse records.

``from_payload`` functions turn a status, comment or user object as the API sent it into a
record (the format of ``inhouse.pipeline.records``), keeping the payload itself as ``raw`` so
a better parser can re-read it later. Ids are read from ``idstr`` first, never through float:
they pass 2^53.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# Weibo writes English day and month names whatever the server locale; so do we.
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SOURCE = "weibo"


def format_created_at(moment: dt.datetime) -> str:
    """``Tue May 31 17:46:55 +0800 2011`` from an aware datetime (locale-independent)."""
    if moment.tzinfo is None:
        raise ValueError("format_created_at needs an aware datetime")
    offset = moment.strftime("%z")
    return (f"{DAYS[moment.weekday()]} {MONTHS[moment.month - 1]} {moment.day:02d} "
            f"{moment:%H:%M:%S} {offset} {moment.year}")


def parse_created_at(text: str) -> dt.datetime:
    """Inverse of :func:`format_created_at`; raises ValueError on another format."""
    parts = text.split()
    if len(parts) != 6 or parts[0] not in DAYS or parts[1] not in MONTHS:
        raise ValueError(f"not a Weibo created_at: {text!r}")
    month = MONTHS.index(parts[1]) + 1
    return dt.datetime.strptime(f"{parts[5]}-{month:02d}-{parts[2]} {parts[3]} {parts[4]}",
                                "%Y-%m-%d %H:%M:%S %z")


def object_id(obj: dict[str, Any]) -> int:
    """The int64 id of a status, comment or user (``idstr`` preferred, then ``id``/``mid``)."""
    for key in ("idstr", "id", "mid"):
        value = obj.get(key)
        if value is None or value == "" or isinstance(value, bool | float):
            continue
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    raise ValueError(f"object has no usable id (keys: {', '.join(sorted(obj))[:200]})")


def _int(value: Any) -> int | None:
    # Doc examples carry some numbers as strings ("province": "11"); read leniently.
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def user_from_payload(user: dict[str, Any]) -> dict[str, Any]:
    """A Weibo user object → the record's ``author`` dict."""
    author: dict[str, Any] = {
        "uid": str(object_id(user)),
        "screen_name": user.get("screen_name") or user.get("name") or "",
        "verified": bool(user.get("verified", False)),
        "location": user.get("location") or "",
        "description": user.get("description") or "",
    }
    for name in ("followers_count", "friends_count", "statuses_count", "verified_type"):
        number = _int(user.get(name))
        if number is not None:
            author[name] = number
    if user.get("created_at"):
        author["created_at"] = user["created_at"]
    return author


def status_from_payload(status: dict[str, Any], account_uid: str = "") -> dict[str, Any]:
    """A status object → a post record, or a repost record when it carries
    ``retweeted_status`` (Weibo flattens repost chains: that is always the original)."""
    record: dict[str, Any] = {
        "id": str(object_id(status)),
        "kind": "post",
        "created_at": status.get("created_at"),
        "text": status.get("text") or "",
        "platform": "weibo",
        "reposts_count": _int(status.get("reposts_count")) or 0,
        "comments_count": _int(status.get("comments_count")) or 0,
        "likes_count": _int(status.get("attitudes_count")) or 0,
        "source": SOURCE,
        "raw": status,
    }
    if isinstance(status.get("user"), dict):
        record["author"] = user_from_payload(status["user"])
    original = status.get("retweeted_status")
    if isinstance(original, dict):
        record["kind"] = "repost"
        record["parent_id"] = record["root_id"] = str(object_id(original))
    if account_uid:
        record["account_uid"] = str(account_uid)
    return record


def comment_from_payload(comment: dict[str, Any], account_uid: str = "") -> dict[str, Any]:
    """A comment object → a comment record (parent = the status), or a reply record when it
    carries ``reply_comment`` (parent = that comment, root = the status)."""
    status = comment.get("status") if isinstance(comment.get("status"), dict) else None
    root = str(object_id(status)) if status else ""
    record: dict[str, Any] = {
        "id": str(object_id(comment)),
        "kind": "comment",
        "created_at": comment.get("created_at"),
        "text": comment.get("text") or "",
        "platform": "weibo",
        "parent_id": root,
        "root_id": root,
        "likes_count": _int(comment.get("like_count")) or 0,
        "source": SOURCE,
        "raw": comment,
    }
    if isinstance(comment.get("user"), dict):
        record["author"] = user_from_payload(comment["user"])
    replied = comment.get("reply_comment")
    if isinstance(replied, dict):
        record["kind"] = "reply"
        record["parent_id"] = str(object_id(replied))
    if account_uid:
        record["account_uid"] = str(account_uid)
    return record
