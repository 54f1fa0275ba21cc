"""Every change analytics makes: settings (audited), fan snapshots, fan scores, report e-mails."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.analytics import fans, snapshots
from inhouse.analytics.models import AnalyticsSettings, FanRun, FanSnapshot, ReportDelivery
from inhouse.analytics.periods import Period
from inhouse.core.models import Account, Workspace

EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
SETTINGS_PERM = Perm.CHANNELS_MANAGE  # where reports go is configured with the alert channels


class NotAllowed(PermissionError):
    pass


def _require(user: AbstractBaseUser, workspace: Workspace, perm: Perm) -> None:
    role = role_of(user, workspace)
    if not role_has(role, perm):
        raise NotAllowed(f"{getattr(user, 'username', user)} ({role or 'no role'}) may not "
                         f"do '{perm}' in {workspace}")


def _words(value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[,，;；\n]+", value or "")
    return list(dict.fromkeys(w.strip() for w in items if w.strip()))


def _emails(value: str | list[str], field: str) -> list[str]:
    emails = _words(value)
    bad = [e for e in emails if not EMAIL.match(e)]
    if bad:
        raise ValidationError({field: f"not an e-mail address: {', '.join(bad)}"})
    return emails


def update_settings(workspace: Workspace, by: AbstractBaseUser, *, target_keywords="",
                    target_locations="", daily_recipients="", weekly_recipients="") -> AnalyticsSettings:
    """Save the target-customer definition and the report recipients (audited)."""
    _require(by, workspace, SETTINGS_PERM)
    values = {"target_keywords": _words(target_keywords),
              "target_locations": _words(target_locations),
              "daily_recipients": _emails(daily_recipients, "daily_recipients"),
              "weekly_recipients": _emails(weekly_recipients, "weekly_recipients")}
    conf, _ = AnalyticsSettings.objects.get_or_create(workspace=workspace)
    before = conf.snapshot()
    for name, value in values.items():
        setattr(conf, name, value)
    conf.save()
    audit(workspace, by, "analytics.settings", f"workspace:{workspace.pk}", before=before,
          after=conf.snapshot())
    return conf


def take_snapshots(use_api: bool = True) -> list[FanSnapshot]:
    """Today's fan snapshot of every official account (the daily beat task)."""
    taken = []
    for account in Account.objects.all():
        if not FanSnapshot.objects.filter(account=account).exists():
            snapshots.backfill_from_posts(account)
        snap = snapshots.take_snapshot(account, use_api=use_api)
        if snap is not None:
            taken.append(snap)
    return taken


def score_fans(workspace: Workspace, period: Period) -> FanRun:
    return fans.score_fans(workspace, period)


def send_report(workspace: Workspace, kind: str, period: Period, recipients: list[str],
                force: bool = False) -> ReportDelivery:
    """E-mail the report of ``period`` (HTML body with the charts, the PDF attached), once per
    workspace, kind and period unless ``force``. A failure is recorded and raised again."""
    from inhouse.analytics import report

    delivery, created = ReportDelivery.objects.get_or_create(
        workspace=workspace, kind=kind, period_start=period.start,
        defaults={"recipients": recipients})
    if delivery.sent_at is not None and not force:
        return delivery
    delivery.recipients = recipients
    try:
        report.email_report(workspace, kind, period, recipients)
    except Exception as exc:
        delivery.error = f"{type(exc).__name__}: {exc}"
        delivery.save(update_fields=["recipients", "error"])
        raise
    delivery.sent_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["recipients", "sent_at", "error"])
    audit(workspace, None, f"analytics.report_sent.{kind}", f"report:{kind}:{period.start}",
          after={"recipients": recipients, "period": [str(period.start), str(period.end)]})
    return delivery


def due_reports(now: dt.datetime) -> list[tuple[Workspace, str, Period, list[str]]]:
    """Reports due at ``now`` (local time): yesterday's daily after 08:00, last Monday–Sunday's
    weekly on Mondays after 08:30; those already sent are left out."""
    from inhouse.analytics.periods import local_tz

    local = now.astimezone(local_tz())
    yesterday = local.date() - dt.timedelta(days=1)
    due = []
    for conf in AnalyticsSettings.objects.select_related("workspace"):
        wanted = []
        if conf.daily_recipients and local.hour >= 8:
            wanted.append(("daily", Period.report("daily", yesterday), conf.daily_recipients))
        if conf.weekly_recipients and local.weekday() == 0 and (local.hour, local.minute) >= (8, 30):
            wanted.append(("weekly", Period.report("weekly", yesterday), conf.weekly_recipients))
        for kind, period, recipients in wanted:
            if not ReportDelivery.objects.filter(workspace=conf.workspace, kind=kind,
                                                 period_start=period.start,
                                                 sent_at__isnull=False).exists():
                due.append((conf.workspace, kind, period, recipients))
    return due
