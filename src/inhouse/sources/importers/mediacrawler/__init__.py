"""MediaCrawler's Weibo exports: JSON (an array per day), JSON Lines, CSV."""

from __future__ import annotations

from functools import partial

from inhouse.sources.importers.base import Format
from inhouse.sources.importers.mediacrawler.payloads import from_row
from inhouse.sources.importers.readers import csv_rows, json_values, jsonl_lines

FORMATS = (
    Format("mediacrawler-json", "MediaCrawler JSON export (one array per file)", json_values,
           partial(from_row, source="mediacrawler-json")),
    Format("mediacrawler-jsonl", "MediaCrawler JSON Lines export (default since 2026-03)", jsonl_lines,
           partial(from_row, source="mediacrawler-jsonl")),
    Format("mediacrawler-csv", "MediaCrawler CSV export (contents or comments)", csv_rows,
           partial(from_row, source="mediacrawler-csv")),
)
