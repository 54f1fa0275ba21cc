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


_ANALYSIS = ("sentiment", "p_positive", "emotion", "intent", "dup_cluster", "analysis_version")


def test_ingest_with_analysis_stores_what_the_analyze_stage_would(workspace):
    texts = ["太难吃了，再也不买了", "好吃！", "鹿角脆多少钱一袋？", "加V信领红包 加V信领红包 加V信领红包",
             "加V信领红包 加V信领红包 加V信领红包!!"]
    later = ingest(workspace, [record(text=t) for t in texts])
    analyze_items(later.item_ids)
    expected = [Item.objects.filter(pk=pk).values_list(*_ANALYSIS).get() for pk in later.item_ids]
    Item.objects.all().delete()

    report = ingest(workspace, [record(text=t) for t in texts], analyze=True)
    assert report.created == 5 and report.unanalyzed == []
    stored = [Item.objects.filter(pk=pk).values_list(*_ANALYSIS, "analyzed_at").get()
              for pk in report.item_ids]
    assert [row[:-1] for row in stored] == expected  # near-duplicates folded alike too
    assert all(row[-1] is not None for row in stored)


def test_ingest_with_analysis_keeps_corrections_and_reanalyses_changed_text(workspace):
    from inhouse.pipeline.learning import correct_item

    first, second = record(text="还行吧"), record(text="好吃")
    report = ingest(workspace, [first, second], analyze=True)
    item = Item.objects.get(pk=report.item_ids[0])
    correct_item(item, "sentiment", "negative", by=None)
    # The same batch again: nothing to analyse, the correction stays.
    again = ingest(workspace, [first, second], analyze=True)
    assert again.created == 0 and again.updated == 2 and again.unanalyzed == []
    assert Item.objects.get(pk=item.pk).sentiment == "negative"
    # Edited text: that item is cleared for the analyze stage, which applies the correction.
    edited = ingest(workspace, [{**second, "text": "太难吃了，退货"}, first], analyze=True)
    changed = Item.objects.get(platform_id=second["id"])
    assert edited.unanalyzed == [changed.pk] and changed.analyzed_at is None
    analyze_items(edited.unanalyzed)
    changed.refresh_from_db()
    assert changed.sentiment == "negative" and changed.analyzed_at is not None
    assert Item.objects.get(pk=item.pk).sentiment == "negative"


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
