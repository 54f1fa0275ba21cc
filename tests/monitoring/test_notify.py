"""Incidents reach the team's alert channels; acknowledging stops the escalation."""

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.channels.models import Channel, Delivery
from inhouse.monitoring import actions
from inhouse.monitoring.detect.base import Alert as Found
from inhouse.monitoring.models import Incident, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(workspace):
    return Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食")


@pytest.fixture
def channel(workspace):
    return Channel.objects.create(workspace=workspace, kind="webhook", name="PR team",
                                  config={}, enabled=True)


def found(kind="burst", key="burst:1", minutes_ago=5, severity="medium"):
    ts = (timezone.now() - dt.timedelta(minutes=minutes_ago)).timestamp()
    return Found(topic="brand", kind=kind, ts=ts, offset=28800, severity=severity,
                 reason="14 negative items in 10 minutes", item_ids=["1"], key=key)


def test_a_new_incident_is_pushed_once_and_again_when_it_grows_worse(topic, channel):
    actions.record_alert(topic, found())
    actions.record_alert(topic, found(key="burst:2", minutes_ago=3))  # same kind: no change
    actions.record_alert(topic, found(kind="viral", key="viral:1", minutes_ago=1))
    incident = Incident.objects.get()
    keys = list(Delivery.objects.order_by("id").values_list("dedupe_key", flat=True))
    assert keys == [f"incident:{incident.pk}:medium", f"incident:{incident.pk}:high"]
    assert Delivery.objects.first().message["text"].startswith("14 negative items")


def test_old_events_are_stored_but_not_pushed(topic, channel):
    actions.record_alert(topic, found(minutes_ago=60 * 24))
    assert Incident.objects.count() == 1
    assert Delivery.objects.count() == 0


def test_acknowledging_stops_the_escalation(topic, channel, cast):
    alert, _ = actions.record_alert(topic, found())
    actions.acknowledge_incident(alert.incident, cast["operator"])
    assert Delivery.objects.get().acknowledged_at is not None
