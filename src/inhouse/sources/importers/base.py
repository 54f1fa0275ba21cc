"""The shape every importer shares: what a reader yields and what a format declares.

A reader turns a file into ``Row`` objects (the physical line where the row starts, and the row
as read) or ``LineError`` objects (a line that could not be read at all). A format's pure
``from_row`` turns one row into zero or more records (the format of
``inhouse.pipeline.records``), raising ``RecordError`` naming the source field when it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Row:
    line: int  # physical line in the file where the row/object starts (1-based)
    data: Any  # the row as read: a dict of column -> value, or a decoded JSON value


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Context:
    """What a mapping may know beyond the row itself (all optional)."""

    account_uid: str = ""  # the workspace's official account the export concerns
    author: dict[str, Any] | None = None  # the author of every row, when the file says who (one account's timeline)


Reader = Callable[[BinaryIO], Iterator[Row | LineError]]
FromRow = Callable[[Any, Context], list[dict[str, Any]]]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    read: Reader
    from_row: FromRow
    # Reads hints from the file name (e.g. weibo-crawler's `<uid>.csv`): returns an author dict.
    file_author: Callable[[Path], dict[str, Any] | None] = field(default=lambda path: None)
