"""inhouse's own JSONL record format."""

from __future__ import annotations

from inhouse.sources.importers.base import Format
from inhouse.sources.importers.jsonl.payloads import from_row
from inhouse.sources.importers.readers import jsonl_lines

FORMATS = (Format("jsonl", "inhouse records, one JSON object per line", jsonl_lines, from_row),)
