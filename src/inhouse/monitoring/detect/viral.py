"""Viral spread: one post whose reposts come fast, from far-reaching accounts, in deep chains.

Each repost adds a weight to its thread: 1, plus a bonus for the reposter's reach (followers
beyond 1,000, on a log scale), for a verified reposter, and for each level of depth (read from
the parent's depth or the ``//@name:`` chain) beyond the first, because a repost of a repost
means the post has left its author's own followers. The detector fires once per post when the
weighted reposts of the last ``window_minutes`` reach ``threshold`` while the post is younger
than ``max_age_hours``. Defaults were tuned on the ced_rumor train cascades (eval_spread.py).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from inhouse.monitoring.detect.base import Alert, Event, chain_depth


@dataclass(frozen=True)
class ViralParams:
    window_minutes: float = 60.0
    threshold: float = 60.0  # weighted reposts within the window
    min_reposts: int = 20  # and at least this many reposts in all
    max_age_hours: float = 24.0  # "while it is young": older threads are no longer watched
    follower_weight: float = 0.5  # per decade of followers above 1,000
    verified_weight: float = 1.0
    depth_weight: float = 0.25  # per level beyond a direct repost
    count_comments: bool = False  # comments show talk, reposts show spread
    # How long a post past its watch age is remembered as such. After that, a new wave of
    # reposts of it is watched as a new thread (a week-old post spreading again is news).
    retired_days: float = 7.0


@dataclass
class _Thread:
    root: str
    start: float
    posted: bool  # the original post itself was seen
    author: str = ""
    followers: int = 0
    window: deque = field(default_factory=deque)  # (ts, weight)
    weight: float = 0.0
    reposts: int = 0
    verified: int = 0
    reach: int = 0
    max_depth: int = 0
    top: list = field(default_factory=list)  # (followers, id, name) of the widest reposters
    fired: bool = False


class ViralDetector:
    def __init__(self, topic: str, params: ViralParams | None = None):
        self.topic = topic
        self.p = params or ViralParams()
        self.threads: dict[str, _Thread] = {}
        # Chain depth of each post or repost seen within the watch age, and (ts, id) in arrival
        # order to forget them by. A parent older than the watch age belongs to a thread no
        # longer watched, so forgetting it changes no weight. Bounded, because the state is
        # stored and read again with every live batch (monitoring.intake): a depth per item
        # ever seen made each batch slower as the tables grew.
        self.depth: dict[str, int] = {}
        self.depth_q: deque[tuple[float, str]] = deque()
        # Threads past their watch age (root -> when retired, in retirement order).
        self.retired: dict[str, float] = {}
        self._next_sweep = -math.inf

    def feed(self, ev: Event) -> list[Alert]:
        p = self.p
        if ev.kind == "post" and not ev.parent_id and not ev.root_id:
            if ev.id not in self.threads:
                self.threads[ev.id] = _Thread(ev.id, ev.ts, True, ev.author_name, ev.followers)
            self._remember(ev, 0)
            return []
        if ev.kind != "repost" and not (p.count_comments and ev.kind == "comment"):
            return []
        if ev.ts >= self._next_sweep:
            self._sweep(ev.ts)
        root = ev.thread_root
        thread = self.threads.get(root)
        if thread is None and root in self.retired:
            return []
        if thread is None:
            thread = self.threads[root] = _Thread(root, ev.ts, False)
        if thread.fired or ev.ts - thread.start > p.max_age_hours * 3600:
            return []
        depth = max(self.depth.get(ev.parent_id, 0) + 1 if ev.parent_id else 1,
                    chain_depth(ev.text) + 1)
        self._remember(ev, depth)
        weight = 1.0 + p.depth_weight * (depth - 1)
        if ev.followers > 1000:
            weight += p.follower_weight * math.log10(ev.followers / 1000)
        if ev.verified:
            weight += p.verified_weight
            thread.verified += 1
        thread.reposts += 1
        thread.reach += ev.followers
        thread.max_depth = max(thread.max_depth, depth)
        if ev.followers > 0 or ev.verified:
            thread.top.append((ev.followers + (10**9 if ev.verified else 0), ev.id,
                               ev.author_name, ev.followers, ev.verified))
            if len(thread.top) > 40:
                thread.top = sorted(thread.top, reverse=True)[:10]
        thread.window.append((ev.ts, weight))
        thread.weight += weight
        horizon = ev.ts - p.window_minutes * 60
        while thread.window and thread.window[0][0] <= horizon:
            thread.weight -= thread.window.popleft()[1]
        if thread.weight < p.threshold or thread.reposts < p.min_reposts:
            return []
        thread.fired = True
        return [self._alert(thread, ev)]

    def _alert(self, t: _Thread, ev: Event) -> Alert:
        age_min = (ev.ts - t.start) / 60
        in_window = len(t.window)
        top = sorted(t.top, reverse=True)[:5]
        who = ", ".join(
            f"@{name or rid} ({f:,} followers{', verified' if v else ''})"
            for _, rid, name, f, v in top
        )
        since = "after it was posted" if t.posted else "after its first repost seen"
        reason = (
            f"Post {t.root}{' by @' + t.author if t.author else ''} is spreading: "
            f"{in_window} reposts in the last {self.p.window_minutes:g} minutes, {t.reposts} in "
            f"all, {age_min:.0f} minutes {since}; chains up to {t.max_depth} deep, "
            f"{t.verified} verified reposters, reposters' reach {t.reach:,} followers."
            + (f" Key reposters: {who}." if who else "")
        )
        speed = in_window / self.p.window_minutes * 60
        severity = "critical" if t.weight >= 4 * self.p.threshold else (
            "high" if t.weight >= 2 * self.p.threshold or t.verified else "medium")
        return Alert(
            topic=self.topic, kind="viral", ts=ev.ts, offset=ev.offset, severity=severity,
            reason=reason, item_ids=[t.root, *(rid for _, rid, *_ in top)], key=f"viral:{t.root}",
            data={"post_id": t.root, "reposts": t.reposts, "in_window": in_window,
                  "per_hour": round(speed, 1), "age_minutes": round(age_min, 1),
                  "max_depth": t.max_depth, "verified": t.verified, "reach": t.reach,
                  "key_reposters": [rid for _, rid, *_ in top],
                  # For the sentence in the reader's language (inhouse.monitoring.wording).
                  "topic": self.topic, "author": t.author, "posted": t.posted,
                  "window_minutes": self.p.window_minutes,
                  "key_reposter_info": [{"id": rid, "name": name, "followers": f,
                                         "verified": bool(v)} for _, rid, name, f, v in top]},
        )

    def _remember(self, ev: Event, depth: int) -> None:
        self.depth[ev.id] = depth
        self.depth_q.append((ev.ts, ev.id))

    def _sweep(self, now: float) -> None:
        # Forget what no longer counts, so memory and the stored state stay flat over any
        # length of stream.
        limit = now - self.p.max_age_hours * 3600
        old = [k for k, t in self.threads.items() if t.start < limit]
        for k in old:
            del self.threads[k]
            self.retired[k] = now
        while self.depth_q and self.depth_q[0][0] < limit:
            self.depth.pop(self.depth_q.popleft()[1], None)
        forget = now - self.p.retired_days * 86400
        while self.retired:
            root, when = next(iter(self.retired.items()))
            if when >= forget:
                break
            del self.retired[root]
        self._next_sweep = now + 3600
