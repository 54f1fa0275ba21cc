"""A failure mid-import keeps what was committed; a re-run completes it and duplicates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inhouse.core.models import Item
from inhouse.pipeline import ingest as ingest_module
from inhouse.sources.importers.run import import_file


def write_records(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            f.write(json.dumps({
                "id": str(4_800_000_000_000_000 + n), "kind": "post", "text": f"第{n}条",
                "created_at": 1_767_225_600 + n, "author": {"uid": str(7_000 + n % 3)},
            }, ensure_ascii=False) + "\n")


def test_a_failure_in_the_second_batch_keeps_the_first_and_a_rerun_stores_each_once(
        workspace, tmp_path, monkeypatch):
    path = tmp_path / "records.jsonl"
    write_records(path, 25)
    real_run = ingest_module._ITEM_UPSERT.run
    calls = []

    def fail_after_writing_the_second_batch(*args, **kwargs):
        result = real_run(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:  # the rows are written, the transaction not yet committed
            raise RuntimeError("the process died here")
        return result

    monkeypatch.setattr(ingest_module._ITEM_UPSERT, "run", fail_after_writing_the_second_batch)
    with pytest.raises(RuntimeError):
        import_file(workspace, path, "jsonl", analyze=False, batch_size=10)
    assert Item.objects.count() == 10  # the first batch, committed; none of the second

    monkeypatch.undo()
    summary = import_file(workspace, path, "jsonl", analyze=False, batch_size=10)
    assert (summary.read, summary.created, summary.updated, summary.skipped) == (25, 15, 10, 0)
    assert Item.objects.count() == 25
    assert Item.objects.filter(analyzed_at__isnull=True).count() == 25  # all queued for analysis
