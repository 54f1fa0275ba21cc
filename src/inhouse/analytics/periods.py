"""Days and periods in the desk's local time (settings.TIME_ZONE, Beijing by default)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> dt.date:
    return timezone.now().astimezone(local_tz()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day as aware datetimes."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=local_tz())
    return start, start + dt.timedelta(days=1)


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(local_tz()).date()


@dataclass(frozen=True)
class Period:
    """Whole local days ``start`` … ``end`` inclusive."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return day_bounds(self.start)[0], day_bounds(self.end)[1]

    @classmethod
    def last(cls, days: int, end: dt.date | None = None) -> Period:
        end = end or today()
        return cls(end - dt.timedelta(days=days - 1), end)

    @classmethod
    def report(cls, kind: str, end: dt.date) -> Period:
        """The daily report of ``end``, or the weekly one of the seven days ending on ``end``
        (the scheduled e-mail uses Monday–Sunday by passing a Sunday)."""
        if kind == "daily":
            return cls(end, end)
        if kind == "weekly":
            return cls(end - dt.timedelta(days=6), end)
        raise ValueError(f"unknown report kind {kind!r}: use daily or weekly")

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """From ISO dates, with an error naming the bad field."""
        try:
            s = dt.date.fromisoformat(start)
        except ValueError as exc:
            raise ValueError(f"start: {start!r} is not a date (YYYY-MM-DD)") from exc
        try:
            e = dt.date.fromisoformat(end)
        except ValueError as exc:
            raise ValueError(f"end: {end!r} is not a date (YYYY-MM-DD)") from exc
        if (e - s).days > 366:
            raise ValueError("period: at most 367 days")
        return cls(s, e)


def report_period(kind: str, raw_end: str) -> Period:
    """The period of a ``kind`` report ending on ``raw_end`` (ISO date, or "" for today);
    ValueError naming what is wrong otherwise."""
    from inhouse.analytics.models import ReportKind

    if kind not in ReportKind.values:
        raise ValueError(f"no such report: {kind!r}")
    try:
        end = dt.date.fromisoformat(raw_end) if raw_end else today()
    except ValueError:
        raise ValueError(f"end: {raw_end!r} is not a date") from None
    return Period.report(kind, end)
