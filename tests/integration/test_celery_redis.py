"""A real Celery worker on the real Redis pushes a batch into the real PostgreSQL."""

import os
import uuid

import pytest
from celery import Celery
from django.db import connection

from inhouse.core.models import Item
from tests.conftest import skip_or_fail
from tests.integration.services import REDIS_URL, port_open, start_worker, stop, wait_for
from tests.pipeline.factories import comment_on, record

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def redis_url():
    if not port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not reachable at 127.0.0.1:6379")
    return REDIS_URL


def test_worker_on_redis_ingests_analyses_and_stores_a_batch_once(transactional_db, workspace, redis_url, tmp_path):
    assert connection.vendor == "postgresql", "run in the PostgreSQL pass (make test-postgres)"
    db = connection.settings_dict
    queue = f"inhouse-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url,
        "INHOUSE_DATA_DIR": str(tmp_path),
    }
    log = tmp_path / "worker.log"
    worker = start_worker(env, log, "-Q", queue, "--concurrency", "1")
    try:
        post = record(text="小鹿零食的新口味什么时候上架？")
        batch = [post, comment_on(post, text="坐等"), record(id=None)]
        sender = Celery(broker=redis_url)
        for _ in range(2):  # the same batch twice: stored once
            sender.send_task("pipeline.process_records", args=[workspace.pk, batch], queue=queue)
        def both_done() -> bool:
            return log.read_text().count("succeeded") >= 2

        wait_for(both_done, timeout=90, what="the worker to process both batches", proc=worker, log=log)
    finally:
        stop(worker)
    sender.close()
    assert Item.objects.filter(workspace=workspace).count() == 2
    assert Item.objects.filter(workspace=workspace, analyzed_at__isnull=True).count() == 0
    # The bad record is reported in the task's result, naming the record and field.
    assert "record 3: field \\'id\\': is missing" in log.read_text()
