"""On a scaled-down demo week, the ground-truth consultations reach the inbox.

The intent of each item comes from the NLP model (another issue); this test measures the
share that arrives marked "consultation" and holds a floor just under today's figure, so a
regression shows while the model improves towards the 90% target (docs/inbox.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from inhouse.core.models import Item
from inhouse.inbox.models import ConversationItem

START = dt.date(2026, 11, 9)
# Measured 66.3% on seed 2026, scale 0.04 (72.3% at 0.1; docs/inbox.md); the floor sits
# a little under it.
INTENT_FLOOR = 0.62


@pytest.fixture
def demo(db):
    # Function-scoped inside the test's transaction: a module-scoped load outside it leaked
    # rows into later tests whenever its clean-up failed.
    from inhouse.sources.demo import load_demo

    return load_demo(start=START, seed=2026, scale=0.04)


@pytest.mark.django_db
def test_demo_consultations_reach_the_inbox_with_their_intent(demo, capsys):
    truth = [c["id"] for c in demo.scenario.truth["consultations"]]
    items = dict(Item.objects.filter(workspace=demo.workspace, platform_id__in=truth)
                 .values_list("platform_id", "intent"))
    linked = set(ConversationItem.objects.filter(item__workspace=demo.workspace,
                                                 item__platform_id__in=truth)
                 .values_list("item__platform_id", flat=True))
    assert len(items) == len(truth) > 50
    reached = len(linked) / len(truth)
    right_intent = sum(1 for pid in linked if items[pid] == "consultation") / len(truth)
    with capsys.disabled():
        print(f"\n[demo inbox] load {demo.timings}")
        print(f"[demo inbox] {len(truth)} consultations: {reached:.1%} reached the inbox, "
              f"{right_intent:.1%} with intent consultation (target 90%)")
    assert reached == 1.0
    assert right_intent >= INTENT_FLOOR
