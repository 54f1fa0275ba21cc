"""Action functions of the channels app: every change to a channel checks the role, does
the work and writes the audit entry. Views, API and CLI call these, never the models.

Audit entries name the fields that hold secrets, never their values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.alerts import Message, TransportError
from inhouse.alerts.registry import KINDS, transport_class
from inhouse.channels.dispatch import throttle_wait
from inhouse.channels.models import Channel, Delivery, DeliveryStatus
from inhouse.core.models import Workspace


def _require(actor: AbstractBaseUser | None, workspace: Workspace) -> None:
    role = role_of(actor, workspace) if actor is not None else None
    if not role_has(role, Perm.CHANNELS_MANAGE):
        raise PermissionDenied("only the workspace owner manages alert channels")


def _split(kind: str, values: Mapping[str, Any], old_secrets: Mapping[str, str]
           ) -> tuple[dict[str, Any], dict[str, str]]:
    """Values into (plain config, secrets); a blank secret keeps the stored one."""
    cls = transport_class(kind)
    config: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    for f in cls.fields:
        value = str(values.get(f.name, "") or "").strip() or f.default
        if f.secret:
            secrets[f.name] = value or old_secrets.get(f.name, "")
        elif value:
            config[f.name] = value
    try:
        cls({**config, **secrets})  # validates required fields
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    return config, secrets


def _clean_escalation(steps: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    cleaned = []
    for i, step in enumerate(steps or [], start=1):
        try:
            minutes = float(step.get("after_minutes", 0))
        except (TypeError, ValueError):
            minutes = -1
        if minutes <= 0:
            raise ValidationError(f"escalation step {i}: after_minutes must be a positive number")
        mentions = step.get("mentions", []) or []
        if isinstance(mentions, str):
            mentions = [m.strip() for m in mentions.split(",") if m.strip()]
        cleaned.append({"after_minutes": minutes, "channel": str(step.get("channel", "") or ""),
                        "mentions": list(mentions)})
    return cleaned


def _summary(channel: Channel) -> dict[str, Any]:
    return {"kind": channel.kind, "name": channel.name, "config": channel.config,
            "secrets_set": sorted(channel.secrets), "enabled": channel.enabled}


def add_channel(workspace: Workspace, actor: AbstractBaseUser | None, *, kind: str, name: str,
                values: Mapping[str, Any], escalation: list[Mapping[str, Any]] | None = None
                ) -> Channel:
    _require(actor, workspace)
    if kind not in KINDS:
        raise ValidationError(f"unknown channel kind {kind!r} (known: {', '.join(KINDS)})")
    if not name.strip():
        raise ValidationError("a channel needs a name")
    if Channel.objects.filter(workspace=workspace, name=name.strip()).exists():
        raise ValidationError(f"a channel named {name!r} already exists")
    config, secrets = _split(kind, values, {})
    config["escalation"] = _clean_escalation(escalation)
    channel = Channel(workspace=workspace, kind=kind, name=name.strip(), config=config)
    channel.secrets = secrets
    channel.save()
    audit(workspace, actor, "channel.add", f"channel:{channel.pk}", after=_summary(channel))
    return channel


def update_channel(workspace: Workspace, actor: AbstractBaseUser | None, channel: Channel, *,
                   name: str | None = None, values: Mapping[str, Any] | None = None,
                   escalation: list[Mapping[str, Any]] | None = None,
                   enabled: bool | None = None) -> Channel:
    """Change settings; blank secret fields keep their stored values. Enabling clears the
    reason the channel was off."""
    _require(actor, workspace)
    if channel.workspace_id != workspace.pk:
        raise PermissionDenied("that channel belongs to another workspace")
    before = _summary(channel)
    if name is not None and name.strip() and name.strip() != channel.name:
        if Channel.objects.filter(workspace=workspace, name=name.strip()).exists():
            raise ValidationError(f"a channel named {name!r} already exists")
        channel.name = name.strip()
    escalation_cfg = channel.config.get("escalation", [])
    if values is not None:
        config, secrets = _split(channel.kind, values, channel.secrets)
        channel.config = config
        channel.secrets = secrets
    channel.config["escalation"] = (_clean_escalation(escalation) if escalation is not None
                                    else escalation_cfg)
    if enabled is not None and enabled != channel.enabled:
        channel.enabled = enabled
        channel.disabled_reason = "" if enabled else "switched off on the desk"
        if not enabled:
            _cancel_queue(channel)
    channel.save()
    audit(workspace, actor, "channel.update", f"channel:{channel.pk}", before=before,
          after=_summary(channel))
    return channel


def disable_channel(workspace: Workspace, actor: AbstractBaseUser | None, channel: Channel,
                    reason: str = "") -> Channel:
    _require(actor, workspace)
    if channel.workspace_id != workspace.pk:
        raise PermissionDenied("that channel belongs to another workspace")
    channel.enabled = False
    channel.disabled_reason = reason or "switched off on the desk"
    channel.save(update_fields=["enabled", "disabled_reason"])
    _cancel_queue(channel)
    audit(workspace, actor, "channel.disable", f"channel:{channel.pk}", after=channel.disabled_reason)
    return channel


def enable_channel(workspace: Workspace, actor: AbstractBaseUser | None, channel: Channel
                   ) -> Channel:
    return update_channel(workspace, actor, channel, enabled=True)


def _cancel_queue(channel: Channel) -> None:
    Delivery.objects.filter(channel=channel, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, error="channel switched off on the desk")


def send_test(workspace: Workspace, actor: AbstractBaseUser | None, channel: Channel, *,
                 now: dt.datetime | None = None, client: httpx.Client | None = None,
                 clock: Callable[[], float] | None = None) -> tuple[bool, str]:
    """Send a test message right away (even on a switched-off channel, to check a fix).
    Returns (ok, what happened). The attempt is recorded so it counts toward rate limits."""
    _require(actor, workspace)
    if channel.workspace_id != workspace.pk:
        raise PermissionDenied("that channel belongs to another workspace")
    now = now or timezone.now()
    wait = throttle_wait(channel, now)
    if wait > 0:
        return False, f"rate limit reached; try again in {int(wait) + 1} s"
    message = Message(
        title="inhouse 测试 test",
        text=f"这是一条来自 inhouse 的测试消息。This is a test from inhouse ({channel.name}).",
        severity="info",
    )
    delivery = Delivery.objects.create(
        channel=channel, message=message.to_dict(), dedupe_key=f"test:{now.isoformat()}",
        attempts=1, last_attempt_at=now, created_at=now, next_attempt_at=now,
        acknowledged_at=now,  # a test never escalates
    )
    try:
        channel.transport(client=client, clock=clock).send(message)
    except (TransportError, ValueError) as exc:
        detail = exc.message if isinstance(exc, TransportError) else str(exc)
        delivery.status, delivery.error = DeliveryStatus.FAILED, detail
        delivery.save(update_fields=["status", "error"])
        Channel.objects.filter(pk=channel.pk).update(last_error=detail, last_error_at=now)
        ok = False
    else:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
        delivery.save(update_fields=["status", "sent_at"])
        Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
        detail = "sent" if channel.enabled else "sent; the channel is still switched off"
        ok = True
    channel.refresh_from_db()
    audit(workspace, actor, "channel.test", f"channel:{channel.pk}", after={"ok": ok, "detail": detail})
    return ok, detail


def remove_channel(workspace: Workspace, actor: AbstractBaseUser | None, channel: Channel) -> None:
    _require(actor, workspace)
    if channel.workspace_id != workspace.pk:
        raise PermissionDenied("that channel belongs to another workspace")
    before = _summary(channel)
    pk = channel.pk
    channel.delete()
    audit(workspace, actor, "channel.remove", f"channel:{pk}", before=before)
