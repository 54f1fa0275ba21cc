"""Emit records (the format of inhouse.pipeline.records) and keep their ground truth.

Ids grow with event time like real Weibo mids (16 digits), so sorting by id or by time
agrees; the Weibo-shaped ``raw`` payload is built here so every storyline emits the same shape.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from inhouse.sources.demo.people import CST, OFFICIAL, Person

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=CST)
_ID_BASE = 4_800_000_000_000_000
_SOURCES = ("iPhone客户端", "Android", "微博 weibo.com", "HUAWEI Mate 60", "iPad客户端",
            "小米14 Ultra", "OPPO Find X7", "vivo X100")

# Hour-of-day weights (Beijing time): quiet at night, peaks at lunch and in the evening.
HOUR_WEIGHTS = (1.6, 0.9, 0.5, 0.3, 0.25, 0.3, 0.7, 1.6, 3.0, 3.8, 4.2, 4.8,
                6.8, 6.2, 4.4, 4.0, 4.2, 4.6, 5.2, 6.0, 7.4, 8.0, 7.0, 4.2)
_MAX_WEIGHT = max(HOUR_WEIGHTS)


def weibo_time(when: dt.datetime) -> str:
    """Weibo's created_at, with English names whatever the process locale."""
    return (f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
            f"{when:%H:%M:%S} +0800 {when.year}")


@dataclass
class Node:
    """What storylines need to know about an emitted item to answer or repost it."""

    id: str
    kind: str
    author: Person
    text: str
    at: dt.datetime
    root_id: str = ""
    record: dict = field(default_factory=dict, repr=False)


@dataclass
class Builder:
    rng: random.Random
    end: dt.datetime  # nothing is emitted at or after this time
    records: list[dict] = field(default_factory=list)
    labels: dict[str, dict] = field(default_factory=dict)
    _used: dict[int, int] = field(default_factory=dict)
    _children: dict[str, list[str]] = field(default_factory=dict)
    _reposts: dict[str, int] = field(default_factory=dict)

    # --- time ------------------------------------------------------------------------------
    def later(self, after: dt.datetime, mean_minutes: float, rhythm: bool = True) -> dt.datetime:
        """A time after ``after``: exponential delay, thinned by the hour-of-day rhythm."""
        for _ in range(6):
            at = after + dt.timedelta(seconds=5 + self.rng.expovariate(1 / (mean_minutes * 60)))
            if not rhythm or self.rng.random() < HOUR_WEIGHTS[at.hour] / _MAX_WEIGHT:
                return at.replace(microsecond=0)
        return at.replace(microsecond=0)

    def in_day(self, day: dt.datetime, lo_hour: int = 0, hi_hour: int = 24) -> dt.datetime:
        """A time within [lo_hour, hi_hour) of ``day`` following the hourly rhythm."""
        hours = range(lo_hour, hi_hour)
        hour = self.rng.choices(hours, weights=[HOUR_WEIGHTS[h] for h in hours])[0]
        return day.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))

    # --- ids -------------------------------------------------------------------------------
    def _new_id(self, at: dt.datetime) -> str:
        second = int((at - _EPOCH).total_seconds())
        n = self._used.get(second, 0)
        self._used[second] = n + 1
        return str(_ID_BASE + second * 1000 + n)

    # --- emission --------------------------------------------------------------------------
    def emit(self, kind: str, author: Person, text: str, at: dt.datetime, *,
             intent: str, sentiment: str, story: str, parent: Node | None = None,
             root_id: str = "", concerns: bool = True, pics: int = 0,
             extra: dict | None = None) -> Node | None:
        """Add one record; returns None (and emits nothing) when ``at`` is past the week."""
        if at >= self.end:
            return None
        if parent is not None and at <= parent.at:
            at = parent.at + dt.timedelta(seconds=self.rng.randint(20, 600))
            if at >= self.end:
                return None
        at = at.replace(microsecond=0)
        item_id = self._new_id(at)
        if parent is not None and not root_id:
            root_id = parent.root_id or parent.id
        record = {
            "id": item_id, "kind": kind, "created_at": at.isoformat(), "text": text,
            "platform": "weibo", "author": author.author(),
            "parent_id": parent.id if parent else "", "root_id": root_id,
            "reposts_count": 0, "comments_count": 0, "likes_count": 0,
            "account_uid": OFFICIAL.uid if concerns else "", "source": "demo",
            "raw": self._raw(kind, item_id, author, text, at, parent, root_id, pics, extra),
        }
        self.records.append(record)
        self.labels[item_id] = {"intent": intent, "sentiment": sentiment, "story": story}
        node = Node(item_id, kind, author, text, at, root_id if kind != "post" else "", record)
        if parent is not None:
            self._children.setdefault(parent.id, []).append(kind)
        return node

    def _raw(self, kind: str, item_id: str, author: Person, text: str, at: dt.datetime,
             parent: Node | None, root_id: str, pics: int, extra: dict | None) -> dict:
        when = weibo_time(at)
        user = author.payload(weibo_time(author.created_at))
        if kind == "message":
            raw = {"type": "text", "sender_id": int(author.uid), "created_at": when,
                   "id": int(item_id), "idstr": item_id, "text": text, "user": user,
                   "data": {"text": text}}
        elif kind in ("comment", "reply"):
            raw = {"created_at": when, "id": int(item_id), "idstr": item_id, "mid": item_id,
                   "text": text, "source": self._source(), "user": user,
                   "status": {"id": int(root_id or parent.id), "idstr": root_id or parent.id}}
            if parent is not None and parent.kind in ("comment", "reply"):
                raw["reply_comment"] = {"id": int(parent.id), "idstr": parent.id,
                                        "text": parent.text,
                                        "user": {"id": int(parent.author.uid),
                                                 "screen_name": parent.author.screen_name}}
        else:
            raw = {"created_at": when, "id": int(item_id), "idstr": item_id, "mid": item_id,
                   "text": text, "source": self._source(), "favorited": False,
                   "truncated": False, "user": user, "reposts_count": 0,
                   "comments_count": 0, "attitudes_count": 0, "pic_ids": [],
                   "visible": {"type": 0, "list_id": 0}}
            if pics:
                raw["pic_ids"] = [f"demo{item_id[-8:]}p{i}" for i in range(pics)]
            if kind == "repost" and parent is not None:
                raw["retweeted_status"] = {"id": int(root_id or parent.id),
                                           "idstr": root_id or parent.id}
        if extra:
            raw.update(extra)
        return raw

    def _source(self) -> str:
        name = self.rng.choice(_SOURCES)
        return f'<a href="https://weibo.com" rel="nofollow">{name}</a>'

    # --- wrap-up ---------------------------------------------------------------------------
    def finish(self) -> list[dict]:
        """Set counts from what was generated (likes from a plausible ratio), sort by time."""
        children = self._children
        for record in self.records:
            kinds = children.get(record["id"], [])
            reposts = sum(1 for k in kinds if k == "repost")
            comments = sum(1 for k in kinds if k in ("comment", "reply"))
            if record["kind"] in ("post", "repost"):
                followers = record["author"]["followers_count"] or 0
                likes = int(comments * self.rng.uniform(1.5, 4) + reposts * self.rng.uniform(0.5, 1.5)
                            + min(followers, 3_000_000) * self.rng.uniform(0, 0.0008))
                record["reposts_count"], record["comments_count"], record["likes_count"] = reposts, comments, likes
                raw = record["raw"]
                raw["reposts_count"], raw["comments_count"], raw["attitudes_count"] = reposts, comments, likes
            elif record["kind"] in ("comment", "reply"):
                record["likes_count"] = int(self.rng.paretovariate(1.6)) - 1 + comments * 2
                record["raw"]["like_count"] = record["likes_count"]
        self.records.sort(key=lambda r: int(r["id"]))
        return self.records
