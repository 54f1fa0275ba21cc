"""Celery tasks wrapping the pipeline stages. The same code runs in the embedded worker of
`inhouse run` and in production workers on Redis or RabbitMQ."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import IntegrityError, OperationalError

from inhouse.core.models import Workspace
from inhouse.pipeline.analyze import analyze_items, analyze_pending
from inhouse.pipeline.ingest import ingest
from inhouse.pipeline.route import route_items


# A deadlock, a dropped database connection or a unique key another worker took at the same
# moment fails the transaction, not the batch: the task runs again (it is idempotent) instead
# of being acknowledged as failed and lost.
@shared_task(name="pipeline.process_records", acks_late=True,
             autoretry_for=(OperationalError, IntegrityError),
             retry_backoff=2, retry_backoff_max=60, retry_jitter=True, max_retries=8)
def process_records(workspace_id: int, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Ingest, analyse and route one batch. Safe to run twice (ingest is an upsert)."""
    workspace = Workspace.objects.get(pk=workspace_id)
    # New items are stored analysed; only stored ones whose text changed are analysed again.
    report = ingest(workspace, records, analyze=True)
    analyze_items(report.unanalyzed)
    routed = route_items(report.item_ids)
    return {
        "created": report.created,
        "updated": report.updated,
        "rejected": [str(r) for r in report.rejected],
        "routed": routed,
    }


@shared_task(name="pipeline.analyze_pending")
def analyze_pending_task(limit: int = 5000) -> int:
    """Analyse and route what ingest stored without analysing (e.g. bulk imports)."""
    ids = analyze_pending(limit)
    route_items(ids)
    return len(ids)
