"""Emerging terms: words that suddenly appear beside the topic in negative items (苍蝇 next to
the brand).

Recent window: the topic's negative items of the last ``window_minutes``. Baseline: all of the
topic's items (any sentiment) of the ``baseline_days`` before that window. A word fires when it
is in at least ``min_items`` recent negative items from ``min_authors`` people, is at least
``min_ratio`` times more frequent (per item, add-half smoothed) than in the baseline, and its
Dunning log-likelihood G² passes ``min_g2`` (χ²₁: 15.1 is p = 1e-4). Counts are per item, not
per occurrence, so one angry post repeating a word counts once.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from inhouse.monitoring.detect.base import Alert, Event

# Function words and Weibo boilerplate that co-occur with everything.
STOPWORDS = frozenset(
    "我们 你们 他们 什么 怎么 这个 那个 就是 还是 但是 因为 所以 如果 已经 没有 不是 一个 "
    "自己 可以 现在 今天 真的 这么 那么 大家 还有 一下 时候 而且 然后 感觉 觉得 知道 "
    "转发 微博 转发微博 回复 网页 链接 网页链接 全文 展开 视频 图片 哈哈 哈哈哈".split()
)
_NOISE = re.compile(r"@[\w\-]+|//|https?://\S+|\[[^\]]{1,8}\]|\d+|\W+")
_JUNK = re.compile(r"^[\W\d_]+$|^[a-z]$|^http")


@dataclass(frozen=True)
class EmergingParams:
    window_minutes: int = 60
    baseline_days: float = 7.0
    min_items: int = 10
    min_authors: int = 10  # ten different people, not one angry poster or a bot wave
    min_ratio: float = 15.0
    min_g2: float = 30.0
    min_history_hours: float = 24.0
    # One alert per topic per cooldown, naming the strongest words: a crisis brings dozens
    # of new words at once, and one alert with the top four says more than forty.
    cooldown_hours: float = 12.0


def g2(a: int, b: int, c: int, d: int) -> float:
    """Dunning's log-likelihood for a word seen in a of c recent items and b of d baseline."""
    def part(k: float, n: float, e: float) -> float:
        return k * math.log(k / e) if k > 0 and e > 0 else 0.0

    total = c + d
    if total == 0:
        return 0.0
    hits = a + b
    e1, e2 = c * hits / total, d * hits / total
    e3, e4 = c * (total - hits) / total, d * (total - hits) / total
    return 2 * (part(a, c, e1) + part(b, d, e2) + part(c - a, c, e3) + part(d - b, d, e4))


class EmergingTermsDetector:
    def __init__(self, topic: str, segment: Callable[[str], list[str]],
                 ignore: Iterable[str] = (), params: EmergingParams | None = None,
                 common: Callable[[str], bool] | None = None):
        self.topic = topic
        self.segment = segment
        self.ignore = frozenset(ignore)  # the topic's own words and the workspace dictionary
        self.p = params or EmergingParams()
        # Everyday words (有点, 一直, 孩子) rise with any angry crowd; they explain nothing.
        self.common = common or (lambda _w: False)
        self.first_ts: float | None = None
        self.pending: deque[tuple[float, frozenset[str]]] = deque()  # inside the recent window
        self.base_q: deque[tuple[float, frozenset[str]]] = deque()
        self.base = Counter()
        self.base_n = 0
        self.recent: deque[tuple[float, str, str, frozenset[str]]] = deque()  # negative only
        self.recent_c = Counter()
        self.quiet_until = -math.inf
        self.texts: dict[str, int] = {}  # recent negative item id -> hash of its core text

    def words(self, text: str) -> frozenset[str]:
        return frozenset(
            w for w in self.segment(text)
            if len(w) >= 2 and w not in STOPWORDS and w not in self.ignore and not _JUNK.match(w)
            and not self.common(w)
        )

    def feed(self, ev: Event) -> list[Alert]:
        if self.first_ts is None:
            self.first_ts = ev.ts
        if not ev.text:
            return []
        self._advance(ev.ts)
        words = self.words(ev.text)
        self.pending.append((ev.ts, words))
        if ev.negative is not True or not words:
            return []
        self.recent.append((ev.ts, ev.id, ev.author_id, words))
        # crc32, not hash(): str hashes change between processes, and this state is stored
        # between intake batches (intake.py) that may run in different workers.
        self.texts[ev.id] = zlib.crc32(_NOISE.sub("", ev.text).encode())
        self.recent_c.update(words)
        if ev.ts - self.first_ts < self.p.min_history_hours * 3600 or ev.ts < self.quiet_until:
            return []
        c, d = len(self.recent), max(self.base_n, 1)
        found = []
        for w in words:
            a = self.recent_c[w]
            if a < self.p.min_items:
                continue
            b = self.base[w]
            ratio = (a / c) / ((b + 0.5) / (d + 1))
            if ratio < self.p.min_ratio:
                continue
            score = g2(a, b, c, d)
            if score < self.p.min_g2:
                continue
            ids = [i for _, i, _, ws in self.recent if w in ws]
            authors = {au for _, _, au, ws in self.recent if w in ws}
            texts = {tx for _, i, _, ws in self.recent if w in ws for tx in [self.texts.get(i)]}
            # A spam wave repeats one template from many bot accounts: count distinct texts.
            if len(authors) < self.p.min_authors or len(texts) < self.p.min_items:
                continue
            found.append((score, w, a, b, ratio, ids, len(authors)))
        if not found:
            return []
        found.sort(reverse=True)
        score, w, a, b, ratio, ids, n_auth = found[0]
        others = [f[1] for f in found[1:4]]
        self.quiet_until = ev.ts + self.p.cooldown_hours * 3600
        reason = (
            f"“{w}” appears beside {self.topic} in {a} of the last {c} negative items "
            f"({self.p.window_minutes} minutes, {n_auth} people), against {b} of {self.base_n} "
            f"items in the previous {self.p.baseline_days:g} days: {ratio:.0f}x as frequent, "
            f"G²={score:.1f}." + (f" Also rising: {', '.join(others)}." if others else "")
        )
        severity = "high" if a >= 3 * self.p.min_items else "medium"
        return [Alert(
            topic=self.topic, kind="emerging", ts=ev.ts, offset=ev.offset, severity=severity,
            reason=reason, item_ids=ids, key=f"emerging:{w}:{int(ev.ts)}",
            data={"term": w, "recent": a, "recent_total": c, "baseline": b,
                  "baseline_total": self.base_n, "ratio": round(ratio, 1), "g2": round(score, 1),
                  "also": others,
                  # For the sentence in the reader's language (inhouse.monitoring.wording).
                  "topic": self.topic, "authors": n_auth, "window_minutes": self.p.window_minutes,
                  "baseline_days": self.p.baseline_days},
        )]

    def _advance(self, now: float) -> None:
        cut = now - self.p.window_minutes * 60
        while self.recent and self.recent[0][0] <= cut:
            gone = self.recent.popleft()
            self.recent_c.subtract(gone[3])
            self.texts.pop(gone[1], None)
        while self.pending and self.pending[0][0] <= cut:
            item = self.pending.popleft()
            self.base.update(item[1])
            self.base_n += 1
            self.base_q.append(item)
        old = cut - self.p.baseline_days * 86400
        while self.base_q and self.base_q[0][0] <= old:
            self.base.subtract(self.base_q.popleft()[1])
            self.base_n -= 1
