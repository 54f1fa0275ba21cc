"""dataabc/weibo-search: keyword search results as CSV."""

from __future__ import annotations

from inhouse.sources.importers.base import Format
from inhouse.sources.importers.readers import csv_rows
from inhouse.sources.importers.weibo_search.payloads import from_row

FORMATS = (Format("weibo-search-csv", "dataabc/weibo-search results CSV", csv_rows, from_row),)
