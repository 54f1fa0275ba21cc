"""Celery tasks for alert delivery; beat runs both every few seconds (see docs/alerts.md)."""

from __future__ import annotations

from celery import shared_task

from inhouse.channels.dispatch import deliver_pending, escalate_unacknowledged


@shared_task(name="channels.deliver_pending")
def deliver_pending_task() -> dict[str, object]:
    report = deliver_pending()
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed,
            "throttled": report.throttled, "disabled": report.disabled}


@shared_task(name="channels.escalate_unacknowledged")
def escalate_unacknowledged_task() -> int:
    return len(escalate_unacknowledged())
