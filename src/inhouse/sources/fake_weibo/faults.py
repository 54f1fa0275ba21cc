"""Seeded fault injection for the fake.

Spec (command line ``--faults``): comma-separated ``kind:value`` where value is a probability
per request (``0.1``), ``once`` (the first request only) or ``N`` times in a row (``x3``)::

    rate_limit:0.1,5xx:0.1,slow:0.05,expired_token:once,drop:0.05,dup_pages:0.1

Kinds: ``rate_limit`` (10023), ``5xx`` (a 502 HTML page or a 500 with error 10001),
``slow`` (answer after ``slow_seconds``), ``expired_token`` (the token expires: 21327 from
then on), ``drop`` (the connection drops mid-body), ``dup_pages`` (a page repeats items of
the previous page). From tests: ``faults.set(...)``, ``faults.force(kind, times)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = ("expired_token", "rate_limit", "5xx", "drop", "slow", "dup_pages")


@dataclass
class Faults:
    seed: int = 0
    rates: dict[str, float] = field(default_factory=dict)
    once: set[str] = field(default_factory=set)
    forced: list[str] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)  # (kind, request path) injected

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str, seed: int = 0) -> Faults:
        faults = cls(seed=seed)
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kind, _, value = part.partition(":")
            faults._add(kind.strip(), value.strip() or "once")
        return faults

    def _add(self, kind: str, value: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(KINDS)}")
        if value == "once":
            self.once.add(kind)
        elif value.startswith("x") and value[1:].isdigit():
            self.force(kind, int(value[1:]))
        else:
            try:
                rate = float(value)
            except ValueError:
                raise ValueError(f"fault {kind}: {value!r} is not a probability, 'once' or xN") from None
            if not 0 <= rate <= 1:
                raise ValueError(f"fault {kind}: probability {rate} is outside 0..1")
            self.rates[kind] = rate

    def set(self, **rates: float) -> None:
        """Replace the probabilities (``faults.set(rate_limit=0.1, **{"5xx": 0.2})``)."""
        self.rates = {}
        for kind, rate in rates.items():
            self._add(kind, str(rate))

    def force(self, kind: str, times: int = 1) -> None:
        """Inject ``kind`` on the next ``times`` eligible requests."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}")
        self.forced.extend([kind] * times)

    def clear(self) -> None:
        self.rates, self.once, self.forced = {}, set(), []

    def draw(self, path: str, *, listing: bool) -> str | None:
        """The fault for this request, if any. Every kind draws a number each time, so a
        seed gives the same sequence whichever faults fire."""
        rolls = {kind: self.rng.random() for kind in KINDS}
        eligible = [k for k in KINDS if listing or k != "dup_pages"]
        for index, kind in enumerate(self.forced):
            if kind in eligible:
                del self.forced[index]
                return self._fire(kind, path)
        for kind in eligible:
            if kind in self.once:
                self.once.discard(kind)
                return self._fire(kind, path)
            if rolls[kind] < self.rates.get(kind, 0.0):
                return self._fire(kind, path)
        return None

    def _fire(self, kind: str, path: str) -> str:
        self.log.append((kind, path))
        return kind

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.log if k == kind)
