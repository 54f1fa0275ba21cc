"""The demo week at a tenth of its size, loaded once for the module that asks for it.

The analysis fields are set from the scenario's ground truth rather than by the NLP models,
so these tests measure analytics alone (and run in seconds); then the items are routed as the
pipeline would, which opens the inbox's conversations and fills the roll-ups."""

from __future__ import annotations

import datetime as dt

import pytest

START = dt.date(2026, 11, 2)
END = START + dt.timedelta(days=6)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.utils import timezone

    from inhouse.analytics import actions
    from inhouse.analytics.periods import Period
    from inhouse.analytics.rollup import refresh_range
    from inhouse.core.models import Item
    from inhouse.pipeline.route import route_items
    from inhouse.sources.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        result = load_demo(start=START, scale=0.1, analyze=False)
        workspace = result.workspace
        truth = result.scenario.truth["items"]
        items = list(Item.objects.filter(workspace=workspace).order_by("created_at", "id"))
        for item in items:
            label = truth[item.platform_id]
            item.intent, item.sentiment = label["intent"], label["sentiment"]
            item.analyzed_at, item.analysis_version = timezone.now(), "truth"
        Item.objects.bulk_update(items, ["intent", "sentiment", "analyzed_at", "analysis_version"])
        route_items([i.pk for i in items])
        week = Period.report("weekly", END)
        refresh_range(workspace, week.previous().start, week.end)
        actions.take_snapshots(use_api=False)
        actions.score_fans(workspace, week)
        yield result
        transaction.set_rollback(True)  # the tests' own transactions nest inside this one


@pytest.fixture
def users(demo, db):
    """The demo's users by role."""
    from inhouse.access.models import Membership

    return {m.role: m.user for m in Membership.objects.filter(workspace=demo.workspace)
            .select_related("user")}
