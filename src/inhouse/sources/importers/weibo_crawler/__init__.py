"""dataabc/weibo-crawler: one account's timeline, as CSV or JSON."""

from __future__ import annotations

from inhouse.sources.importers.base import Format
from inhouse.sources.importers.readers import csv_rows
from inhouse.sources.importers.weibo_crawler.payloads import (
    file_author,
    from_csv_row,
    from_json_row,
)
from inhouse.sources.importers.weibo_crawler.reader import read_json

FORMATS = (
    Format("weibo-crawler-csv", "dataabc/weibo-crawler timeline CSV (or its comments CSV)",
           csv_rows, from_csv_row, file_author),
    Format("weibo-crawler-json", 'dataabc/weibo-crawler JSON {"user": ..., "weibo": [...]}',
           read_json, from_json_row, file_author),
)
