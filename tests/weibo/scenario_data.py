"""A small, deterministic scenario for the fake: two days of an official account's traffic.

Every item but the strangers' chatter is reachable by the streams the desk syncs, so after a
full sync the database must hold exactly :func:`reachable` of the records visible by then.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

OWNER_UID = "5550001111"
OWNER_NAME = "小鹿零食官方"
START = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FANS = [(str(7770000000 + i), f"吃货{i:02d}") for i in range(12)]


def build(days: int = 2, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    owner = {"uid": OWNER_UID, "screen_name": OWNER_NAME, "verified": True, "verified_type": 2,
             "followers_count": 52000}

    def add(kind: str, minute: int, text: str, author: dict[str, Any], **links: str) -> dict[str, Any]:
        # Weibo ids grow with time; the minute leads, a sequence breaks ties.
        rid = str(4_990_000_000_000_000 + minute * 1000 + len(records))
        at = START + dt.timedelta(minutes=minute)
        record = {"id": rid, "kind": kind, "created_at": at.isoformat(), "text": text,
                  "author": author, "account_uid": OWNER_UID, "source": "scenario", **links}
        records.append(record)
        return record

    for post_no in range(days * 6):  # a post every four hours
        minute = post_no * 240 + rng.randint(0, 30)
        post = add("post", minute, f"鹿角脆第{post_no}批新品上市，欢迎品尝！", owner)
        for c in range(rng.randint(2, 6)):
            uid, name = rng.choice(FANS)
            fan = {"uid": uid, "screen_name": name, "followers_count": rng.randint(5, 900)}
            comment = add("comment", minute + 5 + c * 7, f"第{c}条评论：什么时候发货？", fan,
                          parent_id=post["id"], root_id=post["id"])
            if rng.random() < 0.5:
                add("reply", minute + 9 + c * 7, f"回复@{name}:明天发货", owner,
                    parent_id=comment["id"], root_id=post["id"])
        for r in range(rng.randint(0, 3)):
            uid, name = rng.choice(FANS)
            add("repost", minute + 11 + r * 13, "转发微博", {"uid": uid, "screen_name": name},
                parent_id=post["id"], root_id=post["id"])
        uid, name = rng.choice(FANS)
        add("post", minute + 60, f"@{OWNER_NAME} 我的快递到了吗", {"uid": uid, "screen_name": name})
        add("post", minute + 70, "今天天气不错", {"uid": "8880000001", "screen_name": "路人甲"})
    records.sort(key=lambda r: int(r["id"]))
    return records


def reachable(records: list[dict[str, Any]], now: dt.datetime) -> set[str]:
    """Ids the desk can see by ``now``: own posts, comments and reposts on them, replies,
    and posts that @ the account. The strangers' posts are not reachable."""
    own_posts = {r["id"] for r in records if r["author"]["uid"] == OWNER_UID and r["kind"] == "post"}
    found = set()
    for r in records:
        if dt.datetime.fromisoformat(r["created_at"]) > now:
            continue
        if r["id"] in own_posts or r.get("root_id") in own_posts or f"@{OWNER_NAME}" in r["text"]:
            found.add(r["id"])
    return found
