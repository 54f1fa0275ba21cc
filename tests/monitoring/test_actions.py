"""Incident and topic actions: roles checked, audit written, states in order."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inhouse.access.models import AuditEntry
from inhouse.monitoring import actions
from inhouse.monitoring.detect import Alert as Found
from inhouse.monitoring.models import Alert, Incident, IncidentState, Topic

from .factories import T0


@pytest.fixture
def topic(workspace):
    return Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食 OR 鹿角脆")


def found(kind="burst", key="burst:1", minutes=0, severity="medium") -> Found:
    return Found(topic="brand", kind=kind, ts=T0.timestamp() + 60 * minutes, offset=28800,
                 severity=severity, reason="12 negative items in 10 minutes", item_ids=["1"],
                 key=key)


@pytest.fixture
def incident(topic):
    alert, _ = actions.record_alert(topic, found())
    return alert.incident


def test_an_alert_opens_an_incident_and_a_later_one_joins_it(topic):
    first, created = actions.record_alert(topic, found())
    second, _ = actions.record_alert(topic, found("viral", "viral:9", minutes=30, severity="high"))
    assert created and first.incident == second.incident
    incident = Incident.objects.get()
    # The worst alert is high; a second kind of detector agreeing raises it one level.
    assert incident.severity == "critical"
    assert incident.opened_at == T0
    assert [e.kind for e in incident.events.all()] == ["alert", "alert"]
    assert AuditEntry.objects.filter(action="incident.open").count() == 1


def test_alerts_of_one_kind_do_not_raise_the_severity(topic):
    actions.record_alert(topic, found())
    actions.record_alert(topic, found(key="burst:later", minutes=20))
    incident = Incident.objects.get()
    assert incident.severity == Alert.objects.first().severity


def test_recording_the_same_alert_twice_keeps_one(topic):
    actions.record_alert(topic, found())
    _, created = actions.record_alert(topic, found())
    assert not created and Alert.objects.count() == 1 and Incident.objects.count() == 1


def test_operator_acknowledges_and_becomes_owner_with_audit(incident, cast):
    actions.acknowledge_incident(incident, cast["operator"])
    incident.refresh_from_db()
    assert incident.state == IncidentState.ACKNOWLEDGED
    assert incident.owner == cast["operator"] and incident.first_response_at is not None
    entry = AuditEntry.objects.get(action="incident.acknowledged")
    assert entry.actor == cast["operator"] and entry.before == "new"


@pytest.mark.parametrize("role", ["agency", "viewer", "expert"])
def test_agency_viewer_and_expert_cannot_touch_incidents(incident, cast, role):
    with pytest.raises(PermissionDenied):
        actions.acknowledge_incident(incident, cast[role])
    with pytest.raises(PermissionDenied):
        actions.add_incident_event(incident, "note", "hi", cast[role])
    incident.refresh_from_db()
    assert incident.state == "new"
    assert not AuditEntry.objects.filter(action__startswith="incident.a").exists()


def test_states_follow_the_lifecycle_and_resolution_is_timed(incident, cast):
    owner = cast["owner"]
    with pytest.raises(ValidationError):
        actions.transition_incident(incident, "monitoring", owner)
    for state in ("acknowledged", "responding", "monitoring", "resolved"):
        actions.transition_incident(incident, state, owner)
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolved_at is not None
    assert incident.resolved_at >= incident.first_response_at


def test_team_events_go_on_the_timeline_and_count_as_a_response(incident, cast):
    actions.add_incident_event(incident, "statement", "致歉声明已发布", cast["operator"])
    incident.refresh_from_db()
    assert incident.first_response_at is not None
    assert incident.events.last().text == "致歉声明已发布"
    assert AuditEntry.objects.filter(action="incident.event.statement").exists()


def test_topics_are_checked_and_audited(workspace, cast):
    with pytest.raises(ValidationError, match="position"):
        actions.create_topic(workspace, cast["operator"], "bad", "小鹿 AND")
    with pytest.raises(PermissionDenied):
        actions.create_topic(workspace, cast["agency"], "brand", "小鹿零食")
    topic = actions.create_topic(workspace, cast["operator"], "brand", "小鹿零食")
    actions.update_topic(topic, cast["operator"], query="小鹿零食 -广告")
    assert AuditEntry.objects.filter(action__in=["topic.create", "topic.update"]).count() == 2
