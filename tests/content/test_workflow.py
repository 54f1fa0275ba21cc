"""Each move of a draft, allowed or refused per role, recorded and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.content import actions
from inhouse.content.models import Draft, State
from tests.content.conftest import draft_in

ROLES = ["owner", "operator", "expert", "agency", "viewer"]
EDITORS = {"owner", "operator", "agency"}
REVIEWERS = {"owner", "operator"}
PUBLISHERS = {"owner", "operator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_and_submit(workspace, cast, keynote, role):
    if role not in EDITORS:
        with pytest.raises(PermissionDenied):
            actions.create_draft(workspace, cast[role], "鹿角脆上新啦")
        draft = draft_in("draft", workspace, cast)
        with pytest.raises(PermissionDenied):
            actions.submit_for_review(draft, cast[role])
        with pytest.raises(PermissionDenied):
            actions.revise_draft(draft, cast[role], "改一改")
        return
    draft = actions.create_draft(workspace, cast[role], "鹿角脆上新啦", hashtags=["小鹿零食"])
    actions.revise_draft(draft, cast[role], "鹿角脆芝士味上新啦", hashtags=["小鹿零食"])
    actions.submit_for_review(draft, cast[role])
    assert draft.state == State.IN_REVIEW and draft.version == 2
    assert [e.action for e in draft.events.all()] == ["create", "revise", "submit"]
    assert AuditEntry.objects.filter(target=f"draft:{draft.pk}").count() == 3


@pytest.mark.parametrize("role", ROLES)
def test_who_may_reject(workspace, cast, keynote, role):
    draft = draft_in("in_review", workspace, cast)
    if role not in REVIEWERS:
        with pytest.raises(PermissionDenied):
            actions.reject_draft(draft, cast[role], "不行")
        return
    with pytest.raises(actions.MoveRefused):
        actions.reject_draft(draft, cast[role], "  ")
    actions.reject_draft(draft, cast[role], "价格写法不统一")
    draft.refresh_from_db()
    assert draft.state == State.REJECTED and draft.reject_reason == "价格写法不统一"
    assert AuditEntry.objects.filter(action="content.draft.reject", actor=cast[role]).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_schedule_and_publish(workspace, cast, keynote, role):
    draft = draft_in("in_review", workspace, cast)
    when = timezone.now() + dt.timedelta(hours=2)
    if role not in PUBLISHERS:
        with pytest.raises(PermissionDenied):
            actions.approve_draft(draft, cast[role])
        approved = draft_in("approved", workspace, cast)
        with pytest.raises(PermissionDenied):
            actions.schedule_draft(approved, cast[role], when)
        with pytest.raises(PermissionDenied):
            actions.publish_now(approved, cast[role])
        return
    actions.approve_draft(draft, cast[role])
    actions.schedule_draft(draft, cast[role], when)
    assert draft.state == State.SCHEDULED and draft.scheduled_by == cast[role]
    assert [e.to_state for e in draft.events.all()] == ["draft", "in_review", "approved", "scheduled"]
    assert AuditEntry.objects.filter(action="content.draft.approve", actor=cast[role]).exists()


def test_the_agency_cannot_approve_its_own_draft(workspace, cast, keynote):
    draft = draft_in("in_review", workspace, cast)
    with pytest.raises(PermissionDenied):
        actions.approve_draft(draft, cast["agency"])
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW


def test_approval_is_refused_while_a_blocking_finding_remains(workspace, cast, keynote):
    banned = draft_in("in_review", workspace, cast, text="全网最便宜的鹿角脆")
    with pytest.raises(actions.MoveRefused, match="最便宜"):
        actions.approve_draft(banned, cast["owner"])
    wrong_price = draft_in("in_review", workspace, cast, text="鹿角脆 9.9元，冲！")
    with pytest.raises(actions.MoveRefused, match="12.9"):
        actions.approve_draft(wrong_price, cast["owner"])
    # A warning (sensitive word) does not block.
    actions.approve_draft(draft_in("in_review", workspace, cast, text="鹿角脆销量第一"), cast["owner"])
    # Fixed and resubmitted, it passes.
    actions.revise_draft(banned, cast["agency"], "超值的鹿角脆", hashtags=["小鹿零食"])
    actions.submit_for_review(banned, cast["agency"])
    assert actions.approve_draft(banned, cast["owner"]).state == State.APPROVED


def test_a_missing_required_hashtag_blocks(workspace, cast, keynote):
    draft = actions.create_draft(workspace, cast["agency"], "鹿角脆上新啦")
    actions.submit_for_review(draft, cast["agency"])
    with pytest.raises(actions.MoveRefused, match="#小鹿零食#"):
        actions.approve_draft(draft, cast["owner"])


def test_moves_out_of_order_are_refused(workspace, cast, keynote):
    draft = draft_in("draft", workspace, cast)
    with pytest.raises(actions.MoveRefused):
        actions.approve_draft(draft, cast["owner"])
    with pytest.raises(actions.MoveRefused):
        actions.schedule_draft(draft, cast["owner"], timezone.now())


def test_only_the_owner_edits_the_keynote(workspace, cast, keynote):
    for role in ("operator", "agency", "viewer", "expert"):
        with pytest.raises(PermissionDenied):
            actions.save_keynote(workspace, cast[role], banned_words=["x"])
    entry = AuditEntry.objects.get(action="content.keynote.save")
    assert entry.after["banned_words"] == ["最便宜", "秒杀全网"]
