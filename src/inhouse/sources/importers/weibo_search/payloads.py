"""dataabc/weibo-search keyword-search CSV: 17 columns, and the newer 21 with ip,
user_authentication, 会员类型, 会员等级.

A row with ``retweet_id`` is a repost of that post; the tool writes the retweeted original as a
row of its own, so the original becomes its own post and the repost points at it.
"""

from __future__ import annotations

from typing import Any

from inhouse.pipeline.records import RecordError
from inhouse.sources.importers.base import Context
from inhouse.sources.importers.common import (
    author,
    clean_id,
    record,
    to_count,
    to_time,
    verification,
)

SOURCE = "weibo-search-csv"


def from_row(row: Any, ctx: Context) -> list[dict[str, Any]]:
    if not isinstance(row, dict):
        raise RecordError("(row)", f"expected a CSV row, got {type(row).__name__}")
    retweet_id = clean_id(row.get("retweet_id"), "retweet_id", required=False)
    extra = verification(row.get("user_authentication"))
    return [
        record(
            id=clean_id(row.get("id"), "id"),
            kind="repost" if retweet_id else "post",
            created_at=to_time(row.get("发布时间"), "发布时间"),
            text=str(row.get("微博正文") or ""),
            author=author(row.get("user_id"), "user_id", row.get("用户昵称"),
                          location=str(row.get("ip") or "").strip(), **extra),
            parent_id=retweet_id,
            reposts=to_count(row.get("转发数"), "转发数"),
            comments=to_count(row.get("评论数"), "评论数"),
            likes=to_count(row.get("点赞数"), "点赞数"),
            account_uid=ctx.account_uid,
            source=SOURCE,
            raw=row,
        )
    ]
