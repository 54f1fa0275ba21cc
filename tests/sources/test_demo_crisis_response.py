"""The brand's crisis response lands on the incident's timeline at its real times."""

import datetime as dt

import pytest

from inhouse.monitoring.models import Alert, Incident, Topic
from inhouse.sources.demo import generate
from inhouse.sources.demo.load import record_crisis_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis_incident(workspace):
    scenario = generate(seed=2026, start=dt.date(2026, 11, 16), scale=0.1)
    crisis = scenario.truth["crisis"]
    start = dt.datetime.fromisoformat(crisis["start"])
    topic = Topic.objects.create(workspace=workspace, name="品牌", query="小鹿零食")
    incident = Incident.objects.create(workspace=workspace, topic=topic, title="t",
                                       opened_at=start, last_signal_at=start)
    Alert.objects.create(workspace=workspace, topic=topic, kind="burst", key="b1",
                         detected_at=start + dt.timedelta(minutes=8), severity="high", reason="r",
                         item_ids=[crisis["first_post_id"]], incident=incident)
    return scenario, incident


def test_response_steps_are_recorded_once_at_their_times(crisis_incident, cast):
    scenario, incident = crisis_incident
    crisis = scenario.truth["crisis"]
    assert record_crisis_response(incident.workspace, scenario, cast["owner"], until=None) == 4
    assert record_crisis_response(incident.workspace, scenario, cast["owner"], until=None) == 0
    events = list(incident.events.order_by("at"))
    assert [e.kind for e in events] == ["contacted", "contacted", "statement", "follow_up"]
    times = {r["id"]: r["created_at"] for r in scenario.records}
    assert events[2].at == dt.datetime.fromisoformat(times[crisis["apology_id"]])
    incident.refresh_from_db()
    assert incident.first_response_at == events[0].at


def test_steps_still_in_the_future_wait(crisis_incident, cast):
    scenario, incident = crisis_incident
    start = dt.datetime.fromisoformat(scenario.truth["crisis"]["start"])
    added = record_crisis_response(incident.workspace, scenario, cast["owner"],
                                   until=start + dt.timedelta(hours=5))
    assert added == 2  # the public reply and the private message; not yet the apology
