"""Celery tasks of analytics; beat runs them (inhouse/worker.py).

- ``analytics.refresh_recent`` (every 10 min): today's and yesterday's roll-ups of every
  workspace, so replies and closings that came after the items are counted.
- ``analytics.refresh_stale`` (every ``INHOUSE_ROLLUP_MIN_SECONDS``, default 60 s): the days
  routing marked stale because they had been recomputed moments before.
- ``analytics.daily`` (hourly; idempotent per day): today's fan snapshots, and once a day the
  fan scores over the last 30 days.
- ``analytics.send_due_reports`` (every 15 min): e-mails the daily and weekly reports due.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from inhouse.analytics import actions
from inhouse.analytics.models import FanRun
from inhouse.analytics.periods import Period, today
from inhouse.analytics.rollup import refresh_day, refresh_stale
from inhouse.core.models import Workspace

log = logging.getLogger(__name__)
FAN_WINDOW_DAYS = 30


@shared_task(name="analytics.refresh_recent")
def refresh_recent() -> int:
    n = 0
    for workspace in Workspace.objects.all():
        for day in (today() - dt.timedelta(days=1), today()):
            refresh_day(workspace, day)
            n += 1
    return n


@shared_task(name="analytics.refresh_stale")
def refresh_stale_task() -> int:
    """Roll-ups that routing marked stale (busy days, recomputed at most once a
    ``INHOUSE_ROLLUP_MIN_SECONDS``)."""
    return refresh_stale()


@shared_task(name="analytics.daily")
def daily() -> dict:
    snaps = actions.take_snapshots()
    scored = 0
    for workspace in Workspace.objects.all():
        last = FanRun.objects.filter(workspace=workspace).first()
        if last is not None and last.computed_at.date() == timezone.now().date():
            continue
        actions.score_fans(workspace, Period.last(FAN_WINDOW_DAYS))
        scored += 1
    return {"snapshots": len(snaps), "fan_runs": scored}


@shared_task(name="analytics.send_due_reports")
def send_due_reports() -> list[str]:
    sent = []
    for workspace, kind, period, recipients in actions.due_reports(timezone.now()):
        try:
            actions.send_report(workspace, kind, period, recipients)
            sent.append(f"{workspace.slug}:{kind}:{period.start}")
        except Exception:  # recorded on the delivery; the next run tries again
            log.exception("report %s %s of %s failed", kind, period.start, workspace.slug)
    return sent
