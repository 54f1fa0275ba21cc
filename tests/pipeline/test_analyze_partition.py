"""Several workers analysing at once share the backlog on PostgreSQL (issue 11)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from inhouse.core.models import Item
from inhouse.pipeline.analyze import analyze_pending
from tests.web import factories as f

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.mark.postgres
def test_a_chunk_another_worker_holds_is_skipped_not_repeated(transactional_db, workspace):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer (run in the PostgreSQL pass)")
    fan = f.author("1001", "小王")
    items = [f.item(workspace, "comment", T0 + dt.timedelta(minutes=n), f"鹿角脆第{n}次回购", by=fan)
             for n in range(20)]
    held, release = threading.Event(), threading.Event()
    first_ten = [i.pk for i in items[:10]]

    def other_worker() -> None:  # holds the first ten as a worker mid-chunk would
        try:
            with transaction.atomic():
                list(Item.objects.filter(pk__in=first_ten).select_for_update())
                held.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(timeout=30)
        taken = analyze_pending(limit=100, chunk=4)
    finally:
        release.set()
        thread.join(timeout=30)
    assert sorted(taken) == sorted(i.pk for i in items[10:])
    assert Item.objects.filter(pk__in=first_ten, analyzed_at__isnull=True).count() == 10
    assert analyze_pending() == first_ten  # once released, the rest is taken, once


def test_on_any_database_the_backlog_is_analysed_once(db, workspace):
    fan = f.author("1001", "小王")
    items = [f.item(workspace, "comment", T0, f"鹿角脆第{n}次回购", by=fan) for n in range(7)]
    assert sorted(analyze_pending(limit=5, chunk=2)) == [i.pk for i in items[:5]]
    assert sorted(analyze_pending()) == [i.pk for i in items[5:]]
    assert analyze_pending() == []
