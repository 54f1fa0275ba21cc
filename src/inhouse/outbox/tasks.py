"""Celery tasks of the publish queue. Beat should run ``outbox.send_pending`` every minute."""

from __future__ import annotations

from celery import shared_task

from inhouse.outbox.models import OutboundWrite
from inhouse.outbox.send import MAX_ATTEMPTS, send_write, sendable


@shared_task(name="outbox.send_write", acks_late=True)
def send_write_task(write_id: int) -> str:
    """Send one write now (queued by an action with ``send_soon``). Safe to run twice."""
    return send_write(write_id).status


@shared_task(name="outbox.send_pending")
def send_pending(limit: int = 50) -> dict[str, int]:
    """Send what is queued or was left without an answer, oldest first."""
    ids = list(OutboundWrite.objects.filter(sendable(), attempts__lt=MAX_ATTEMPTS)
               .order_by("created_at").values_list("id", flat=True)[:limit])
    outcome: dict[str, int] = {}
    for write_id in ids:
        status = send_write(write_id).status
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
