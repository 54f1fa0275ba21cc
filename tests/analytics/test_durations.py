"""Response-time histograms: small to store, medians within half a bucket."""

from __future__ import annotations

import random
import statistics
from collections import Counter

from inhouse.analytics import durations


def test_median_from_the_histogram_is_within_half_a_bucket():
    rng = random.Random(3)
    values = [rng.lognormvariate(7.5, 1.2) for _ in range(5000)]  # ~30 min typical
    hist: Counter = Counter()
    durations.merge(hist, durations.histogram(values[:2500]))
    durations.merge(hist, durations.histogram(values[2500:]))  # two days merged
    exact = statistics.median(values)
    k = durations.bucket(exact)
    width = durations.EDGES[k + 1] - durations.EDGES[k]
    assert abs(durations.median(hist) - exact) <= width / 2 + 1
    assert durations.count(hist) == 5000


def test_empty_and_old_format():
    assert durations.median(Counter()) is None
    hist: Counter = Counter()
    durations.merge(hist, [30, 90, 150])  # format-1 roll-ups kept raw seconds
    assert 60 <= durations.median(hist) <= 120
