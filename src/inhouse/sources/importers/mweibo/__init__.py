"""m.weibo.cn mblog JSON as crawlers save it."""

from __future__ import annotations

from inhouse.sources.importers.base import Format
from inhouse.sources.importers.mweibo.payloads import from_payload
from inhouse.sources.importers.readers import json_values

FORMATS = (
    Format("mweibo-json", "m.weibo.cn mblog JSON (array, JSON Lines, or saved API answers)",
           json_values, from_payload),
)
