"""Celery tasks of the inbox. Beat runs ``inbox.alert_sla_breaches`` every minute."""

from __future__ import annotations

from celery import shared_task

from inhouse.inbox.breaches import alert_breaches


@shared_task(name="inbox.alert_sla_breaches")
def alert_sla_breaches_task() -> int:
    """Announce conversations that went past their SLA (once per breach)."""
    return alert_breaches()
