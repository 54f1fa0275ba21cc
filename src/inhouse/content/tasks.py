"""Celery task of the content window. Beat should run ``content.publish_due`` every minute."""

from __future__ import annotations

from celery import shared_task

from inhouse.content.actions import publish_due as queue_due
from inhouse.outbox.send import send_write


@shared_task(name="content.publish_due")
def publish_due() -> dict[str, int]:
    """Queue the scheduled drafts whose time has come and send them now.

    Exactly once across restarts: queueing is keyed by the draft (``content:draft-<pk>``)
    and sending by that key; a write left unsent here is sent by ``outbox.send_pending``.
    """
    outcome: dict[str, int] = {}
    for draft in queue_due():
        status = send_write(draft.write_id).status
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
