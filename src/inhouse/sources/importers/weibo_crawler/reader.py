"""Streams the posts of weibo-crawler's ``{"user": {...}, "weibo": [...]}`` JSON one by one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from inhouse.sources.importers.base import LineError, Row
from inhouse.sources.importers.jsonstream import JsonStream
from inhouse.sources.importers.readers import text_stream


def read_json(stream: BinaryIO) -> Iterator[Row | LineError]:
    js = JsonStream(text_stream(stream))
    if not js.take("{"):
        yield LineError(js.line, "(json)", 'expected an object {"user": {...}, "weibo": [...]}')
        return
    user: Any = None
    while True:
        char = js.peek()
        if char in ("}", ""):
            return
        if js.take(","):
            continue
        line = js.line
        ok, key = js.decode()
        if not ok or not isinstance(key, str) or not js.take(":"):
            yield LineError(line, "(json)", "expected a key of the top-level object")
            return
        if key == "weibo" and js.take("["):
            for item in js.items():
                yield Row(item.line, {"user": user, "weibo": item.data}) if isinstance(item, Row) else item
            continue
        line = js.line
        ok, value = js.decode()
        if not ok:
            yield LineError(line, key, value)
            return
        if key == "user":
            user = value  # the timeline's owner: completes the author of each post
