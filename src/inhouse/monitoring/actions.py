"""Every state change of the monitoring window: one function each, permission-checked (people)
and audited (people and the detectors alike). Views, CLI and intake call these, never the
models directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Workspace
from inhouse.monitoring import detect, wording
from inhouse.monitoring.models import (
    SEVERITY_RANK,
    Alert,
    EventKind,
    Incident,
    IncidentEvent,
    IncidentState,
    Topic,
)
from inhouse.monitoring.replay import RulesError, topic_spec

# Alerts of one topic within this time of the incident's latest signal join it.
JOIN_WINDOW = dt.timedelta(hours=24)

S = IncidentState
NEXT_STATES: dict[str, tuple[str, ...]] = {
    S.NEW: (S.ACKNOWLEDGED, S.RESPONDING, S.RESOLVED),
    S.ACKNOWLEDGED: (S.RESPONDING, S.MONITORING, S.RESOLVED),
    S.RESPONDING: (S.MONITORING, S.RESOLVED),
    S.MONITORING: (S.RESPONDING, S.RESOLVED),
    S.RESOLVED: (S.MONITORING,),  # reopened: it flared up again
}
TEAM_EVENTS = (EventKind.STATEMENT, EventKind.CONTACTED, EventKind.FOLLOW_UP, EventKind.NOTE)


def _require(actor: AbstractBaseUser | None, workspace: Workspace, perm: Perm) -> None:
    if actor is None or not role_has(role_of(actor, workspace), perm):
        raise PermissionDenied(_("Your role may not do this."))


# --- topics ------------------------------------------------------------------------------------
def _check_topic(name: str, query: str, settings: dict[str, Any]) -> None:
    try:
        topic_spec({"name": name, "query": query, **settings})
    except RulesError as exc:
        raise ValidationError(str(exc)) from None


def create_topic(workspace: Workspace, actor: AbstractBaseUser | None, name: str, query: str,
                 active: bool = True, settings: dict[str, Any] | None = None) -> Topic:
    _require(actor, workspace, Perm.RULES_MANAGE)
    settings = settings or {}
    _check_topic(name, query, settings)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(workspace=workspace, name=name.strip(), query=query,
                                         active=active, settings=settings)
    except IntegrityError:
        raise ValidationError(_("A topic with this name exists already.")) from None
    audit(workspace, actor, "topic.create", f"topic:{topic.pk}", after={"name": name, "query": query})
    return topic


def update_topic(topic: Topic, actor: AbstractBaseUser | None, *, query: str | None = None,
                 active: bool | None = None, settings: dict[str, Any] | None = None) -> Topic:
    _require(actor, topic.workspace, Perm.RULES_MANAGE)
    before = {"query": topic.query, "active": topic.active, "settings": topic.settings}
    topic.query = topic.query if query is None else query
    topic.active = topic.active if active is None else active
    topic.settings = topic.settings if settings is None else settings
    _check_topic(topic.name, topic.query, topic.settings)
    topic.save()
    audit(topic.workspace, actor, "topic.update", f"topic:{topic.pk}", before=before,
          after={"query": topic.query, "active": topic.active, "settings": topic.settings})
    return topic


# --- alerts and incidents (the detectors' side) -------------------------------------------------
def record_alert(topic: Topic, found: detect.Alert) -> tuple[Alert, bool]:
    """Store a detector's alert once (keyed by topic and key) and open or join an incident."""
    with transaction.atomic():
        row, created = Alert.objects.get_or_create(
            topic=topic, key=found.key,
            defaults=dict(workspace=topic.workspace, kind=found.kind,
                          detected_at=found.detected_at, severity=found.severity,
                          reason=found.reason, item_ids=found.item_ids, data=found.data),
        )
        if created:
            _open_or_join(row)
    return row, created


def _open_or_join(alert: Alert) -> Incident:
    incident = (
        Incident.objects.select_for_update()
        .filter(topic=alert.topic, last_signal_at__gte=alert.detected_at - JOIN_WINDOW)
        .exclude(state=S.RESOLVED)
        .order_by("-last_signal_at").first()
    )
    if incident is None:
        parts = wording.title_data(alert, alert.topic.name)
        incident = Incident.objects.create(
            workspace=alert.workspace, topic=alert.topic, severity=alert.severity,
            title=wording.title_from(parts), title_data=parts, opened_at=alert.detected_at,
            last_signal_at=alert.detected_at)
        action = "incident.open"
    else:
        incident._severity_before = incident.severity
        incident.severity = _corroborated_severity(incident, alert)
        incident.last_signal_at = max(incident.last_signal_at, alert.detected_at)
        incident.opened_at = min(incident.opened_at, alert.detected_at)
        incident.save(update_fields=["severity", "last_signal_at", "opened_at"])
        action = "incident.join"
    previous = getattr(incident, "_severity_before", None)
    alert.incident = incident
    alert.save(update_fields=["incident"])
    if action == "incident.open" or previous != incident.severity:
        notify_team(incident, alert)
    IncidentEvent.objects.create(incident=incident, kind=EventKind.ALERT, at=alert.detected_at,
                                 alert=alert, text=alert.reason)
    audit(alert.workspace, None, action, f"incident:{incident.pk}",
          after={"alert": alert.pk, "kind": alert.kind, "severity": alert.severity})
    return incident


# Alerts about events older than this are stored but not pushed: a backfill or an import of
# last month's data must not wake the team up.
NOTIFY_WITHIN = dt.timedelta(hours=6)
_CHANNEL_SEVERITY = {"low": "info", "medium": "warning", "high": "critical", "critical": "critical"}


def _notify_key(incident: Incident) -> str:
    return f"incident:{incident.pk}:{incident.severity}"


def notify_team(incident: Incident, alert: Alert, now: dt.datetime | None = None) -> int:
    """Push an incident that opened or grew more severe to the workspace's alert channels
    (WeCom, DingTalk, Feishu, e-mail, webhook). Returns the deliveries queued."""
    from inhouse.alerts.base import Message
    from inhouse.channels.dispatch import send_alert

    if alert.detected_at < (now or timezone.now()) - NOTIFY_WITHIN:
        return 0
    # No reader to ask: the channels get the workspace's language (wording.alert_language).
    with translation.override(wording.alert_language()):
        message = Message(
            title=f"[{incident.get_severity_display()}] {wording.incident_title(incident)}",
            text=wording.alert_reason(alert),
            severity=_CHANNEL_SEVERITY.get(incident.severity, "warning"),
            url=f"/monitoring/incidents/{incident.pk}/",
        )
    return len(send_alert(incident.workspace, message, _notify_key(incident)))


def _corroborated_severity(incident: Incident, alert: Alert) -> str:
    """The worst alert's severity, one level higher for each further kind of detector that
    agrees: a negative burst that is also a spreading post with a new word beside the brand
    (the day-5 crisis) is worse than any of the three alone."""
    joined = list(incident.alerts.values_list("kind", "severity"))
    kinds = {kind for kind, _ in joined} | {alert.kind}
    base = max(SEVERITY_RANK[sev] for sev in [*(sev for _, sev in joined), alert.severity])
    rank = min(max(SEVERITY_RANK[incident.severity], base + len(kinds) - 1),
               max(SEVERITY_RANK.values()))
    return next(name for name, value in SEVERITY_RANK.items() if value == rank)


# --- incidents (the team's side) ---------------------------------------------------------------
def _event(incident: Incident, kind: str, actor, text: str = "", at=None, **data) -> IncidentEvent:
    return IncidentEvent.objects.create(incident=incident, kind=kind, at=at or timezone.now(),
                                        actor=actor, text=text, data=data)


def _first_response(incident: Incident, at=None) -> None:
    at = at or timezone.now()
    if incident.first_response_at is None or at < incident.first_response_at:
        incident.first_response_at = at


def acknowledge_incident(incident: Incident, actor: AbstractBaseUser | None) -> Incident:
    """Someone has seen it: new -> acknowledged; they become owner if there is none."""
    return transition_incident(incident, S.ACKNOWLEDGED, actor)


def transition_incident(incident: Incident, to_state: str, actor: AbstractBaseUser | None,
                        note: str = "") -> Incident:
    _require(actor, incident.workspace, Perm.INCIDENTS_MANAGE)
    if to_state not in NEXT_STATES.get(incident.state, ()):
        raise ValidationError(_("An incident cannot go from %(a)s to %(b)s.")
                              % {"a": incident.state, "b": to_state})
    before = incident.state
    incident.state = to_state
    _first_response(incident)
    if incident.owner_id is None:
        incident.owner = actor
    incident.resolved_at = timezone.now() if to_state == S.RESOLVED else None
    incident.save()
    kind = EventKind.ACKNOWLEDGED if to_state == S.ACKNOWLEDGED else EventKind.STATE
    _event(incident, kind, actor, note, before=before, after=to_state)
    if before == S.NEW:
        # Someone owns it now: stop escalating its alerts to the next person.
        from inhouse.channels.dispatch import acknowledge

        for severity in SEVERITY_RANK:
            acknowledge(incident.workspace, f"incident:{incident.pk}:{severity}")
    audit(incident.workspace, actor, f"incident.{to_state}", f"incident:{incident.pk}",
          before=before, after=to_state)
    return incident


def add_incident_event(incident: Incident, kind: str, text: str,
                       actor: AbstractBaseUser | None, at: dt.datetime | None = None,
                       item_id: str = "") -> IncidentEvent:
    """Record what the team did: statement published, customer contacted, follow-up, note.

    ``at`` is when it was done (default now), so an action taken on Weibo itself can be
    entered afterwards at its real time; ``item_id`` links the post or reply that did it."""
    _require(actor, incident.workspace, Perm.INCIDENTS_MANAGE)
    if kind not in TEAM_EVENTS:
        raise ValidationError(_("Unknown timeline entry %(k)s.") % {"k": kind})
    if kind != EventKind.NOTE:
        _first_response(incident, at)
        incident.save(update_fields=["first_response_at"])
    extra = {"item_id": item_id} if item_id else {}
    event = _event(incident, kind, actor, text, at=at, **extra)
    audit(incident.workspace, actor, f"incident.event.{kind}", f"incident:{incident.pk}",
          after=text[:500])
    return event


def assign_incident(incident: Incident, owner: AbstractBaseUser,
                    actor: AbstractBaseUser | None) -> Incident:
    _require(actor, incident.workspace, Perm.INCIDENTS_MANAGE)
    if not role_has(role_of(owner, incident.workspace), Perm.INCIDENTS_MANAGE):
        raise ValidationError(_("The owner must be able to manage incidents."))
    before = incident.owner_id
    incident.owner = owner
    incident.save(update_fields=["owner"])
    _event(incident, EventKind.OWNER, actor, getattr(owner, "username", ""))
    audit(incident.workspace, actor, "incident.assign", f"incident:{incident.pk}",
          before=before, after=owner.pk)
    return incident


LESSONS_MAX = 20_000


def save_incident_lessons(incident: Incident, lessons: str,
                          actor: AbstractBaseUser | None) -> Incident:
    """The post-incident report's lessons and next steps (INCIDENTS_MANAGE), audited."""
    _require(actor, incident.workspace, Perm.INCIDENTS_MANAGE)
    lessons = (lessons or "").strip()
    if len(lessons) > LESSONS_MAX:
        raise ValidationError(_("Lessons are limited to %(n)s characters.") % {"n": LESSONS_MAX})
    before = incident.lessons
    incident.lessons = lessons
    incident.save(update_fields=["lessons"])
    audit(incident.workspace, actor, "incident.lessons", f"incident:{incident.pk}",
          before={"lessons": before}, after={"lessons": lessons})
    return incident
