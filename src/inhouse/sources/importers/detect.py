"""``--format auto``: guess the format from the file name, the CSV header or the first object.

Reads at most the header line or the first JSON value (bounded), never the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from inhouse.sources.importers.jsonstream import JsonStream
from inhouse.sources.importers.mweibo.payloads import mblogs

_PEEK = 1 << 20
_WEIBO_CRAWLER_JSON = re.compile(r'^\s*\{\s*"(user|weibo)"\s*:')


@dataclass(frozen=True)
class Guess:
    format: str | None
    reason: str


def guess_format(path: Path) -> Guess:
    with path.open("rb") as f:
        head = f.read(_PEEK)
    text = head.decode("utf-8-sig", errors="ignore")
    stripped = text.lstrip()
    if path.suffix.lower() == ".csv" or (stripped and stripped[0] not in "[{"):
        return _guess_csv(text)
    return _guess_json(path, stripped)


def _guess_csv(text: str) -> Guess:
    try:
        header = {name.strip() for name in next(csv.reader(io.StringIO(text)))}
    except (StopIteration, csv.Error):
        return Guess(None, "empty or unreadable CSV header")
    if "note_id" in header or "comment_id" in header:
        generation = "new generation (creator_hash)" if "creator_hash" in header else "old generation (user_id)"
        return Guess("mediacrawler-csv", f"CSV header has note_id/comment_id: MediaCrawler, {generation}")
    if "retweet_id" in header or {"用户昵称", "微博正文"} <= header:
        return Guess("weibo-search-csv", "CSV header has 用户昵称/微博正文/retweet_id: weibo-search")
    if {"正文", "日期"} <= header or {"weibo_id", "user_screen_name"} <= header:
        if "weibo_id" in header:
            return Guess("weibo-crawler-csv", "CSV header has weibo_id/user_screen_name: weibo-crawler comments")
        version = "current version" if "完整日期" in header else "2019 version"
        return Guess("weibo-crawler-csv", f"CSV header has 正文/日期: weibo-crawler, {version}")
    return Guess(None, f"CSV header matches no known tool: {', '.join(sorted(header))[:200]}")


def _guess_json(path: Path, text: str) -> Guess:
    if _WEIBO_CRAWLER_JSON.match(text):
        return Guess("weibo-crawler-json", 'top-level object starts with "user"/"weibo": weibo-crawler')
    is_array = text.startswith("[")
    stream = JsonStream(io.StringIO(text))
    first = next((row for row in stream.values() if hasattr(row, "data")), None)
    if first is None:
        return Guess(None, "no readable JSON object in the first 1 MiB")
    value = first.data
    if isinstance(value, dict) and ("note_id" in value or "comment_id" in value):
        fmt = "mediacrawler-json" if is_array else "mediacrawler-jsonl"
        return Guess(fmt, f"first object has note_id/comment_id: MediaCrawler ({'array' if is_array else 'one object per line'})")
    if isinstance(value, dict) and {"id", "kind", "created_at"} <= value.keys():
        return Guess("jsonl", "first object has id/kind/created_at: inhouse records")
    if next(mblogs(value), None) is not None:
        return Guess("mweibo-json", "first object holds an m.weibo.cn mblog")
    if path.suffix.lower() == ".jsonl":
        return Guess("jsonl", "file name ends in .jsonl")
    return Guess(None, "first JSON object matches no known tool")
