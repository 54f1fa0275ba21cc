"""The content pages render per role; the agency sees and may use only the drafting moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.content import actions
from inhouse.content.models import Draft, State
from tests.content.conftest import draft_in


def as_role(client, cast, role):
    client.force_login(cast[role])
    return client


def test_the_agency_writes_and_submits_through_the_pages(client, cast, keynote):
    as_role(client, cast, "agency")
    response = client.post("/content/new/", {"text": "冬天追剧来一袋鹿角脆", "hashtags": "小鹿零食"})
    draft = Draft.objects.get()
    assert response.status_code == 302 and draft.author == cast["agency"]
    page = client.get(f"/content/{draft.pk}/").content.decode()
    assert 'data-testid="submit"' in page
    client.post(f"/content/{draft.pk}/submit/")
    assert Draft.objects.get().state == State.IN_REVIEW


def test_the_agency_sees_no_approve_schedule_or_publish_controls(client, cast, workspace, keynote):
    in_review = draft_in("in_review", workspace, cast)
    approved = draft_in("approved", workspace, cast)
    as_role(client, cast, "agency")
    for draft in (in_review, approved):
        page = client.get(f"/content/{draft.pk}/").content.decode()
        for control in ("approve", "schedule", "publish", "reject"):
            assert f'data-testid="{control}"' not in page
    assert "/content/keynote/" not in client.get("/content/").content.decode()


@pytest.mark.parametrize("move", ["approve", "schedule", "publish", "reject"])
def test_the_agency_is_refused_the_review_endpoints(client, cast, workspace, keynote, move):
    draft = draft_in("approved" if move in ("schedule", "publish") else "in_review", workspace, cast)
    before = draft.state
    as_role(client, cast, "agency")
    response = client.post(f"/content/{draft.pk}/{move}/",
                           {"reason": "x", "when": "2030-01-01T10:00"})
    assert response.status_code == 403
    assert Draft.objects.get(pk=draft.pk).state == before


def test_the_owner_approves_and_schedules(client, cast, workspace, keynote):
    draft = draft_in("in_review", workspace, cast)
    as_role(client, cast, "owner")
    page = client.get(f"/content/{draft.pk}/").content.decode()
    assert 'data-testid="approve"' in page and 'data-testid="reject"' in page
    client.post(f"/content/{draft.pk}/approve/")
    when = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/content/{draft.pk}/schedule/", {"when": when})
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED and draft.scheduled_by == cast["owner"]
    assert AuditEntry.objects.filter(action="content.draft.schedule").exists()
    calendar = client.get("/content/calendar/").content.decode()
    assert "cal-post" in calendar and "冬天追剧" in calendar


def test_a_blocked_approval_is_explained(client, cast, workspace, keynote):
    draft = draft_in("in_review", workspace, cast, text="鹿角脆 9.9元，冲！")
    as_role(client, cast, "operator")
    page = client.get(f"/content/{draft.pk}/").content.decode()
    assert 'class="hl-block"' in page and "12.9" in page
    response = client.post(f"/content/{draft.pk}/approve/", follow=True)
    assert "12.9" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW


def test_reject_needs_a_reason_and_shows_it(client, cast, workspace, keynote):
    draft = draft_in("in_review", workspace, cast)
    as_role(client, cast, "operator")
    client.post(f"/content/{draft.pk}/reject/", {"reason": ""})
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW
    client.post(f"/content/{draft.pk}/reject/", {"reason": "语气太硬"})
    as_role(client, cast, "agency")
    assert "语气太硬" in client.get(f"/content/{draft.pk}/").content.decode()


def test_the_editor_checks_as_you_type(client, cast, keynote):
    as_role(client, cast, "agency")
    assert client.get("/content/new/").status_code == 200
    partial = client.post("/content/check/", {"text": "全网最便宜的鹿角脆", "hashtags": ""},
                          HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and '<mark class="hl-block">最便宜</mark>' in partial
    assert 'data-rule="required"' in partial


@pytest.mark.parametrize("role,status", [("owner", 200), ("operator", 403), ("agency", 403),
                                         ("viewer", 403), ("expert", 403)])
def test_only_the_owner_opens_the_keynote_editor(client, cast, keynote, role, status):
    as_role(client, cast, role)
    assert client.get("/content/keynote/").status_code == status


def test_the_owner_saves_the_keynote(client, cast, workspace, keynote):
    as_role(client, cast, "owner")
    page = client.get("/content/keynote/").content.decode()
    assert "12.9" in page  # the price fact read from the knowledge base
    client.post("/content/keynote/", {
        "voice": "亲切", "banned_words": "最便宜 秒杀全网，绝对", "sensitive_words": "第一",
        "required_tags": "*: #小鹿零食#\n暖冬: #小鹿暖冬零食节# @暖风家电官方", "products": "鹿角脆: 鹿角脆脆"})
    saved = actions.keynote_of(workspace)
    assert saved.banned_words == ["最便宜", "秒杀全网", "绝对"]
    assert saved.required_tags == {"*": ["#小鹿零食#"], "暖冬": ["#小鹿暖冬零食节#", "@暖风家电官方"]}


@pytest.mark.parametrize("view", ["week", "month"])
def test_the_calendar_renders_for_every_role_that_sees_posts(client, cast, workspace, keynote, view):
    draft_in("scheduled", workspace, cast)
    for role in ("owner", "agency", "viewer", "expert"):
        as_role(client, cast, role)
        assert client.get(f"/content/calendar/?view={view}").status_code == 200


def test_lists_render_and_the_viewer_has_no_drafts(client, cast, workspace, keynote):
    for state in ("draft", "in_review", "rejected", "scheduled"):
        draft_in(state, workspace, cast)
    as_role(client, cast, "operator")
    page = client.get("/content/").content.decode()
    assert 'data-testid="state-rejected"' in page and "冬天追剧" in page
    as_role(client, cast, "viewer")
    assert client.get("/content/").status_code == 403


def test_the_pages_speak_chinese_by_default_and_english_on_request(client, cast, workspace, keynote):
    draft = draft_in("in_review", workspace, cast)
    as_role(client, cast, "owner")
    page = client.get(f"/content/{draft.pk}/").content.decode()
    assert "批准" in page and "将要发送的帖子" in page and "审核中" in page
    english = client.get(f"/content/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve" in english and "The post as it will be sent" in english
