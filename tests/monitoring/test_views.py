"""Desk pages under /monitoring/: owner and operator see and act; agency is refused."""

from __future__ import annotations

import pytest

from inhouse.access.models import AuditEntry
from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Incident, Topic

from .factories import viral_thread


@pytest.fixture
def incident(workspace):
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    intake(viral_thread(workspace))
    return Incident.objects.get()


def login(client, cast, role):
    client.force_login(cast[role])
    return client


@pytest.mark.parametrize("role", ["owner", "operator"])
def test_incident_page_shows_why_first_post_chart_and_buttons(client, cast, incident, role):
    page = login(client, cast, role).get(f"/monitoring/incidents/{incident.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "正在快速传播" in html and "<svg" in html  # the reason, in the desk's zh-Hans
    assert "吃出苍蝇" in html  # the first post
    assert 'value="acknowledged"' in html


def test_incident_list_and_topics_render(client, cast, incident):
    login(client, cast, "operator")
    assert incident.title in client.get("/monitoring/").content.decode()
    assert "小鹿零食" in client.get("/monitoring/topics/").content.decode()


def test_acknowledge_through_the_page_is_audited(client, cast, incident):
    login(client, cast, "operator")
    response = client.post(f"/monitoring/incidents/{incident.pk}/state/",
                           {"state": "acknowledged"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == "acknowledged"
    assert AuditEntry.objects.filter(action="incident.acknowledged").exists()


@pytest.mark.parametrize("role", ["agency", "expert"])
def test_agency_and_expert_are_refused(client, cast, incident, role):
    login(client, cast, role)
    assert client.get("/monitoring/").status_code == 403
    assert client.get(f"/monitoring/incidents/{incident.pk}/").status_code == 403


def test_viewer_sees_but_cannot_act(client, cast, incident):
    login(client, cast, "viewer")
    page = client.get(f"/monitoring/incidents/{incident.pk}/")
    assert page.status_code == 200 and 'value="acknowledged"' not in page.content.decode()
    assert client.post(f"/monitoring/incidents/{incident.pk}/state/",
                       {"state": "acknowledged"}).status_code == 403


def test_rule_preview_shows_matches_and_parse_errors(client, cast, incident):
    login(client, cast, "operator")
    topic = Topic.objects.get()
    page = client.get(f"/monitoring/topics/{topic.pk}/", {"query": "苍蝇"})
    assert page.context["total"] == 1 and "吃出苍蝇" in page.content.decode()
    page = client.get(f"/monitoring/topics/{topic.pk}/", {"query": "苍蝇 AND"})
    assert page.context["error"].startswith("position 7")
