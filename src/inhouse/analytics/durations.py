"""Durations as sparse histograms, so roll-ups stay small and a period's median is one pass.

Buckets are one minute wide up to an hour, five minutes up to four hours, half an hour up to
two days, then a day up to 31 days (the last bucket is open). A median read from the
histogram is interpolated inside its bucket: off by at most half a bucket (30 s under an hour,
2.5 min under four hours).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping

EDGES: tuple[int, ...] = (
    *range(0, 3600, 60), *range(3600, 4 * 3600, 300), *range(4 * 3600, 48 * 3600, 1800),
    *range(48 * 3600, 31 * 86400 + 1, 86400),
)


def bucket(seconds: float) -> int:
    return max(0, bisect_right(EDGES, seconds) - 1)


def histogram(values: Iterable[float]) -> dict[str, int]:
    """``{bucket index as str: count}`` (str keys: it is stored as JSON)."""
    return {str(k): n for k, n in sorted(Counter(bucket(v) for v in values).items())}


def merge(into: Counter, hist: Mapping[str, int] | list) -> None:
    """Add a stored histogram into ``into`` (keys stay strings: this runs per day and intent
    on every dashboard view, the conversion waits for ``median``)."""
    if isinstance(hist, list):  # a roll-up of format 1 kept the raw seconds
        hist = histogram(hist)
    for k, n in hist.items():
        into[k] += n


def count(hist: Mapping) -> int:
    return sum(hist.values())


def median(hist: Mapping[str, int]) -> float | None:
    """The median in seconds, interpolated inside its bucket; None when empty."""
    total = sum(hist.values())
    if not total:
        return None
    half, seen = total / 2, 0
    for key in sorted(hist, key=int):
        n, k = hist[key], int(key)
        if seen + n >= half:
            low = EDGES[k]
            high = EDGES[k + 1] if k + 1 < len(EDGES) else low + 86400
            return low + (high - low) * (half - seen) / n
        seen += n
    return float(EDGES[max(int(k) for k in hist)])
