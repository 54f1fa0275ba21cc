"""Alert channels of a workspace and the deliveries sent through them.

A channel's settings are split in two: ``config`` (plain JSON: keyword, SMTP host, the
escalation list) and ``secrets_encrypted`` (webhook URLs, signing secrets, SMTP passwords,
encrypted with :mod:`inhouse.core.crypto`). Which fields are secret is declared by the
channel kind in :mod:`inhouse.alerts`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.alerts import Message, Transport
from inhouse.alerts.registry import KINDS, transport_class
from inhouse.core.crypto import decrypt, encrypt
from inhouse.core.models import Workspace

KIND_CHOICES = [(k, k) for k in KINDS]


@dataclass(frozen=True)
class EscalationStep:
    """Re-send an unacknowledged alert ``after`` its first delivery, to ``channel`` (a channel
    name in the workspace; empty = the same channel), mentioning ``mentions``."""

    after: dt.timedelta
    channel: str = ""
    mentions: tuple[str, ...] = ()


class Channel(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    name = models.CharField(_("name"), max_length=100)
    config = models.JSONField(default=dict, blank=True)
    secrets_encrypted = models.TextField(blank=True, default="")
    enabled = models.BooleanField(_("enabled"), default=True)
    # Why the channel is off: set by a person, or by the channel itself after a permanent
    # error, so the desk can say what happened and what to fix.
    disabled_reason = models.TextField(blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="channel_unique_name")
        ]
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def secrets(self) -> dict[str, str]:
        return json.loads(decrypt(self.secrets_encrypted)) if self.secrets_encrypted else {}

    @secrets.setter
    def secrets(self, value: dict[str, str]) -> None:
        kept = {k: v for k, v in value.items() if v}
        self.secrets_encrypted = encrypt(json.dumps(kept)) if kept else ""

    @property
    def transport_class(self) -> type[Transport]:
        return transport_class(self.kind)

    def transport(self, *, client: httpx.Client | None = None,
                  clock: Callable[[], float] | None = None) -> Transport:
        config = {**{k: v for k, v in self.config.items() if k != "escalation"}, **self.secrets}
        kwargs: dict[str, Any] = {"client": client}
        if clock is not None:
            kwargs["clock"] = clock
        return self.transport_class(config, **kwargs)

    def escalation_steps(self) -> list[EscalationStep]:
        steps = []
        for raw in self.config.get("escalation", []) or []:
            steps.append(EscalationStep(
                after=dt.timedelta(minutes=float(raw.get("after_minutes", 15))),
                channel=str(raw.get("channel", "") or ""),
                mentions=tuple(raw.get("mentions", []) or []),
            ))
        return sorted(steps, key=lambda s: s.after)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Delivery(models.Model):
    """One message to one channel, with its attempts. Escalations are deliveries too."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    message = models.JSONField()  # Message.to_dict()
    # The caller's key for the alert (e.g. "alert:42"): de-duplication and acknowledgement.
    dedupe_key = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalation_step = models.PositiveSmallIntegerField(default=0)  # 0 = the first send
    escalation_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="escalations")

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["channel", "last_attempt_at"], name="delivery_rate"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dedupe_key} → {self.channel_id} ({self.status})"

    @property
    def alert(self) -> Message:
        return Message.from_dict(self.message)
