"""Field converters shared by the importers' pure mappings.

Each converter raises ``RecordError`` naming the *source* column, so an error tells the user
which column of their file to look at.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from inhouse.pipeline.records import RecordError, parse_time

_SPREADSHEET_ID = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|亿|w|W)?\s*\+?$")
_UNITS = {None: 1, "万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}


def clean_id(value: Any, column: str, required: bool = True) -> str:
    """A platform id as a string: strips weibo-crawler's trailing tab; never goes through float."""
    if value is None or isinstance(value, bool):
        text = ""
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # A float id has already lost digits (ids are > 2**53); refuse rather than guess.
        raise RecordError(column, f"{value!r} is a floating-point number; ids must be exact (export ids as text)")
    else:
        text = str(value).strip()
    if text in ("", "0", "None", "null"):
        if required:
            raise RecordError(column, "is missing")
        return ""
    if _SPREADSHEET_ID.match(text):
        raise RecordError(column, f"{text!r} was rounded by a spreadsheet program; export the file again without opening it in one")
    return text


def to_time(value: Any, column: str) -> str:
    """Any time the tools write, as ISO 8601 with offset (naive times are Asia/Shanghai)."""
    if isinstance(value, str):
        value = value.strip()
    try:
        return parse_time(value, column).isoformat()
    except RecordError as exc:
        raise RecordError(column, exc.message) from None


def to_count(value: Any, column: str) -> int:
    """A count: 12, "12", "1,234", "1.2万", "10万+", "100+"; empty means 0."""
    if value is None or value == "" or isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and value.is_integer():
        return max(int(value), 0)
    text = str(value).strip().replace(",", "")
    if text in ("", "-", "转发", "评论", "赞"):  # weibo-search pages show the label when the count is 0
        return 0
    match = _COUNT.match(text)
    if not match:
        raise RecordError(column, f"cannot read {value!r} as a count")
    try:
        number = Decimal(match.group(1)) * _UNITS[match.group(2)]
    except InvalidOperation:
        raise RecordError(column, f"cannot read {value!r} as a count") from None
    return int(number)


def optional_count(value: Any, column: str) -> int | None:
    if value is None or value == "":
        return None
    return to_count(value, column)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "是")


_TAG = re.compile(r"<[^>]+>")
_IMG_ALT = re.compile(r"<img[^>]*\balt=\"?([^\" >]+)\"?[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def strip_html(text: str) -> str:
    """m.weibo.cn text is HTML: keep emoticon names ([笑cry]) and line breaks, drop tags."""
    if "<" not in text and "&" not in text:
        return text
    text = _BR.sub("\n", text)
    text = _IMG_ALT.sub(r"\1", text)
    return html.unescape(_TAG.sub("", text))


# weibo-search's user_authentication. Weibo's verified_type: 0 personal (yellow/red/gold V),
# 1-7 organisations (blue V). The export does not say which organisation type, so 蓝V maps to
# 2 (enterprise), the commonest; see docs/importers.md.
VERIFICATION = {
    "蓝V": (True, 2),
    "黄V": (True, 0),
    "红V": (True, 0),
    "金V": (True, 0),
    "普通用户": (False, -1),
}


def verification(label: Any) -> dict[str, Any]:
    found = VERIFICATION.get(str(label or "").strip())
    if found is None:
        return {}
    return {"verified": found[0], "verified_type": found[1]}


def author(uid: Any, column: str, screen_name: Any = "", **extra: Any) -> dict[str, Any] | None:
    """An author dict, or None when the row names no author."""
    uid_text = clean_id(uid, column, required=False)
    if not uid_text:
        return None
    result: dict[str, Any] = {"uid": uid_text, "screen_name": str(screen_name or "").strip()}
    result.update({k: v for k, v in extra.items() if v is not None and v != ""})
    return result


def record(
    *, id: str, kind: str, created_at: str, text: str, source: str, raw: Any,
    author: dict[str, Any] | None = None, parent_id: str = "", root_id: str = "",
    reposts: int = 0, comments: int = 0, likes: int = 0, account_uid: str = "",
) -> dict[str, Any]:
    """Build a record in the shape of inhouse.pipeline.records (one place, so all agree)."""
    out: dict[str, Any] = {
        "id": id, "kind": kind, "created_at": created_at, "text": text, "platform": "weibo",
        "reposts_count": reposts, "comments_count": comments, "likes_count": likes,
        "source": source, "raw": raw if isinstance(raw, dict) else {"value": raw},
    }
    if author:
        out["author"] = author
    if parent_id:
        out["parent_id"] = parent_id
    if root_id or parent_id:
        out["root_id"] = root_id or parent_id
    if account_uid:
        out["account_uid"] = account_uid
    return out
