"""The home page names the open incident, most severe first, and links to it."""

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.monitoring.models import Incident, Topic

pytestmark = pytest.mark.django_db


def _incident(workspace, topic, title, severity, state="new", hours_ago=1):
    at = timezone.now() - dt.timedelta(hours=hours_ago)
    return Incident.objects.create(workspace=workspace, topic=topic, title=title, severity=severity,
                                   state=state, opened_at=at, last_signal_at=at)


def test_home_lists_open_incidents_most_severe_first(client, cast, workspace):
    topic = Topic.objects.create(workspace=workspace, name="品牌", query="小鹿零食")
    _incident(workspace, topic, "鹿角脆 苍蝇", "high", hours_ago=30)
    _incident(workspace, topic, "发货慢", "low")
    _incident(workspace, topic, "旧事", "critical", state="resolved")
    client.force_login(cast["operator"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "旧事" not in html
    assert html.index("鹿角脆 苍蝇") < html.index("发货慢")
    assert "/monitoring/incidents/" in html


def test_home_says_when_no_incident_is_open(client, cast):
    client.force_login(cast["viewer"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No open incident." in html


def test_the_agency_sees_the_incident_but_no_link_into_monitoring(client, cast, workspace):
    topic = Topic.objects.create(workspace=workspace, name="品牌", query="小鹿零食")
    _incident(workspace, topic, "鹿角脆 苍蝇", "critical")
    client.force_login(cast["agency"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "鹿角脆 苍蝇" in html and "/monitoring/" not in html
