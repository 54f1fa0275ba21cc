"""Ingest stores each item once, refreshes repeats, and keeps good records of a bad batch."""

import pytest
from django.db import transaction

from inhouse.core.models import Account, Author, Item
from inhouse.pipeline.ingest import ingest
from tests.pipeline.factories import comment_on, record

pytestmark = pytest.mark.django_db


def test_the_same_batch_twice_stores_each_item_once(workspace):
    post = record()
    batch = [post, comment_on(post), comment_on(post)]
    first = ingest(workspace, batch)
    second = ingest(workspace, batch)
    assert (first.created, first.updated) == (3, 0)
    assert (second.created, second.updated) == (0, 3)
    assert Item.objects.filter(workspace=workspace).count() == 3
    assert sorted(first.item_ids) == sorted(second.item_ids)


def test_a_repeat_within_one_batch_keeps_the_last_copy(workspace):
    post = record(likes_count=1)
    ingest(workspace, [post, {**post, "likes_count": 9}])
    assert Item.objects.get(platform_id=post["id"]).likes_count == 9


def test_bad_records_are_reported_and_the_rest_stored(workspace):
    good = record()
    batch = [good, record(id=None), record(created_at="32/13/2026"), record(kind="story")]
    report = ingest(workspace, batch)
    assert report.created == 1
    assert [(r.position, r.field) for r in report.rejected] == [
        (2, "id"), (3, "created_at"), (4, "kind"),
    ]
    assert "'32/13/2026'" in report.rejected[1].message
    assert Item.objects.filter(workspace=workspace).count() == 1


def test_changed_text_is_queued_for_analysis_again(workspace):
    post = record()
    ingest(workspace, [post])
    Item.objects.update(sentiment="positive", analyzed_at="2026-11-20T12:00:00+08:00")
    ingest(workspace, [post])  # same text: analysis kept
    assert Item.objects.get().analyzed_at is not None
    ingest(workspace, [{**post, "text": "改过的文字"}])
    item = Item.objects.get()
    assert item.analyzed_at is None
    assert item.text == "改过的文字"


def test_counts_and_raw_payload_are_refreshed(workspace):
    post = record(reposts_count=1, raw={"v": 1})
    ingest(workspace, [post])
    ingest(workspace, [{**post, "reposts_count": 50, "raw": {"v": 2}}])
    item = Item.objects.get()
    assert (item.reposts_count, item.raw) == (50, {"v": 2})


def test_author_keeps_the_profile_from_the_newest_sighting(workspace):
    newer = record(created_at="2026-11-21T10:00:00+08:00",
                   author={"uid": "77", "screen_name": "新名字", "followers_count": 500})
    older = record(created_at="2026-11-19T10:00:00+08:00",
                   author={"uid": "77", "screen_name": "旧名字", "followers_count": 10})
    ingest(workspace, [newer])
    ingest(workspace, [older])  # a replay of old data must not overwrite the profile
    author = Author.objects.get(uid="77")
    assert (author.screen_name, author.followers_count) == ("新名字", 500)
    assert Item.objects.filter(author=author).count() == 2


def test_items_link_to_the_official_account_they_concern(workspace):
    account = Account.objects.create(workspace=workspace, platform_uid="555", screen_name="官方")
    ingest(workspace, [record(account_uid="555"), record(account_uid="999")])
    assert Item.objects.filter(account=account).count() == 1


def test_workspaces_are_isolated(workspace):
    from inhouse.core.models import Workspace

    other = Workspace.objects.create(name="别家", slug="other")
    post = record()
    ingest(workspace, [post])
    ingest(other, [post])
    assert Item.objects.filter(platform_id=post["id"]).count() == 2


def test_large_batches_span_chunks(workspace, monkeypatch):
    from inhouse.pipeline import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "CHUNK", 1000)  # the real chunk is 10,000 items
    batch = [record() for _ in range(2500)]
    report = ingest(workspace, batch)
    assert report.created == 2500
    assert sorted(report.item_ids) == sorted(Item.objects.values_list("id", flat=True))
    again = ingest(workspace, batch[1000:] + [record()])
    assert (again.created, again.updated) == (1, 1500)


def test_new_and_known_items_in_one_batch_are_counted_apart(workspace):
    known = [record(), record()]
    ingest(workspace, known)
    report = ingest(workspace, [known[1], record(), known[0], record()])
    assert (report.created, report.updated) == (2, 2)
    assert sorted(report.item_ids) == sorted(Item.objects.values_list("id", flat=True))


def test_two_batches_in_one_outer_transaction_store_each_once(workspace):
    # On PostgreSQL the rows pass through a staging table emptied at commit: a second batch
    # in the same transaction must not store the first one's rows again.
    first_records, second_records = [record(), record()], [record()]
    with transaction.atomic():
        first = ingest(workspace, first_records)
        second = ingest(workspace, second_records)
    assert (first.created, second.created, second.updated) == (2, 1, 0)
    assert len(second.item_ids) == 1
    assert Item.objects.count() == 3


def test_an_unchanged_profile_is_not_rewritten(workspace):
    profile = {"uid": "88", "screen_name": "老朋友", "followers_count": 3, "verified": True,
               "created_at": "2012-05-01T08:30:15+08:00"}
    ingest(workspace, [record(created_at="2026-11-19T10:00:00+08:00", author=profile)])
    seen = Author.objects.get(uid="88").last_seen_at
    ingest(workspace, [record(created_at="2026-11-21T10:00:00+08:00", author=profile)])
    assert Author.objects.get(uid="88").last_seen_at == seen  # same profile: no write
    ingest(workspace, [record(created_at="2026-11-22T10:00:00+08:00",
                              author={**profile, "followers_count": 4})])
    author = Author.objects.get(uid="88")
    assert author.followers_count == 4 and author.last_seen_at > seen


def test_a_repeat_keeps_the_analysis_and_the_first_arrival_time(workspace):
    post = record()
    ingest(workspace, [post])
    Item.objects.update(sentiment="negative", intent="complaint", topics=["快递"],
                        analyzed_at="2026-11-20T12:00:00+08:00")
    first = Item.objects.get()
    ingest(workspace, [{**post, "likes_count": 7}])
    item = Item.objects.get()
    assert (item.sentiment, item.intent, item.topics) == ("negative", "complaint", ["快递"])
    assert item.ingested_at == first.ingested_at and item.updated_at >= first.updated_at
    assert item.likes_count == 7
