"""Retention: old items go to a verified gzip JSONL archive, then out of the database."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inhouse.core.models import Account, Item, Workspace
from inhouse.core.retention import apply_retention, archive_path, read_archive
from inhouse.inbox.models import Conversation, ConversationItem
from inhouse.monitoring.models import Alert, Incident, Topic
from inhouse.pipeline.ingest import ingest
from inhouse.sources.importers.run import import_file

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
ITEM_FIELDS = ("platform", "platform_id", "kind", "text", "created_at", "parent_platform_id",
               "root_platform_id", "reposts_count", "comments_count", "likes_count", "raw")


def _record(n: int, days_ago: float, **extra) -> dict:
    return {"id": str(1000 + n), "kind": "comment" if n % 2 else "post",
            "created_at": (NOW - dt.timedelta(days=days_ago)).isoformat(),
            "text": f"第{n}条 鹿角脆好吃", "root_id": "" if n % 2 == 0 else "1000",
            "author": {"uid": f"u{n % 3}", "screen_name": f"用户{n % 3}", "followers_count": n},
            "likes_count": n, "account_uid": "9001", "source": "demo",
            "raw": {"idstr": str(1000 + n), "n": n}, **extra}


@pytest.fixture
def items(workspace):
    Account.objects.create(workspace=workspace, platform_uid="9001", screen_name="小鹿零食")
    # 10 items 40-70 days old across two months, 5 recent ones
    records = [_record(n, 40 + 3 * n) for n in range(10)] + [_record(n, 2) for n in range(10, 15)]
    ingest(workspace, records)
    return workspace


def _snapshot(workspace: Workspace, ids) -> list[tuple]:
    rows = Item.objects.filter(workspace=workspace, platform_id__in=ids).select_related(
        "author", "account").order_by("platform_id")
    return [(*(getattr(i, f) for f in ITEM_FIELDS), i.author.uid, i.author.screen_name,
             i.author.followers_count, i.account.platform_uid) for i in rows]


def _gunzip(path, into):
    with gzip.open(path, "rb") as src, open(into, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return into


def test_old_items_are_archived_per_month_and_deleted(items, tmp_path):
    result = apply_retention(items, 30, tmp_path, now=NOW)
    assert result.archived == 10 and result.deleted == 10 and result.kept == 0
    assert Item.objects.filter(workspace=items).count() == 5
    months = [m.month for m in result.months]
    assert months == sorted(months) and len(months) == 2
    lines = [r for m in months for r in read_archive(archive_path(tmp_path, items, m))]
    assert sorted(r["id"] for r in lines) == [str(1000 + n) for n in range(10)]


def test_archive_round_trip_through_the_importer_gives_the_same_items_back(items, tmp_path):
    old_ids = [str(1000 + n) for n in range(10)]
    before = _snapshot(items, old_ids)
    result = apply_retention(items, 30, tmp_path, now=NOW)
    assert not Item.objects.filter(platform_id__in=old_ids).exists()
    for month in result.months:
        plain = _gunzip(month.archive, tmp_path / f"{month.month}.jsonl")
        summary = import_file(items, plain, "jsonl", analyze=False)
        assert not summary.errors
    assert _snapshot(items, old_ids) == before


def test_a_run_interrupted_after_writing_the_archive_loses_and_duplicates_nothing(items, tmp_path):
    old_ids = {str(1000 + n) for n in range(10)}

    def crash(month):
        raise KeyboardInterrupt  # the worst moment: archive on disk, nothing deleted yet

    with pytest.raises(KeyboardInterrupt):
        apply_retention(items, 30, tmp_path, now=NOW, after_archive=crash)
    assert Item.objects.filter(platform_id__in=old_ids).count() == 10  # nothing deleted
    assert not list(tmp_path.rglob("*.tmp"))  # no half-written file left behind
    result = apply_retention(items, 30, tmp_path, now=NOW)
    assert result.deleted == 10
    assert sum(m.already_archived for m in result.months) >= 1
    archived = [r["id"] for m in result.months for r in read_archive(m.archive)]
    assert sorted(archived) == sorted(old_ids)  # every item once, no duplicate line


def test_a_later_run_appends_to_the_month_archive_without_duplicates(items, tmp_path):
    first = apply_retention(items, 60, tmp_path, now=NOW)
    later = apply_retention(items, 30, tmp_path, now=NOW)
    assert first.deleted + later.deleted == 10
    archived = [r["id"] for m in {*(m.archive for m in later.months)} for r in read_archive(m)]
    all_archived = {r["id"] for m in {m.archive for m in first.months + later.months}
                    for r in read_archive(m)}
    assert len(all_archived) == 10
    assert len(archived) == len(set(archived))


def test_a_damaged_archive_stops_the_run_before_anything_is_deleted(items, tmp_path):
    month = (NOW - dt.timedelta(days=40)).strftime("%Y-%m")
    path = archive_path(tmp_path, items, month)
    path.parent.mkdir(parents=True)
    damaged = gzip.compress(b'{"id": "1", "kind": "post"}\n')[:-6]  # truncated
    path.write_bytes(damaged)
    with pytest.raises(Exception, match="unreadable archive"):
        apply_retention(items, 30, tmp_path, now=NOW)
    start = (NOW - dt.timedelta(days=40)).replace(day=1, hour=0)
    in_month = Item.objects.filter(workspace=items, created_at__gte=start, created_at__lt=NOW)
    assert in_month.count() == 6 + 5  # the damaged month's six old items, and the recent five
    assert path.read_bytes() == damaged


def test_items_of_open_conversations_and_open_incidents_are_kept(items, tmp_path):
    conv_item = Item.objects.get(platform_id="1001")
    conv = Conversation.objects.create(workspace=items, kind="comment-thread", key="c:1000:u1",
                                       root_platform_id="1000", state="assigned",
                                       opened_at=NOW, last_customer_at=NOW)
    ConversationItem.objects.create(conversation=conv, item=conv_item)
    closed = Conversation.objects.create(workspace=items, kind="comment-thread", key="c:x:u2",
                                         state="closed", opened_at=NOW, last_customer_at=NOW)
    ConversationItem.objects.create(conversation=closed, item=Item.objects.get(platform_id="1003"))
    topic = Topic.objects.create(workspace=items, name="品牌", query="小鹿零食")
    open_incident = Incident.objects.create(workspace=items, topic=topic, title="苍蝇",
                                            opened_at=NOW, last_signal_at=NOW)
    resolved = Incident.objects.create(workspace=items, topic=topic, title="旧事", state="resolved",
                                       opened_at=NOW, last_signal_at=NOW)
    Alert.objects.create(workspace=items, topic=topic, kind="viral", key="viral:1004",
                         detected_at=NOW, severity="high", reason="r", item_ids=["1004"],
                         data={"key_reposters": ["1006"]}, incident=open_incident)
    Alert.objects.create(workspace=items, topic=topic, kind="viral", key="viral:1008",
                         detected_at=NOW, severity="high", reason="r", item_ids=["1008"],
                         incident=resolved)
    result = apply_retention(items, 30, tmp_path, now=NOW)
    left = set(Item.objects.filter(workspace=items).values_list("platform_id", flat=True))
    # 1001 (open conversation), 1000 (its post), 1004 and 1006 (open incident's evidence)
    assert {"1000", "1001", "1004", "1006"} <= left
    assert not {"1003", "1008"} & left  # closed conversation, resolved incident
    assert result.kept == 4


def test_other_workspaces_are_untouched(items, tmp_path):
    other = Workspace.objects.create(name="别家", slug="other")
    ingest(other, [_record(1, 90)])
    apply_retention(items, 30, tmp_path, now=NOW)
    assert Item.objects.filter(workspace=other).count() == 1


def test_dry_run_writes_and_deletes_nothing(items, tmp_path):
    result = apply_retention(items, 30, tmp_path, dry_run=True, now=NOW)
    assert result.archived == 10 and result.deleted == 0
    assert Item.objects.filter(workspace=items).count() == 15
    assert not any(tmp_path.iterdir())


def test_command_archives_with_json_summary(items, tmp_path):
    out = io.StringIO()
    call_command("retention", "--older-than", "1", "--archive", str(tmp_path),
                 "--workspace", "xiaolu", "--json", stdout=out)
    [summary] = json.loads(out.getvalue())
    assert summary["deleted"] == 15 and summary["archived"] == 15
    assert not Item.objects.filter(workspace=items).exists()


def test_command_refuses_without_an_age(items, tmp_path, settings):
    settings.RETENTION_DAYS = 0
    with pytest.raises(CommandError, match="--older-than"):
        call_command("retention", "--archive", str(tmp_path))


def test_beat_task_does_nothing_while_retention_is_off(items, settings, tmp_path):
    from inhouse.core.retention import retention_daily

    settings.RETENTION_DAYS = 0
    settings.RETENTION_ARCHIVE_DIR = tmp_path
    assert retention_daily() == 0
    settings.RETENTION_DAYS = 30
    assert retention_daily() == 10


def test_a_run_interrupted_between_delete_batches_finishes_on_the_next_run(items, tmp_path,
                                                                           monkeypatch):
    from inhouse.core import retention

    monkeypatch.setattr(retention, "DELETE_BATCH", 2)
    real_delete = Item.objects.filter(pk__in=[]).delete.__func__
    calls = {"n": 0}

    def delete_then_die(qs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("database went away")
        return real_delete(qs)

    monkeypatch.setattr(type(Item.objects.all()), "delete", delete_then_die)
    with pytest.raises(ConnectionError):
        apply_retention(items, 30, tmp_path, now=NOW)
    assert Item.objects.filter(workspace=items).count() == 15 - 4  # two batches went
    monkeypatch.undo()
    apply_retention(items, 30, tmp_path, now=NOW)
    assert Item.objects.filter(workspace=items).count() == 5
    archived = [r["id"] for m in (tmp_path / "xiaolu").glob("*.jsonl.gz") for r in read_archive(m)]
    assert sorted(archived) == [str(1000 + n) for n in range(10)]


def test_the_documented_restore_brings_a_month_back(items, tmp_path):
    result = apply_retention(items, 30, tmp_path, now=NOW)
    month = result.months[0]
    plain = _gunzip(month.archive, tmp_path / "month.jsonl")
    call_command("import", str(plain), "--format", "jsonl", "--workspace", "xiaolu",
                 "--no-analyze", stdout=io.StringIO(), stderr=io.StringIO())
    back = Item.objects.filter(workspace=items, created_at__lt=NOW - dt.timedelta(days=30))
    assert back.count() == month.deleted
