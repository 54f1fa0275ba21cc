"""Retry policy: jittered exponential backoff for transient failures, and wait-and-resume
for rate limits (honouring the reset time when the API told us).

Sleep, clock and randomness are injectable so tests never really sleep.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from inhouse.weibo.errors import Category, WeiboError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class RetryPolicy:
    max_attempts: int = 6  # transient failures (5xx, timeouts, dropped connections)
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_rate_limit_waits: int = 3  # rate-limit windows waited out before giving up
    rate_limit_default_wait: float = 600.0  # when the reset time is unknown
    rate_limit_max_wait: float = 3700.0  # never wait longer than one window (+ margin)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Full-jitter backoff for the given 1-based attempt (AWS architecture blog's variant):
        spreads retries of many workers instead of having them hit Weibo in lockstep."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return self.rng.uniform(ceiling / 2, ceiling)

    def rate_limit_wait(self, error: WeiboError) -> float:
        if error.retry_after is not None and error.retry_after >= 0:
            # A little jitter past the reset so workers do not all return at the same second.
            return min(self.rate_limit_max_wait, error.retry_after + self.rng.uniform(1, 5))
        return self.rate_limit_default_wait

    def run(self, call: Callable[[], T], *, on_retry: Callable[[WeiboError, float], None] | None = None) -> T:
        """Run ``call`` until it succeeds, raising the last error once retries are exhausted
        or the error is not retryable (permanent, token expired)."""
        transient = 0
        limited = 0
        while True:
            try:
                return call()
            except WeiboError as error:
                if error.category == Category.RATE_LIMITED:
                    limited += 1
                    if limited > self.max_rate_limit_waits:
                        raise
                    delay = self.rate_limit_wait(error)
                elif error.category == Category.RETRY_LATER:
                    transient += 1
                    if transient >= self.max_attempts:
                        raise
                    delay = self.backoff(transient)
                else:
                    raise
                log.info("weibo: %s; retrying in %.1fs", error, delay)
                if on_retry is not None:
                    on_retry(error, delay)
                self.sleep(delay)


NO_RETRY = RetryPolicy(max_attempts=1, max_rate_limit_waits=0)
