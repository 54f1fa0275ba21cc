"""m.weibo.cn JSON as crawlers save it: ``mblog`` objects, bare or wrapped in cards.

Accepted per object: an API answer ``{"ok": 1, "data": {"cards": [...]}}``, a card or a list of
cards (``card_group`` included), ``{"mblog": {...}}``, or an mblog itself. ``text`` is HTML
(emoticons as ``<img alt="[笑cry]">``); ``longText.longTextContent`` replaces it when present.
A repost carries ``retweeted_status``: the original becomes a post of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from inhouse.pipeline.records import RecordError
from inhouse.sources.importers.base import Context
from inhouse.sources.importers.common import (
    author,
    clean_id,
    optional_count,
    record,
    strip_html,
    to_count,
    to_time,
)

SOURCE = "mweibo-json"


def is_mblog(value: Any) -> bool:
    return isinstance(value, dict) and "created_at" in value and ("mid" in value or "idstr" in value or "id" in value) and "text" in value


def mblogs(value: Any) -> Iterator[dict[str, Any]]:
    """Every mblog inside one saved object (answers, cards, wrappers)."""
    if isinstance(value, list):
        for element in value:
            yield from mblogs(element)
    elif isinstance(value, dict):
        if is_mblog(value):
            yield value
        elif isinstance(value.get("mblog"), dict):
            yield value["mblog"]
        elif isinstance(value.get("data"), dict | list):
            yield from mblogs(value["data"])
        else:
            for key in ("cards", "card_group", "statuses", "list"):
                if isinstance(value.get(key), list):
                    yield from mblogs(value[key])


def from_payload(value: Any, ctx: Context) -> list[dict[str, Any]]:
    found = list(mblogs(value))
    if not found:
        raise RecordError("mblog", "no mblog in this object (expected an mblog, {\"mblog\": ...} or cards)")
    records: list[dict[str, Any]] = []
    for blog in found:
        records.extend(_blog(blog, ctx, "mblog"))
    return records


def blog_id(blog: dict[str, Any], prefix: str) -> str:
    for key in ("idstr", "mid", "id"):
        if blog.get(key) not in (None, ""):
            return clean_id(blog[key], f"{prefix}.{key}")
    raise RecordError(f"{prefix}.id", "is missing")


def _user(data: Any, prefix: str) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    return author(
        data.get("idstr") or data.get("id"), f"{prefix}.user.id", data.get("screen_name"),
        followers_count=optional_count(data.get("followers_count"), f"{prefix}.user.followers_count"),
        friends_count=optional_count(data.get("follow_count", data.get("friends_count")), f"{prefix}.user.follow_count"),
        statuses_count=optional_count(data.get("statuses_count"), f"{prefix}.user.statuses_count"),
        verified=bool(data.get("verified", False)),
        verified_type=data.get("verified_type") if isinstance(data.get("verified_type"), int) else None,
        description=data.get("description"),
        location=data.get("location"),
    )


def _blog(blog: dict[str, Any], ctx: Context, prefix: str) -> list[dict[str, Any]]:
    original = blog.get("retweeted_status") if isinstance(blog.get("retweeted_status"), dict) else None
    origin_id = blog_id(original, f"{prefix}.retweeted_status") if original else ""
    long_text = blog.get("longText") if isinstance(blog.get("longText"), dict) else {}
    text = long_text.get("longTextContent") or blog.get("raw_text") or blog.get("text") or ""
    records = [
        record(
            id=blog_id(blog, prefix),
            kind="repost" if origin_id else "post",
            created_at=to_time(blog.get("created_at"), f"{prefix}.created_at"),
            text=strip_html(str(text)),
            author=_user(blog.get("user"), prefix),
            parent_id=origin_id,
            reposts=to_count(blog.get("reposts_count"), f"{prefix}.reposts_count"),
            comments=to_count(blog.get("comments_count"), f"{prefix}.comments_count"),
            likes=to_count(blog.get("attitudes_count"), f"{prefix}.attitudes_count"),
            account_uid=ctx.account_uid,
            source=SOURCE,
            raw=blog,
        )
    ]
    # A deleted original keeps an id but no user or time: then only the repost is stored.
    if original and original.get("created_at") and isinstance(original.get("user"), dict):
        records.extend(_blog(original, Context(account_uid=ctx.account_uid), f"{prefix}.retweeted_status")[:1])
    return records
