"""Storing a pushed private message: one idempotent ingest, then analysis and routing."""

from __future__ import annotations

import logging

from django.db import transaction

from inhouse.core.models import Account
from inhouse.pipeline.ingest import IngestReport, ingest
from inhouse.weibo.fanservice import Push, message_record

log = logging.getLogger(__name__)


def receive_message(account: Account, push: Push) -> IngestReport:
    """Store ``push`` as an Item of kind message of ``account``'s workspace. The platform's
    retries carry the same sender and CreateTime, hence the same id: stored once. Analysis and
    routing (the inbox) run in the worker after the commit."""
    with transaction.atomic():
        report = ingest(account.workspace, [message_record(push, account.platform_uid)])
        if report.item_ids:
            ids = list(report.item_ids)
            transaction.on_commit(lambda: _process_later(ids))
    return report


def _process_later(ids: list[int]) -> None:
    from inhouse.pipeline.sync_tasks import process_items

    try:
        process_items.delay(ids)
    except Exception:  # noqa: BLE001 - the broker is down: analyze_pending picks them up
        log.exception("could not queue analysis of pushed messages %s", ids)
