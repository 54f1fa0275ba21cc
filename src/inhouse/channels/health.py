"""Which channels are failing: the question the home page and the channels page both ask.

A channel is failing when its last error is newer than its last success (it is retrying, or it
gave up on a delivery) or when it switched itself off after a permanent error. A channel a
person switched off is not failing: someone chose that. Alerts still reach the desk either way;
this is what keeps a broken group chat from being silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q

from inhouse.channels.models import Channel, DeliveryStatus
from inhouse.core.models import Workspace


@dataclass(frozen=True)
class ChannelFailure:
    channel: Channel
    reason: str
    failed_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    switched_off: bool  # by itself, after a permanent error
    waiting: int  # deliveries queued or retrying on it


def _failing_q() -> Q:
    errored = Q(last_error_at__isnull=False) & ~Q(last_error="")
    newer_than_success = Q(last_success_at__isnull=True) | Q(last_error_at__gt=F("last_success_at"))
    self_disabled = Q(enabled=False, disabled_reason=F("last_error"))
    return errored & ((Q(enabled=True) & newer_than_success) | self_disabled)


def annotated(workspace: Workspace):
    """The workspace's channels with ``last_attempt_at`` and ``waiting`` (one query)."""
    return Channel.objects.filter(workspace=workspace).annotate(
        last_attempt_at=Max("deliveries__last_attempt_at"),
        waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
    )


def is_failing(channel: Channel) -> bool:
    if not channel.last_error or channel.last_error_at is None:
        return False
    if not channel.enabled:
        return channel.disabled_reason == channel.last_error
    return channel.last_success_at is None or channel.last_error_at > channel.last_success_at


def failing_channels(workspace: Workspace) -> list[ChannelFailure]:
    """Channels of ``workspace`` that are failing now, most recent failure first."""
    rows = annotated(workspace).filter(_failing_q()).order_by("-last_error_at", "pk")
    return [
        ChannelFailure(channel=c, reason=c.last_error, failed_at=c.last_error_at,
                       last_attempt_at=c.last_attempt_at, switched_off=not c.enabled,
                       waiting=c.waiting)
        for c in rows
    ]
