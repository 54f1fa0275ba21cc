"""Analyze and route as stages over stored items."""

import pytest

from inhouse.core.models import Item
from inhouse.pipeline.analyze import analyze_items, analyze_pending
from inhouse.pipeline.ingest import ingest
from inhouse.pipeline.route import route_items
from tests.pipeline.factories import record

pytestmark = pytest.mark.django_db


def test_analyze_fills_every_analysis_field(workspace):
    report = ingest(workspace, [record(text="太难吃了，再也不买了"), record(text="好吃！")])
    assert analyze_items(report.item_ids) == 2
    for item in Item.objects.all():
        assert item.analyzed_at is not None
        assert item.sentiment in {"positive", "neutral", "negative"}
        assert 0.0 <= item.p_positive <= 1.0
        assert item.intent and item.emotion and item.analysis_version


def test_analyze_pending_picks_up_only_unanalysed_items(workspace):
    report = ingest(workspace, [record(), record()])
    analyze_items(report.item_ids[:1])
    assert analyze_pending() == report.item_ids[1:]
    assert analyze_pending() == []


def test_route_hands_analysed_items_to_each_intake_in_time_order(workspace):
    report = ingest(workspace, [
        record(created_at="2026-11-20T12:00:00+08:00"),
        record(created_at="2026-11-20T09:00:00+08:00"),
        record(created_at="2026-11-20T10:00:00+08:00"),
    ])
    analyze_items(report.item_ids[:2])  # the third is not analysed: not routed yet
    seen = []

    def intake(items):
        seen.extend(item.created_at.hour for item in items)
        return len(items)

    assert route_items(report.item_ids, registry=[("probe", intake)]) == {"probe": 2}
    assert seen == [1, 4]  # UTC hours of 09:00 and 12:00 Beijing
