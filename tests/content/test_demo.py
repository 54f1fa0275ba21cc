"""The demo's drafts: the keynote catches exactly the seeded violations."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inhouse.content import actions
from inhouse.content.demo import seed_demo_content
from inhouse.content.models import Draft, State


@pytest.fixture
def seeded(workspace, cast):
    return seed_demo_content(workspace, cast["owner"], cast["agency"])


def blocking_rules(draft):
    return sorted({f.rule for f in actions.draft_findings(draft) if f.blocks})


def test_the_keynote_catches_the_seeded_violations(seeded):
    clean, banned, wrong_price = seeded.review
    assert all(d.state == State.IN_REVIEW and len(d.full_text) <= 140 for d in seeded.review)
    assert blocking_rules(clean) == []
    assert blocking_rules(banned) == ["banned"]
    assert blocking_rules(wrong_price) == ["price"]
    assert "12.9" in next(f.message for f in actions.draft_findings(wrong_price) if f.rule == "price")


def test_two_posts_are_scheduled_for_today(seeded):
    assert [d.state for d in seeded.scheduled] == [State.SCHEDULED] * 2
    for draft in seeded.scheduled:
        assert timezone.localtime(draft.scheduled_for).date() >= timezone.localdate()
        assert blocking_rules(draft) == []


def test_seeding_twice_changes_nothing(seeded, workspace, cast):
    count = Draft.objects.count()
    seed_demo_content(workspace, cast["owner"], cast["agency"])
    assert Draft.objects.count() == count == 5


def test_the_home_panel_figures(seeded, workspace):
    from inhouse.content.queries import scheduled_today, waiting_for_review

    assert waiting_for_review(workspace) == 3
    today = [d for d in seeded.scheduled if timezone.localtime(d.scheduled_for).date() == timezone.localdate()]
    assert [d.pk for d in scheduled_today(workspace)] == [d.pk for d in today]
