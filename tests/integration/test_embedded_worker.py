"""The embedded default: a worker with beat on kombu's filesystem transport and SQLite, as
`inhouse run` starts it, analyses what was ingested without analysis."""

import os
import sqlite3
import subprocess
import sys

from tests.integration.services import start_worker, stop, wait_for
from tests.pipeline.factories import record


def test_embedded_worker_and_beat_analyse_pending_items(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "INHOUSE_DATA_DIR": str(tmp_path),
        "INHOUSE_ANALYZE_INTERVAL": "1",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    inhouse = [sys.executable, "-m", "inhouse"]
    subprocess.run([*inhouse, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-c",
         "import django, os; django.setup();"
         "from inhouse.core.models import Workspace; Workspace.objects.create(name='t', slug='t')"],
        env={**env, "DJANGO_SETTINGS_MODULE": "inhouse.settings"}, check=True,
    )
    records = tmp_path / "records.jsonl"
    import json

    records.write_text("\n".join(json.dumps(record(), ensure_ascii=False) for _ in range(5)) + "\n")
    subprocess.run([*inhouse, "ingest", str(records), "--no-analyze"], env=env, check=True)

    def analysed() -> int:
        with sqlite3.connect(tmp_path / "desk.sqlite3") as db:
            return db.execute("select count(*) from core_item where analyzed_at is not null").fetchone()[0]

    assert analysed() == 0
    log = tmp_path / "worker.log"
    worker = start_worker(env, log, "--beat", "--schedule", str(tmp_path / "beat-schedule"))
    try:
        wait_for(lambda: analysed() == 5, timeout=90, what="beat to schedule analysis", proc=worker, log=log)
    finally:
        stop(worker)
