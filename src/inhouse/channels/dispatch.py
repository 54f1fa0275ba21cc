"""Sending alerts: de-duplicate, queue, deliver within each channel's rate limits, retry,
switch a channel off on a permanent error, and escalate what nobody acknowledged.

The monitoring window calls :func:`send_alert` and :func:`acknowledge`; Celery beat runs
:func:`deliver_pending` and :func:`escalate_unacknowledged` (tasks.py). Every function takes
``now`` so tests and replays control time; nothing here sleeps.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from inhouse.alerts import Message, TransportError
from inhouse.channels.models import Channel, Delivery, DeliveryStatus
from inhouse.core.models import Workspace

log = logging.getLogger(__name__)

DEDUPE_WINDOW = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 8
# Back-off starts at 60 s, the longest rate window: a retried delivery's previous attempt is
# then always outside every window, so counting deliveries by last attempt counts sends exactly.
BACKOFF_FIRST = dt.timedelta(seconds=60)
BACKOFF_MAX = dt.timedelta(hours=1)
# A claimed delivery is hidden from other workers this long; a worker killed mid-send
# leaves it to be retried afterwards.
CLAIM_LEASE = dt.timedelta(minutes=5)
ESCALATION_HORIZON = dt.timedelta(days=1)


def send_alert(
    workspace: Workspace,
    message: Message,
    dedupe_key: str,
    *,
    now: dt.datetime | None = None,
    window: dt.timedelta = DEDUPE_WINDOW,
) -> list[Delivery]:
    """Queue ``message`` to every enabled channel of ``workspace``, unless the same key was
    already queued to that channel within ``window``. Returns the new deliveries."""
    now = now or timezone.now()
    created = []
    for channel in Channel.objects.filter(workspace=workspace, enabled=True):
        recent = Delivery.objects.filter(
            channel=channel, dedupe_key=dedupe_key, escalation_step=0, created_at__gte=now - window
        )
        if recent.exists():
            continue
        created.append(Delivery.objects.create(
            channel=channel, message=message.to_dict(), dedupe_key=dedupe_key,
            next_attempt_at=now, created_at=now,
        ))
    if not created and not Channel.objects.filter(workspace=workspace, enabled=True).exists():
        log.warning("alert %s for workspace %s: no enabled channel", dedupe_key, workspace.pk)
    return created


def acknowledge(workspace: Workspace, dedupe_key: str, *, now: dt.datetime | None = None) -> int:
    """Someone took the alert: stop escalating it. Returns the deliveries marked."""
    return Delivery.objects.filter(
        channel__workspace=workspace, dedupe_key=dedupe_key, acknowledged_at=None
    ).update(acknowledged_at=now or timezone.now())


def throttle_wait(channel: Channel, now: dt.datetime) -> float:
    """Seconds until ``channel`` may send again under all its rate windows (0 = now)."""
    wait = 0.0
    for count, seconds in channel.transport_class.rate_limits:
        recent = list(
            Delivery.objects.filter(
                channel=channel, last_attempt_at__gt=now - dt.timedelta(seconds=seconds)
            ).order_by("-last_attempt_at").values_list("last_attempt_at", flat=True)[:count]
        )
        if len(recent) >= count:
            # The oldest of the last `count` sends must leave the window first.
            frees_at = recent[-1] + dt.timedelta(seconds=seconds)
            wait = max(wait, (frees_at - now).total_seconds())
    return wait


def backoff(attempts: int) -> dt.timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    throttled: int = 0
    disabled: list[str] = field(default_factory=list)


def deliver_pending(
    *,
    now: dt.datetime | None = None,
    limit: int = 200,
    client: httpx.Client | None = None,
    clock: Callable[[], float] | None = None,
) -> DeliveryReport:
    """Send what is due on enabled channels. ``client`` and ``clock`` reach the transports
    (tests pass a mock HTTP transport and a fixed clock)."""
    now = now or timezone.now()
    report = DeliveryReport()
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
                                channel__enabled=True)
        .select_related("channel").order_by("next_attempt_at", "pk")[:limit]
    )
    for delivery in list(due):
        channel = Channel.objects.get(pk=delivery.channel_id)  # fresh: may have been disabled
        if not channel.enabled:
            continue
        wait = throttle_wait(channel, now)
        if wait > 0:
            Delivery.objects.filter(pk=delivery.pk).update(
                next_attempt_at=now + dt.timedelta(seconds=wait))
            report.throttled += 1
            continue
        if not _claim(delivery, now):
            continue  # another worker took it
        _attempt(delivery, channel, now, report, client=client, clock=clock)
    return report


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + CLAIM_LEASE)
    if claimed:
        delivery.attempts += 1
        delivery.last_attempt_at = now
    return bool(claimed)


def _attempt(delivery: Delivery, channel: Channel, now: dt.datetime, report: DeliveryReport,
             *, client: httpx.Client | None, clock: Callable[[], float] | None) -> None:
    try:
        channel.transport(client=client, clock=clock).send(delivery.alert)
    except ValueError as exc:  # incomplete configuration: no retry can fix it
        _permanent_failure(delivery, channel, f"{channel.transport_class.label}: {exc}", now,
                           report)
    except TransportError as exc:
        if exc.permanent:
            _permanent_failure(delivery, channel, exc.message, now, report)
        else:
            _retryable_failure(delivery, channel, exc, now, report)
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.error = ""
        delivery.save(update_fields=["status", "sent_at", "error"])
        Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
        report.sent += 1


def _retryable_failure(delivery: Delivery, channel: Channel, exc: TransportError,
                       now: dt.datetime, report: DeliveryReport) -> None:
    delivery.error = exc.message
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = f"gave up after {delivery.attempts} attempts: {exc.message}"
        report.failed += 1
    else:
        wait = max(backoff(delivery.attempts), dt.timedelta(seconds=exc.retry_after or 0))
        delivery.next_attempt_at = now + wait
        report.retrying += 1
    delivery.save(update_fields=["status", "error", "next_attempt_at"])
    Channel.objects.filter(pk=channel.pk).update(last_error=delivery.error, last_error_at=now)
    log.warning("channel %s (%s): %s", channel.pk, channel.kind, delivery.error)


def _permanent_failure(delivery: Delivery, channel: Channel, reason: str, now: dt.datetime,
                       report: DeliveryReport) -> None:
    """Fail the delivery and switch the channel off, saying why; its queue is cancelled so a
    fixed channel does not flood the group with stale alerts."""
    with transaction.atomic():
        delivery.status = DeliveryStatus.FAILED
        delivery.error = reason
        delivery.save(update_fields=["status", "error"])
        Channel.objects.filter(pk=channel.pk).update(
            enabled=False, disabled_reason=reason, last_error=reason, last_error_at=now)
        Delivery.objects.filter(channel=channel, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.CANCELLED, error=f"channel switched off: {reason}")
    report.failed += 1
    report.disabled.append(channel.name)
    log.error("channel %s (%s) switched off: %s", channel.pk, channel.kind, reason)


def escalate_unacknowledged(*, now: dt.datetime | None = None) -> list[Delivery]:
    """For each first delivery nobody acknowledged, queue every escalation step of its
    channel whose delay has passed and that was not queued yet. Returns the new deliveries.
    Failed and cancelled first deliveries escalate too: nobody saw those alerts."""
    now = now or timezone.now()
    created = []
    originals = (
        Delivery.objects.filter(escalation_step=0, acknowledged_at=None,
                                created_at__gte=now - ESCALATION_HORIZON)
        .select_related("channel").annotate(done=Max("escalations__escalation_step"))
    )
    for original in originals:
        steps = original.channel.escalation_steps()
        for number, step in enumerate(steps, start=1):
            if number <= (original.done or 0) or now < original.created_at + step.after:
                continue
            created.append(_escalate(original, number, step, now))
    return created


def _escalate(original: Delivery, number: int, step, now: dt.datetime) -> Delivery:
    source = original.channel
    target = source
    if step.channel:
        target = Channel.objects.filter(workspace_id=source.workspace_id, name=step.channel).first()
    alert = original.alert.with_mentions(step.mentions)
    alert = Message(f"[升级 escalated] {alert.title}", alert.text, alert.severity, alert.url,
                    alert.mentions)
    fields = dict(message=alert.to_dict(), dedupe_key=original.dedupe_key, created_at=now,
                  next_attempt_at=now, escalation_step=number, escalation_of=original)
    if target is None or not target.enabled:
        # Recorded as failed, not skipped: an escalation that cannot go out must be visible.
        why = (f"escalation step {number}: channel {step.channel!r} "
               f"{'does not exist' if target is None else 'is switched off'}")
        return Delivery.objects.create(channel=target or source, status=DeliveryStatus.FAILED,
                                       error=why, **fields)
    return Delivery.objects.create(channel=target, **fields)
