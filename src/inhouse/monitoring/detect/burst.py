"""Burst: more negative items about a topic in a short window than its usual rhythm explains.

The baseline is the topic's own history of negative items per bucket, by weekday and hour of
day, shrunk towards the hour-of-day rate and that towards the overall rate while history is
thin (an empirical-Bayes pseudo-count of ``prior_buckets``). The window's count is tested
against Poisson(λ) with an explicit false-alarm rate ``alpha`` per window; the detector fires
at the item that pushes the count past the critical value, not at the end of the bucket.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from inhouse.monitoring.detect.base import Alert, Event, fmt_local

_WEEK = 7 * 24


@dataclass(frozen=True)
class BurstParams:
    window_minutes: int = 10  # window and baseline bucket length
    alpha: float = 1e-6  # chance a normal window fires (one-sided Poisson tail)
    min_count: int = 6  # never fire on fewer negative items than this
    prior_buckets: float = 12.0  # shrinkage strength, in buckets
    min_history_hours: float = 24.0  # learn the rhythm before judging it
    cooldown_hours: float = 6.0  # one alert per wave; the incident collects the rest
    rate_floor: float = 0.02  # negative items per bucket assumed even for a silent topic


@lru_cache(maxsize=4096)
def critical_count(lam: float, alpha: float) -> int:
    """Smallest c with P(X >= c) <= alpha for X ~ Poisson(lam)."""
    if lam > 300:  # normal approximation; exact sums underflow and are not needed here
        z = _z(alpha)
        return int(math.ceil(lam + z * math.sqrt(lam) + 0.5))
    term = math.exp(-lam)
    cdf = term
    c = 0
    while 1.0 - cdf > alpha and c < 10_000:
        c += 1
        term *= lam / c
        cdf += term
    return c + 1


def poisson_tail(count: int, lam: float) -> float:
    """P(X >= count) for X ~ Poisson(lam)."""
    if count <= 0:
        return 1.0
    term = math.exp(-lam)
    cdf = term
    for k in range(1, count):
        term *= lam / k
        cdf += term
    return max(0.0, 1.0 - cdf)


def _z(alpha: float) -> float:
    # Inverse normal tail by bisection: exact enough, and no scipy import on the CLI path.
    lo, hi = 0.0, 40.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > alpha:
            lo = mid
        else:
            hi = mid
    return hi


class BurstDetector:
    def __init__(self, topic: str, params: BurstParams | None = None):
        self.topic = topic
        self.p = params or BurstParams()
        self.bucket_s = self.p.window_minutes * 60
        self.window: deque[tuple[float, str]] = deque()
        self.first_ts: float | None = None
        self.bucket: int | None = None  # index of the open bucket (local time)
        self.bucket_count = 0
        self.n_all = 0
        self.b_all = 0
        self.n_hour = [0] * 24
        self.b_hour = [0] * 24
        self.n_slot = [0] * _WEEK
        self.b_slot = [0] * _WEEK
        self.quiet_until = -math.inf

    # The baseline counts every bucket, empty ones included, so silence lowers the rate.
    def _close_buckets(self, upto: int) -> None:
        if self.bucket is None:
            self.bucket = upto
            return
        last = min(upto, self.bucket + 2 * _WEEK * 3600 // self.bucket_s)  # cap long gaps
        b = self.bucket
        while b < last:
            hour = (b * self.bucket_s // 3600) % 24
            slot = ((b * self.bucket_s // 86400 + 3) % 7) * 24 + hour  # epoch day 0 = Thursday
            count = self.bucket_count if b == self.bucket else 0
            self.n_all += count
            self.b_all += 1
            self.n_hour[hour] += count
            self.b_hour[hour] += 1
            self.n_slot[slot] += count
            self.b_slot[slot] += 1
            b += 1
        if upto != self.bucket:
            self.bucket = upto
            self.bucket_count = 0

    def expected(self, local_ts: float) -> float:
        """λ: expected negative items in one window at this local time."""
        hour = int(local_ts // 3600) % 24
        slot = (int(local_ts // 86400 + 3) % 7) * 24 + hour
        m = self.p.prior_buckets
        r_all = self.n_all / self.b_all if self.b_all else 0.0
        r_hour = (self.n_hour[hour] + m * r_all) / (self.b_hour[hour] + m)
        r_slot = (self.n_slot[slot] + m * r_hour) / (self.b_slot[slot] + m)
        return max(r_slot, self.p.rate_floor)

    def feed(self, ev: Event) -> list[Alert]:
        if ev.negative is not True:
            if self.first_ts is None:
                self.first_ts = ev.ts
            self._close_buckets(int((ev.ts + ev.offset) // self.bucket_s))
            return []
        if self.first_ts is None:
            self.first_ts = ev.ts
        local = ev.ts + ev.offset
        self._close_buckets(int(local // self.bucket_s))
        self.bucket_count += 1
        window = self.window
        window.append((ev.ts, ev.id))
        horizon = ev.ts - self.bucket_s
        while window and window[0][0] <= horizon:
            window.popleft()
        if ev.ts < self.quiet_until or ev.ts - self.first_ts < self.p.min_history_hours * 3600:
            return []
        lam = self.expected(local)
        crit = max(critical_count(round(lam, 3), self.p.alpha), self.p.min_count)
        count = len(window)
        if count < crit:
            return []
        self.quiet_until = ev.ts + self.p.cooldown_hours * 3600
        p_value = poisson_tail(count, lam)
        ratio = count / lam
        severity = "critical" if count >= 3 * crit and count >= 30 else (
            "high" if count >= 2 * crit or ratio >= 20 else "medium")
        reason = (
            f"{count} negative items about {self.topic} in {self.p.window_minutes} minutes; "
            f"usual for {fmt_local(ev.ts, ev.offset)} is {lam:.2f} ({ratio:.0f}x). "
            f"Chance under the usual rate p={p_value:.1e}, below the false-alarm rate "
            f"{self.p.alpha:g}."
        )
        return [Alert(
            topic=self.topic, kind="burst", ts=ev.ts, offset=ev.offset, severity=severity,
            reason=reason, item_ids=[i for _, i in window], key=f"burst:{int(ev.ts)}",
            # Everything the sentence needs, so the desk can say it in the reader's language
            # (inhouse.monitoring.wording); weekday is Monday=0 in the poster's local time.
            data={"count": count, "expected": round(lam, 4), "p_value": p_value,
                  "critical": crit, "window_minutes": self.p.window_minutes,
                  "topic": self.topic, "alpha": self.p.alpha, "ratio": ratio,
                  "weekday": ev.local_time().weekday(),
                  "local_time": ev.local_time().strftime("%H:%M")},
        )]
