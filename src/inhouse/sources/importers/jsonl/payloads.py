"""inhouse's own record format (inhouse.pipeline.records), one record per line.

Records pass through unchanged; ingest checks them. Only ``source`` and ``account_uid`` are
filled in when the line leaves them out.
"""

from __future__ import annotations

from typing import Any

from inhouse.pipeline.records import RecordError
from inhouse.sources.importers.base import Context

SOURCE = "jsonl"


def from_row(row: Any, ctx: Context) -> list[dict[str, Any]]:
    if not isinstance(row, dict):
        raise RecordError("(record)", f"expected a JSON object, got {type(row).__name__}")
    if row.get("source") and (not ctx.account_uid or row.get("account_uid")):
        return [row]  # nothing to fill in: no copy
    out = dict(row)
    if "raw" not in out:
        out["raw"] = row  # what ingest would default to, kept free of the filled-in fields
    out.setdefault("source", SOURCE)
    if ctx.account_uid and not out.get("account_uid"):
        out["account_uid"] = ctx.account_uid
    return [out]
