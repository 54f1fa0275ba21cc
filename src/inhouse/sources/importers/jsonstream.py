"""Incremental JSON: array elements and concatenated values, one at a time, in bounded memory.

``json.load`` would hold a 1 GB MediaCrawler export in memory several times over. Here a
buffered reader feeds ``json.JSONDecoder.raw_decode`` one value at a time; memory is the size
of the largest single value plus one read chunk. Line numbers are tracked so errors point to
the line where the failed value starts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from inhouse.sources.importers.base import LineError, Row

CHUNK = 1 << 16
MAX_VALUE = 64 << 20  # one object larger than this is not a crawler record; stop rather than swell
_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class JsonStream:
    def __init__(self, text: TextIO, chunk: int = CHUNK):
        self._f = text
        self._chunk = chunk
        self.buf = ""
        self.pos = 0
        self.line = 1  # line number at self.pos
        self.eof = False

    def _fill(self, at_least: int = 0) -> bool:
        """Read more text; keeps the unread tail only. Returns False at end of file."""
        if self.eof:
            return False
        data = self._f.read(max(self._chunk, at_least))
        if self.pos:
            self.buf = self.buf[self.pos :]
            self.pos = 0
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def _advance(self, new_pos: int) -> None:
        self.line += self.buf.count("\n", self.pos, new_pos)
        self.pos = new_pos

    def peek(self) -> str:
        """The next non-blank character ('' at end of file), without consuming it."""
        while True:
            end = _WS.match(self.buf, self.pos).end()
            self._advance(end)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def take(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def decode(self) -> tuple[bool, Any]:
        """Decode the value at the cursor: (True, value) or (False, message) after resyncing."""
        self.peek()
        indent = self._indent()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(self.buf) - 1 or exc.msg.startswith("Unterminated string")
                if truncated and not self.eof and len(self.buf) - self.pos < MAX_VALUE:
                    self._fill(len(self.buf) - self.pos)  # grow geometrically: no quadratic re-parse
                    continue
                message = f"not valid JSON: {exc.msg}"
                if len(self.buf) - self.pos >= MAX_VALUE:
                    message = f"one JSON value is larger than {MAX_VALUE >> 20} MB"
                self._resync(indent)
                return False, message
            except (ValueError, RecursionError) as exc:  # an integer of > 4300 digits; nesting too deep
                self._resync(indent)
                return False, f"not valid JSON: {'nested too deeply' if isinstance(exc, RecursionError) else exc}"
            if end == len(self.buf) and not isinstance(value, dict | list) and not self.eof:
                self._fill()  # a bare number may continue in the next chunk
                continue
            self._advance(end)
            return True, value

    def _indent(self) -> str:
        start = self.buf.rfind("\n", 0, self.pos) + 1
        prefix = self.buf[start : self.pos]
        return prefix if not prefix.strip() else ""

    def _resync(self, indent: str) -> None:
        """Skip to the next line that starts a value at the failed value's indentation."""
        pattern = re.compile("\n" + re.escape(indent) + r"[{\[]")
        self.pos += 1
        while True:
            found = pattern.search(self.buf, self.pos)
            if found:
                self._advance(found.start() + 1 + len(indent))
                return
            keep = max(self.pos, len(self.buf) - len(indent) - 1)
            self._advance(keep)
            if not self._fill():
                self._advance(len(self.buf))
                return

    def items(self) -> Iterator[Row | LineError]:
        """Elements of the array whose '[' was just consumed, up to its ']'."""
        while True:
            char = self.peek()
            if char == "]":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            if char == "":
                yield LineError(self.line, "(json)", "the file ends inside an array (truncated?)")
                return
            yield self._one()

    def values(self) -> Iterator[Row | LineError]:
        """Top-level values: the elements of one array, or concatenated values / JSON Lines."""
        while True:
            char = self.peek()
            if char == "":
                return
            if char == "[":
                self.pos += 1
                yield from self.items()
                continue
            if char == ",":  # tolerate a stray separator between values
                self.pos += 1
                continue
            yield self._one()

    def _one(self) -> Row | LineError:
        line = self.line
        ok, value = self.decode()
        return Row(line, value) if ok else LineError(line, "(json)", value)
