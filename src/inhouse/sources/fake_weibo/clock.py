"""The fake's clock: scenario time that can run faster than real time, or stand still.

``speed=60`` plays one scenario minute per real second; ``speed=0`` freezes the clock so
tests move it with :meth:`advance` (an injected ``sleep`` can call it, so a client waiting
out a rate limit really reaches the next window without any real waiting).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable


class ScenarioClock:
    def __init__(self, start: dt.datetime, speed: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic):
        if start.tzinfo is None:
            raise ValueError("the scenario clock needs an aware start time")
        self.speed = speed
        self._monotonic = monotonic
        self._start = start
        self._t0 = monotonic()
        self._offset = 0.0

    def now(self) -> dt.datetime:
        elapsed = (self._monotonic() - self._t0) * self.speed + self._offset
        return self._start + dt.timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> None:
        """Move scenario time forward by ``seconds``."""
        self._offset += seconds

    def set(self, moment: dt.datetime) -> None:
        self._start, self._t0, self._offset = moment, self._monotonic(), 0.0

    def real_seconds(self, scenario_seconds: float) -> float:
        """How long a client must really wait for ``scenario_seconds`` to pass."""
        return scenario_seconds / self.speed if self.speed > 0 else scenario_seconds
