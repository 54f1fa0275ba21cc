"""dataabc/weibo-crawler: one account's timeline as CSV (2019 and current columns), its
comments CSV, and its JSON output ``{"user": {...}, "weibo": [...]}``.

The CSV has no author columns: the account is named by the file (``<screen name>/<uid>.csv``),
so the reader's context supplies the author. Current versions write ``id`` with a trailing tab
(against spreadsheet mangling) and, for retweets, ``是否原创=False`` plus the retweeted post
under ``源用户id``, ``源用户昵称`` and ``源微博<column>``; that original becomes a post of its own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from inhouse.pipeline.records import RecordError
from inhouse.sources.importers.base import Context
from inhouse.sources.importers.common import (
    author,
    clean_id,
    optional_count,
    record,
    to_bool,
    to_count,
    to_time,
)

CSV_SOURCE = "weibo-crawler-csv"
JSON_SOURCE = "weibo-crawler-json"
_ORIGIN = "源微博"
_UID_IN_NAME = re.compile(r"(?:^|_)(\d{5,})$")


def file_author(path: Path) -> dict[str, Any] | None:
    """`<screen name>/<uid>.csv` as the tool writes it, or a renamed `<...>_<name>_<uid>.csv`."""
    match = _UID_IN_NAME.search(path.stem)
    if not match:
        return None
    if match.start() == 0:
        name = path.parent.name
    else:
        name = next((part for part in reversed(path.stem[: match.start()].split("_")) if part), "")
    return {"uid": match.group(1), "screen_name": name}


def _csv_time(row: dict[str, Any], prefix: str = "") -> str:
    full = row.get(prefix + "完整日期")
    if full not in (None, ""):
        return to_time(full, prefix + "完整日期")
    return to_time(row.get(prefix + "日期"), prefix + "日期")


def from_csv_row(row: Any, ctx: Context) -> list[dict[str, Any]]:
    if not isinstance(row, dict):
        raise RecordError("(row)", f"expected a CSV row, got {type(row).__name__}")
    if "weibo_id" in row and "user_screen_name" in row:
        return [_comment(row, ctx)]
    post_id = clean_id(row.get("id"), "id")
    origin_id = ""
    if row.get("是否原创") not in (None, "") and not to_bool(row["是否原创"]):
        origin_id = clean_id(row.get(_ORIGIN + "id"), _ORIGIN + "id", required=False)
    records = [
        record(
            id=post_id,
            kind="repost" if origin_id else "post",
            created_at=_csv_time(row),
            text=str(row.get("正文") or ""),
            author=ctx.author,
            parent_id=origin_id,
            reposts=to_count(row.get("转发数"), "转发数"),
            comments=to_count(row.get("评论数"), "评论数"),
            likes=to_count(row.get("点赞数"), "点赞数"),
            account_uid=ctx.account_uid,
            source=CSV_SOURCE,
            raw=row,
        )
    ]
    # The retweeted original, when the row carries enough of it to stand alone (a deleted
    # original has no date).
    if origin_id and (row.get(_ORIGIN + "完整日期") or row.get(_ORIGIN + "日期")):
        records.append(
            record(
                id=origin_id,
                kind="post",
                created_at=_csv_time(row, _ORIGIN),
                text=str(row.get(_ORIGIN + "正文") or ""),
                author=author(row.get("源用户id"), "源用户id", row.get("源用户昵称")),
                reposts=to_count(row.get(_ORIGIN + "转发数"), _ORIGIN + "转发数"),
                comments=to_count(row.get(_ORIGIN + "评论数"), _ORIGIN + "评论数"),
                likes=to_count(row.get(_ORIGIN + "点赞数"), _ORIGIN + "点赞数"),
                account_uid=ctx.account_uid,
                source=CSV_SOURCE,
                raw={k: v for k, v in row.items() if k.startswith(("源", "是否原创"))},
            )
        )
    return records


def _comment(row: dict[str, Any], ctx: Context) -> dict[str, Any]:
    # The comments export names the commenter only by screen name: no author is stored.
    return record(
        id=clean_id(row.get("id"), "id"),
        kind="comment",
        created_at=to_time(row.get("created_at"), "created_at"),
        text=str(row.get("text") or ""),
        parent_id=clean_id(row.get("weibo_id"), "weibo_id"),
        likes=to_count(row.get("like_count"), "like_count"),
        account_uid=ctx.account_uid,
        source=CSV_SOURCE,
        raw=row,
    )


def from_json_row(row: Any, ctx: Context) -> list[dict[str, Any]]:
    """One element of ``weibo`` (the reader passes ``{"user": user, "weibo": post}``)."""
    if not isinstance(row, dict) or not isinstance(row.get("weibo"), dict):
        raise RecordError("weibo", "expected a post object")
    return _json_post(row["weibo"], row.get("user"), ctx, "weibo")


def _json_author(post: dict[str, Any], user: Any, prefix: str) -> dict[str, Any] | None:
    uid = post.get("user_id")
    if isinstance(user, dict) and str(user.get("id", "")) == str(uid or user.get("id", "")):
        return author(
            user.get("id"), "user.id", user.get("screen_name") or post.get("screen_name"),
            followers_count=optional_count(user.get("followers_count"), "user.followers_count"),
            friends_count=optional_count(user.get("follow_count"), "user.follow_count"),
            statuses_count=optional_count(user.get("statuses_count"), "user.statuses_count"),
            verified=user.get("verified"),
            verified_type=user.get("verified_type"),
            description=user.get("description"),
            location=user.get("location"),
        )
    return author(uid, f"{prefix}.user_id", post.get("screen_name"))


def _json_post(post: dict[str, Any], user: Any, ctx: Context, prefix: str) -> list[dict[str, Any]]:
    def count(name: str) -> int:
        return to_count(post.get(name), f"{prefix}.{name}")

    when = post.get("full_created_at") or post.get("created_at")
    time_field = f"{prefix}.full_created_at" if post.get("full_created_at") else f"{prefix}.created_at"
    retweet = post.get("retweet") if isinstance(post.get("retweet"), dict) else None
    origin_id = clean_id(retweet.get("id"), f"{prefix}.retweet.id", required=False) if retweet else ""
    records = [
        record(
            id=clean_id(post.get("id"), f"{prefix}.id"),
            kind="repost" if origin_id else "post",
            created_at=to_time(when, time_field),
            text=str(post.get("text") or ""),
            author=_json_author(post, user, prefix) or ctx.author,
            parent_id=origin_id,
            reposts=count("reposts_count"),
            comments=count("comments_count"),
            likes=count("attitudes_count"),
            account_uid=ctx.account_uid,
            source=JSON_SOURCE,
            raw=post,
        )
    ]
    if retweet and origin_id and (retweet.get("full_created_at") or retweet.get("created_at")):
        original = _json_post(retweet, None, Context(account_uid=ctx.account_uid), f"{prefix}.retweet")
        records.extend(original[:1])
    return records
