"""Small record factories for pipeline tests."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(4900000000000001)


def record(**overrides: Any) -> dict[str, Any]:
    rid = str(next(_ids))
    base: dict[str, Any] = {
        "id": rid,
        "kind": "post",
        "text": "小鹿零食的鹿角脆真好吃",
        "created_at": "2026-11-20T12:00:00+08:00",
        "author": {"uid": "1000001", "screen_name": "吃货小王", "followers_count": 120},
        "source": "test",
    }
    base.update(overrides)
    return base


def comment_on(parent: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return record(kind="comment", parent_id=parent["id"], root_id=parent["id"], **overrides)
