"""MediaCrawler (NanmiCoder/MediaCrawler) Weibo exports: contents and comments, both generations.

Old generation (before 2026-07): ``user_id``, ``nickname``, ``ip_location``, ``gender``,
``profile_url``, ``avatar``. New generation: personal data removed, only ``creator_hash`` (16
hex digits of SHA-256 of the user id) and a masked ``nickname``; the author's uid becomes
``"h:" + creator_hash`` so the same person is still one author across files, but cannot be
matched with the same person seen through the API.
"""

from __future__ import annotations

from typing import Any

from inhouse.pipeline.records import RecordError
from inhouse.sources.importers.base import Context
from inhouse.sources.importers.common import author, clean_id, record, to_count, to_time

# Values of parent_comment_id that mean "answers the post itself".
_NO_PARENT = ("", "0", "None", "null")


def row_author(row: dict[str, Any]) -> dict[str, Any] | None:
    if row.get("user_id") not in (None, ""):
        return author(row.get("user_id"), "user_id", row.get("nickname"),
                      location=str(row.get("ip_location") or "").strip())
    creator = str(row.get("creator_hash") or "").strip()
    if creator:
        return author("h:" + creator, "creator_hash", row.get("nickname"))
    return None


def row_time(row: dict[str, Any]) -> str:
    # create_time (Unix seconds) is unambiguous; create_date_time is the fallback.
    if row.get("create_time") not in (None, ""):
        return to_time(row["create_time"], "create_time")
    return to_time(row.get("create_date_time"), "create_date_time")


def from_row(row: Any, ctx: Context, source: str = "mediacrawler") -> list[dict[str, Any]]:
    """One contents or comments row (CSV dict or JSON object) -> one record."""
    if not isinstance(row, dict):
        raise RecordError("(row)", f"expected an object, got {type(row).__name__}")
    if "comment_id" in row:
        return [_comment(row, ctx, source)]
    if "note_id" in row:
        return [_note(row, ctx, source)]
    if "fans" in row or "follows" in row:
        raise RecordError("(row)", "a creators record is a profile, not a post or comment; import the contents and comments files")
    raise RecordError("note_id", "is missing (not a MediaCrawler contents or comments record)")


def _note(row: dict[str, Any], ctx: Context, source: str) -> dict[str, Any]:
    return record(
        id=clean_id(row.get("note_id"), "note_id"),
        kind="post",
        created_at=row_time(row),
        text=str(row.get("content") or ""),
        author=row_author(row),
        reposts=to_count(row.get("shared_count"), "shared_count"),
        comments=to_count(row.get("comments_count"), "comments_count"),
        likes=to_count(row.get("liked_count"), "liked_count"),
        account_uid=ctx.account_uid,
        source=source,
        raw=row,
    )


def _comment(row: dict[str, Any], ctx: Context, source: str) -> dict[str, Any]:
    comment_id = clean_id(row.get("comment_id"), "comment_id")
    note_id = clean_id(row.get("note_id"), "note_id")
    parent = str(row.get("parent_comment_id") or "").strip()
    is_reply = parent not in _NO_PARENT and parent not in (comment_id, note_id)
    return record(
        id=comment_id,
        kind="reply" if is_reply else "comment",
        created_at=row_time(row),
        text=str(row.get("content") or ""),
        author=row_author(row),
        parent_id=clean_id(parent, "parent_comment_id") if is_reply else note_id,
        root_id=note_id,
        # sub_comment_count is the number of replies under this comment.
        comments=to_count(row.get("sub_comment_count"), "sub_comment_count"),
        likes=to_count(row.get("comment_like_count"), "comment_like_count"),
        account_uid=ctx.account_uid,
        source=source,
        raw=row,
    )
