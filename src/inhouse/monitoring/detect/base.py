"""The two shapes detectors share: the item they read and the alert they raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(slots=True)
class Event:
    """One item as detectors see it. ``ts`` is epoch seconds; ``offset`` the seconds east of
    UTC it was written in, so hour of day and weekday are the poster's local ones."""

    id: str
    kind: str
    ts: float
    offset: int = 28800
    text: str = ""
    author_id: str = ""
    author_name: str = ""
    followers: int = 0
    verified: bool = False
    parent_id: str = ""
    root_id: str = ""
    negative: bool | None = None  # None: not analysed

    @property
    def thread_root(self) -> str:
        return self.root_id or self.parent_id or self.id

    def local_time(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.ts, dt.timezone(dt.timedelta(seconds=self.offset)))


@dataclass
class Alert:
    topic: str
    kind: str  # burst | viral | emerging
    ts: float
    offset: int
    severity: str
    reason: str
    item_ids: list[str]
    # Stable identity within a topic (e.g. the viral post's id), so storing is idempotent.
    key: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def detected_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.ts, dt.timezone(dt.timedelta(seconds=self.offset)))

    def to_json(self) -> dict[str, Any]:
        """The replay output line (issue 6)."""
        return {
            "topic": self.topic,
            "kind": self.kind,
            "detected_at": self.detected_at.isoformat(),
            "severity": self.severity,
            "reason": self.reason,
            "item_ids": self.item_ids,
        }


def chain_depth(text: str) -> int:
    """Reposts a text passed through, read from its ``//@name:`` chain (0 for none)."""
    return text.count("//@") if text else 0


def fmt_local(ts: float, offset: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone(dt.timedelta(seconds=offset))).strftime(
        "%a %H:%M")
