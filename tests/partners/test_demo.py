"""On a scaled-down demo week, the partner and cooperation items of the ground truth become
opportunity cards (issue 8: at least 90% of them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from inhouse.core.models import Item
from inhouse.partners.demo import seed_demo_directory
from inhouse.partners.models import Opportunity, Signal

START = dt.date(2026, 11, 9)
TARGET = 0.90


def load_week(scale: float):
    from inhouse.sources.demo import load
    from inhouse.sources.demo.load import ensure_users, ensure_workspace

    # The directory exists before the week is routed, as in `inhouse demo load`.
    workspace = ensure_workspace()
    ensure_users(workspace)
    users = get_user_model().objects
    seed_demo_directory(workspace, users.get(username="demo-owner"), users.get(username="demo-operator"))
    return load.load_demo(start=START, seed=2026, scale=scale)


@pytest.fixture
def demo(db):
    return load_week(0.04)


def truth_ids(truth: dict) -> set[str]:
    """The partner interactions plus every item the week labels cooperation."""
    return set(truth["partner_interaction_ids"]) | {
        pid for pid, label in truth["items"].items() if label["intent"] == "cooperation"}


@pytest.mark.django_db
def test_demo_partner_and_cooperation_items_become_cards(demo, capsys):
    check(demo, capsys)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_full_demo_week_too(capsys):
    """The whole week (scale 1.0, about 20,000 items): `make eval` runs it."""
    check(load_week(1.0), capsys)


def check(demo, capsys) -> None:
    truth = truth_ids(demo.scenario.truth)
    stored = set(Item.objects.filter(workspace=demo.workspace, platform_id__in=truth)
                 .values_list("platform_id", flat=True))
    on_cards = set(Signal.objects.filter(opportunity__workspace=demo.workspace)
                   .values_list("item__platform_id", flat=True))
    cards = Opportunity.objects.filter(workspace=demo.workspace)
    card_truth = sum(1 for c in cards if set(c.signals.values_list("item__platform_id", flat=True)) & truth)
    recall = len(stored & on_cards) / len(stored)
    with capsys.disabled():
        print(f"\n[demo partners] scale {demo.scenario.truth['scale']}: {len(stored)} partner/cooperation items: {recall:.1%} on cards; "
              f"{cards.count()} cards, {card_truth} with a ground-truth item "
              f"({len(on_cards - truth)} signals outside the truth)")
    assert len(stored) > 20
    assert recall >= TARGET, sorted(stored - on_cards)
    # every card has an owner: the contact's or the radar's default
    assert not cards.filter(owner__isnull=True).exists()
