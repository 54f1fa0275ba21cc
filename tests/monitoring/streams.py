"""Constructed streams for detector tests: a normal rhythm, and the same with a wave on top."""

from __future__ import annotations

import datetime as dt
import random

from inhouse.monitoring.detect import Event

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 11, 16, tzinfo=CST)  # a Monday


def rhythm(days: int = 4, per_hour_negative: float = 1.0, seed: int = 1,
           text: str = "小鹿零食 的 味道 一般") -> list[Event]:
    """Negative chatter with an hour-of-day rhythm (quiet nights), plus neutral items."""
    rng = random.Random(seed)
    events = []
    n = 0
    for hour in range(days * 24):
        h = hour % 24
        rate = per_hour_negative * (0.2 if h < 7 else 1.5 if h in (12, 20, 21) else 1.0)
        for _ in range(rng.randint(0, int(rate * 2 + 0.5))):
            n += 1
            ts = (START + dt.timedelta(hours=hour, seconds=rng.randrange(3600))).timestamp()
            events.append(Event(id=f"n{n}", kind="post", ts=ts, text=text,
                                author_id=f"u{rng.randrange(500)}", negative=True))
        for _ in range(rng.randint(2, 6)):
            n += 1
            ts = (START + dt.timedelta(hours=hour, seconds=rng.randrange(3600))).timestamp()
            events.append(Event(id=f"x{n}", kind="post", ts=ts, text="小鹿零食 今天 上新",
                                author_id=f"u{rng.randrange(500)}", negative=False))
    return sorted(events, key=lambda e: e.ts)


def wave(at: dt.datetime, count: int, minutes: float, text: str, prefix: str = "w") -> list[Event]:
    step = minutes * 60 / count
    return [Event(id=f"{prefix}{i}", kind="post", ts=at.timestamp() + i * step, text=text,
                  author_id=f"angry{i}", negative=True) for i in range(count)]


def merge(*streams: list[Event]) -> list[Event]:
    return sorted((e for s in streams for e in s), key=lambda e: e.ts)
