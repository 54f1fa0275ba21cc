"""Rescheduling a post from the calendar: by drag (a new day, same time) or by the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.content import actions
from tests.content.conftest import draft_in

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def scheduled(workspace, cast, keynote):
    draft = draft_in("approved", workspace, cast)
    when = timezone.localtime().replace(hour=20, minute=30, second=0, microsecond=0) + dt.timedelta(days=3)
    return actions.schedule_draft(draft, cast["owner"], when)


def test_a_drop_on_another_day_keeps_the_time_of_day(client, cast, scheduled):
    client.force_login(cast["operator"])
    old = timezone.localtime(scheduled.scheduled_for)
    target = old.date() + dt.timedelta(days=2)
    response = client.post(f"/content/{scheduled.pk}/reschedule/",
                           {"date": target.isoformat(), "next": "/content/calendar/?view=month"})
    assert response.status_code == 302 and response["Location"] == "/content/calendar/?view=month"
    scheduled.refresh_from_db()
    new = timezone.localtime(scheduled.scheduled_for)
    assert (new.date(), new.time()) == (target, old.time())
    assert scheduled.scheduled_by == cast["operator"]
    entry = AuditEntry.objects.filter(action="content.draft.reschedule").get()
    assert entry.actor == cast["operator"]
    assert scheduled.events.last().action == "reschedule"


def test_the_form_sets_date_and_time_without_javascript(client, cast, scheduled):
    client.force_login(cast["owner"])
    target = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=9, minute=15, second=0, microsecond=0)
    client.post(f"/content/{scheduled.pk}/reschedule/", {"when": target.strftime("%Y-%m-%dT%H:%M")})
    scheduled.refresh_from_db()
    assert timezone.localtime(scheduled.scheduled_for) == target
    page = client.get("/content/calendar/?view=month&date=" + target.date().isoformat(), **EN).content.decode()
    assert f'action="/content/{scheduled.pk}/reschedule/"' in page and 'data-reschedule-url' in page


def test_the_past_and_the_agency_are_refused(client, cast, scheduled):
    before = scheduled.scheduled_for
    client.force_login(cast["owner"])
    page = client.post(f"/content/{scheduled.pk}/reschedule/",
                       {"date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}, follow=True, **EN)
    assert "has passed" in page.content.decode()
    client.force_login(cast["agency"])
    assert client.post(f"/content/{scheduled.pk}/reschedule/",
                       {"date": (timezone.localdate() + dt.timedelta(days=6)).isoformat()}).status_code == 403
    calendar = client.get("/content/calendar/?date=" + timezone.localtime(before).date().isoformat()).content.decode()
    assert "data-reschedule-url" not in calendar and "/reschedule/" not in calendar
    scheduled.refresh_from_db()
    assert scheduled.scheduled_for == before
