"""Learning from the team: corrections, retrain, the analyze stage, rollback, safe storage."""

from __future__ import annotations

import datetime as dt
import zlib

import pytest

from inhouse.access.models import AuditEntry
from inhouse.core.models import Item
from inhouse.pipeline import learning
from inhouse.pipeline.models import Correction, WorkspaceModel

START = dt.date(2026, 11, 9)


@pytest.fixture
def demo(db):
    from inhouse.sources.demo import load_demo

    return load_demo(start=START, seed=2026, scale=0.04)


def _split(demo):
    """Customer items with a ground-truth intent, split by a stable hash of their id into a
    part the team corrects and a part held back."""
    labels = demo.scenario.truth["items"]
    official = demo.scenario.truth["official"]["uid"]
    items = list(Item.objects.filter(workspace=demo.workspace).exclude(text="")
                 .exclude(author__uid=official).select_related("author"))
    items = [i for i in items if i.platform_id in labels]
    part = {i.pk: zlib.crc32(i.platform_id.encode()) % 2 for i in items}
    return ([i for i in items if part[i.pk] == 0], [i for i in items if part[i.pk] == 1],
            {i.pk: labels[i.platform_id]["intent"] for i in items})


def _accuracy(ids, gold):
    current = dict(Item.objects.filter(pk__in=ids).values_list("pk", "intent"))
    return sum(current[i] == gold[i] for i in ids) / len(ids)


@pytest.mark.django_db
def test_corrections_move_the_workspace_model_on_held_back_items(demo, django_user_model, capsys):
    from inhouse.access.models import Membership, Role
    from inhouse.pipeline.analyze import analyze_items

    operator = django_user_model.objects.create_user(username="op-learning")
    Membership.objects.create(workspace=demo.workspace, user=operator, role=Role.OPERATOR)
    taught, held, gold = _split(demo)
    held_ids = [i.pk for i in held]
    assert len(taught) > 200 and len(held) > 200
    before = _accuracy(held_ids, gold)

    # the operator corrects every item of the taught half whose intent is wrong
    wrong = [i for i in taught if i.intent != gold[i.pk]]
    for item in wrong:
        learning.correct_item(item, "intent", gold[item.pk], by=operator)
    assert Correction.objects.filter(workspace=demo.workspace).count() == len(wrong)

    model = learning.retrain(demo.workspace, by=operator)
    assert model.version == 1 and model.active
    assert model.metrics["intent_model_agrees"] > model.metrics["intent_base_agrees"]
    analyze_items(held_ids + [i.pk for i in wrong[:50]])
    after = _accuracy(held_ids, gold)
    with capsys.disabled():
        print(f"\n[learning] {len(wrong)} corrections on {len(taught)} items; held-back "
              f"{len(held)} items: intent {before:.1%} -> {after:.1%}")
    assert after >= before + 0.07, (before, after)  # measured 67.9% -> 76.9%
    # corrections survive re-analysis
    assert all(Item.objects.get(pk=i.pk).intent == gold[i.pk] for i in wrong[:50])

    # roll back to the base: the held-back items return to the base's answers
    learning.activate(demo.workspace, None, by=operator)
    analyze_items(held_ids + [i.pk for i in wrong[:50]])
    assert _accuracy(held_ids, gold) == pytest.approx(before)
    learning.activate(demo.workspace, 1, by=operator)
    analyze_items(held_ids + [i.pk for i in wrong[:50]])
    assert _accuracy(held_ids, gold) == pytest.approx(after)
    actions = set(AuditEntry.objects.filter(workspace=demo.workspace).values_list("action", flat=True))
    assert {"nlp.correct", "nlp.retrain", "nlp.activate"} <= actions


@pytest.mark.django_db
def test_correction_is_stored_and_audited(workspace, cast):
    item = Item.objects.create(workspace=workspace, platform_id="1", kind="comment", text="请问保质期多久？",
                               created_at=dt.datetime(2026, 11, 9, tzinfo=dt.UTC), intent="complaint",
                               sentiment="negative")
    corr = learning.correct_item(item, "intent", "consultation", by=cast["operator"])
    learning.correct_item(item, "sentiment", "neutral", by=cast["owner"])
    item.refresh_from_db()
    assert (item.intent, item.sentiment) == ("consultation", "neutral")
    assert (corr.before, corr.after, corr.by) == ("complaint", "consultation", cast["operator"])
    entry = AuditEntry.objects.filter(action="nlp.correct").order_by("pk").first()
    assert entry.before == {"intent": "complaint"} and entry.after == {"intent": "consultation"}
    assert entry.target == f"item:{item.pk}"
    with pytest.raises(learning.LearningError, match="intent 'question'"):
        learning.correct_item(item, "intent", "question", by=cast["operator"])
    with pytest.raises(learning.LearningError, match="field 'emotion'"):
        learning.correct_item(item, "emotion", "happy", by=cast["operator"])
    for role in ("expert", "agency", "viewer"):
        if role in cast:
            with pytest.raises(learning.NotAllowed):
                learning.correct_item(item, "intent", "other", by=cast[role])
    with pytest.raises(learning.LearningError, match="no corrections"):
        learning.retrain(type(workspace).objects.create(name="空", slug="empty"))
    with pytest.raises(learning.LearningError, match="no model version 7"):
        learning.activate(workspace, 7)


def test_stored_adapter_is_checked_before_use():
    from inhouse.nlp.intent_adapt import Adapter, AdapterError, Example, fit_adapter

    examples = [Example("请问保质期多久", {"intent": "other"}, {"intent": "consultation"}, frozenset({"intent"})),
                Example("今天天气不错", {"intent": "other"}, {"intent": "other"}),
                Example("太难吃了退钱", {"intent": "complaint"}, {"intent": "complaint"})]
    adapter = fit_adapter(examples, header={"version": "v1"})
    header, blob = adapter.to_bytes()
    again = Adapter.from_bytes(header, blob)
    assert again.predict(["请问保质期多久"], {"intent": ["other"]}) == adapter.predict(
        ["请问保质期多久"], {"intent": ["other"]})
    with pytest.raises(AdapterError, match="checksum"):
        Adapter.from_bytes(header, blob[:-1] + bytes([blob[-1] ^ 1]))
    with pytest.raises(AdapterError, match="format"):
        Adapter.from_bytes({**header, "format": "pickle"}, blob)


@pytest.mark.django_db
def test_versions_are_numbered_and_one_is_active(workspace, cast):
    items = [Item.objects.create(workspace=workspace, platform_id=str(n), kind="comment", text=t,
                                 created_at=dt.datetime(2026, 11, 9, tzinfo=dt.UTC))
             for n, t in enumerate(["请问保质期多久？", "今天天气不错", "太难吃了，退钱", "好吃，回购"])]
    from inhouse.pipeline.analyze import analyze_items

    analyze_items([i.pk for i in items])
    learning.correct_item(items[1], "intent", "praise", by=cast["operator"])
    first = learning.retrain(workspace, by=cast["operator"])
    second = learning.retrain(workspace)
    assert (first.version, second.version) == (1, 2)
    assert list(WorkspaceModel.objects.filter(workspace=workspace, active=True)
                .values_list("version", flat=True)) == [2]
    learning.activate(workspace, 1, by=cast["owner"])
    assert learning.active_adapter(workspace.pk).header["version"] == "v1"
    learning.activate(workspace, None)
    assert learning.active_adapter(workspace.pk) is None


@pytest.mark.django_db
def test_scheduled_retrain_and_cli(workspace, cast):
    from django.core.management import call_command

    from inhouse.pipeline.analyze import analyze_items

    items = [Item.objects.create(workspace=workspace, platform_id=str(n), kind="comment", text=t,
                                 created_at=dt.datetime(2026, 11, 9, tzinfo=dt.UTC))
             for n, t in enumerate(["请问保质期多久？", "今天天气不错", "太难吃了，退钱"])]
    analyze_items([i.pk for i in items])
    assert learning.retrain_due_task() == {}  # nothing corrected yet
    learning.correct_item(items[1], "intent", "praise", by=cast["operator"])
    assert learning.retrain_due_task() == {workspace.slug: 1}
    assert learning.retrain_due_task() == {}  # nothing new since v1
    call_command("learning", "activate", "--workspace", workspace.slug, "--to", "base")
    assert learning.active_adapter(workspace.pk) is None
    assert learning.retrain_due_task() == {}  # rolled back on purpose: stays on the base
    call_command("learning", "retrain", "--workspace", workspace.slug)
    assert learning.active_adapter(workspace.pk).header["version"] == "v2"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--to 'x'"):
        call_command("learning", "activate", "--workspace", workspace.slug, "--to", "x")


def test_a_sentiment_correction_carries_over_to_texts_written_alike():
    from inhouse.nlp.intent_adapt import Example, fit_adapter

    anchors = [Example(t, {"sentiment": s, "intent": "other"}, {"sentiment": s, "intent": "other"})
               for t, s in [("今天天气不错", "positive"), ("好吃好吃", "positive"), ("太难吃了", "negative"),
                            ("快递好慢", "negative"), ("收到了", "neutral"), ("已下单", "neutral")] * 3]
    # the team says "…绝了" about a product is positive, though the base reads it negative
    taught = [Example(f"{p}鹿角脆绝了", {"sentiment": "negative", "intent": "other"},
                      {"sentiment": "positive", "intent": "other"}, frozenset({"sentiment"}))
              for p in ("这个", "新口味", "海盐味")]
    adapter = fit_adapter(anchors + taught)
    assert set(adapter.heads) == {"sentiment"}  # intent had no correction: base kept
    out = adapter.predict(["麻辣味鹿角脆绝了", "快递好慢"], {"sentiment": ["negative", "negative"],
                                                        "intent": ["other", "other"]})
    assert out["sentiment"] == ["positive", "negative"]
