"""The fake's world: statuses, comments and users loaded from a JSONL file of inhouse records
(the format of ``inhouse.pipeline.records``), rendered as Weibo API objects.

Posts and reposts become statuses, comments and replies become comments; private messages
are kept apart (``messages``): the fake pushes the customers' ones to a receiver as the Fan
Service Platform does, and ``messages/reply`` checks its reply window against them. The scenario's official
account (the "owner") is the account every token authorises by default.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from inhouse.pipeline.records import parse_time
from inhouse.weibo.payloads import format_created_at

BEIJING = ZoneInfo("Asia/Shanghai")
SOURCE_HTML = '<a href="http://weibo.com" rel="nofollow">微博 weibo.com</a>'


def numeric_id(value: Any) -> int:
    """Weibo ids are int64; a non-numeric scenario id gets a stable number."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    return 9_000_000_000 + zlib.crc32(text.encode())


@dataclass
class Entry:
    id: int
    kind: str  # "status" or "comment"
    created_at: dt.datetime
    author_uid: int
    text: str
    parent_id: int = 0  # status: the reposted original; comment: the comment replied to
    root_id: int = 0  # comment: the status commented on
    receiver_uid: int = 0  # private message: who it was sent to
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Scenario:
    owner_uid: int
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[int, Entry] = field(default_factory=dict)
    comments: dict[int, Entry] = field(default_factory=dict)
    messages: dict[int, Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # --- building -------------------------------------------------------------------------

    def add_user(self, author: dict[str, Any]) -> int:
        uid = numeric_id(author.get("uid", author.get("id")))
        user = self.users.setdefault(uid, {"id": uid, "screen_name": f"用户{uid}"})
        for key, value in author.items():
            if key not in ("uid", "id") and value not in (None, ""):
                user[key] = value
        return uid

    def add_record(self, record: dict[str, Any]) -> None:
        kind = record.get("kind")
        if kind == "message":
            self._add_message(record)
            return
        if kind not in ("post", "repost", "comment", "reply"):
            return
        author = record.get("author") or {"uid": self.owner_uid}
        entry = Entry(
            id=numeric_id(record["id"]),
            kind="status" if kind in ("post", "repost") else "comment",
            created_at=parse_time(record.get("created_at")),
            author_uid=self.add_user(author),
            text=record.get("text") or "",
            counts={"reposts_count": int(record.get("reposts_count") or 0),
                    "comments_count": int(record.get("comments_count") or 0),
                    "attitudes_count": int(record.get("likes_count") or 0)},
        )
        parent = numeric_id(record["parent_id"]) if record.get("parent_id") else 0
        root = numeric_id(record["root_id"]) if record.get("root_id") else parent
        if entry.kind == "status":
            entry.parent_id = root if kind == "repost" else 0  # Weibo points at the original
            self.statuses[entry.id] = entry
        else:
            entry.root_id = root
            entry.parent_id = parent if kind == "reply" else 0
            self.comments[entry.id] = entry

    def _add_message(self, record: dict[str, Any]) -> None:
        sender = self.add_user(record.get("author") or {"uid": self.owner_uid})
        raw = record.get("raw") or {}
        receiver = self.owner_uid
        if sender == self.owner_uid:  # the account's own answer: to the customer of the thread
            root = str(record.get("root_id") or "")
            target = raw.get("receiver_id") or (root[3:] if root.startswith("dm-") else "")
            if not str(target).isdigit():
                self.warnings.append(f"message {record.get('id')}: no receiver; skipped")
                return
            receiver = int(target)
        entry = Entry(id=numeric_id(record["id"]), kind="message",
                      created_at=parse_time(record.get("created_at")), author_uid=sender,
                      text=record.get("text") or "", receiver_uid=receiver)
        self.messages[entry.id] = entry

    def check(self) -> None:
        """Warn about what breaks since_id paging: ids not increasing with time."""
        for table in (self.statuses, self.comments):
            ordered = sorted(table.values(), key=lambda e: (e.created_at, e.id))
            late = sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b.id < a.id)
            if late:
                self.warnings.append(f"{late} items have smaller ids than older items; a "
                                     "since_id cursor will skip them, as on the real API")

    # --- queries --------------------------------------------------------------------------

    @property
    def owner_name(self) -> str:
        return str(self.users.get(self.owner_uid, {}).get("screen_name", ""))

    def all_ids(self) -> set[int]:
        return set(self.statuses) | set(self.comments)

    # --- rendering as API objects -----------------------------------------------------------

    def user_json(self, uid: int, *, withhold: bool = False) -> dict[str, Any]:
        user = self.users.get(uid, {"screen_name": f"用户{uid}"})
        created = user.get("created_at")
        data: dict[str, Any] = {
            "id": uid, "idstr": str(uid), "screen_name": user.get("screen_name", ""),
            "name": user.get("screen_name", ""), "province": "11", "city": 1,
            "location": user.get("location", ""), "url": "", "gender": user.get("gender", "n"),
            "profile_image_url": f"https://tvax1.sinaimg.cn/default/{uid}.jpg",
            "profile_url": f"u/{uid}", "domain": "",
            "verified": bool(user.get("verified", False)),
            "verified_type": int(user.get("verified_type", -1)),
            "created_at": format_created_at(parse_time(created).astimezone(BEIJING))
            if created else "Mon Jan 02 10:00:00 +0800 2012",
            "following": False, "follow_me": False, "online_status": 0, "lang": "zh-cn",
            "allow_all_act_msg": False, "allow_all_comment": True, "geo_enabled": False,
        }
        if not withhold:
            # "later" restriction: withheld for users who have not authorised the app.
            data.update(description=user.get("description", ""),
                        verified_reason=user.get("verified_reason", ""),
                        followers_count=int(user.get("followers_count", 0)),
                        friends_count=int(user.get("friends_count", 0)),
                        statuses_count=int(user.get("statuses_count", 0)),
                        favourites_count=0, bi_followers_count=0)
        return data

    def status_json(self, entry: Entry, *, nested: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "created_at": format_created_at(entry.created_at.astimezone(BEIJING)),
            "id": entry.id, "idstr": str(entry.id), "mid": str(entry.id),
            "text": entry.text, "source": SOURCE_HTML, "favorited": False, "truncated": False,
            "in_reply_to_status_id": "", "in_reply_to_user_id": "",
            "in_reply_to_screen_name": "", "pic_urls": [], "geo": None,
            "user": self.user_json(entry.author_uid),
            "reposts_count": entry.counts.get("reposts_count", 0),
            "comments_count": entry.counts.get("comments_count", 0),
            "attitudes_count": entry.counts.get("attitudes_count", 0),
            "mlevel": 0, "visible": {"type": 0, "list_id": 0},
        }
        if entry.parent_id and not nested:
            original = self.statuses.get(entry.parent_id)
            data["retweeted_status"] = (
                self.status_json(original, nested=True) if original is not None else
                # As Weibo shows a deleted original inside a repost.
                {"id": entry.parent_id, "idstr": str(entry.parent_id), "mid": str(entry.parent_id),
                 "deleted": "1", "state": 7, "text": "抱歉，此微博已被作者删除。"})
        return data

    def comment_json(self, entry: Entry, *, nested: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "created_at": format_created_at(entry.created_at.astimezone(BEIJING)),
            "id": entry.id, "idstr": str(entry.id), "mid": str(entry.id),
            "text": entry.text, "source": SOURCE_HTML,
            "user": self.user_json(entry.author_uid),
        }
        if nested:
            return data
        status = self.statuses.get(entry.root_id)
        data["status"] = (self.status_json(status, nested=True) if status is not None else
                          {"id": entry.root_id, "idstr": str(entry.root_id), "deleted": "1"})
        if entry.parent_id and entry.parent_id in self.comments:
            data["reply_comment"] = self.comment_json(self.comments[entry.parent_id], nested=True)
        return data


def load(path: str | Path, owner_uid: str | int | None = None) -> Scenario:
    """Read a JSONL scenario. The owner is ``owner_uid``, else the most common
    ``account_uid`` of the records, else the author of the most posts."""
    records = []
    with Path(path).open(encoding="utf-8-sig") as stream:
        for line in stream:
            if line.strip():
                records.append(json.loads(line))
    return from_records(records, owner_uid)


def from_records(records: list[dict[str, Any]], owner_uid: str | int | None = None) -> Scenario:
    if owner_uid is None:
        accounts = Counter(str(r["account_uid"]) for r in records if r.get("account_uid"))
        posters = Counter(str((r.get("author") or {}).get("uid")) for r in records
                          if r.get("kind") == "post" and r.get("author"))
        common = accounts.most_common(1) or posters.most_common(1)
        if not common:
            raise ValueError("cannot tell the scenario's official account; pass owner_uid")
        owner_uid = common[0][0]
    scenario = Scenario(owner_uid=numeric_id(owner_uid))
    for record in records:
        scenario.add_record(record)
    scenario.users.setdefault(scenario.owner_uid, {"id": scenario.owner_uid,
                                                   "screen_name": "官方账号"})
    scenario.check()
    return scenario
