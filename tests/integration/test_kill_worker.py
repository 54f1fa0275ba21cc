"""A worker killed mid-task loses nothing and duplicates nothing (issue 11).

A real Celery worker on the real Redis works through batches into the real PostgreSQL; it is
killed with SIGKILL while a batch is in hand (acks_late: the batch stays unacknowledged), a
second worker takes over, and the workspace ends exactly as the same batches processed once,
in order, in this process: the same items, analysed, in the same conversations with the same
events — none lost, none twice.
"""

from __future__ import annotations

import os
import re
import signal
import uuid

import pytest
from celery import Celery
from django.db import connection
from django.db.models import Count, Sum

from inhouse.core.models import Account, Item, Workspace
from inhouse.inbox.models import Conversation, ConversationEvent, ConversationItem
from inhouse.pipeline.tasks import process_records
from tests.conftest import skip_or_fail
from tests.integration.services import REDIS_URL, port_open, start_worker, stop, wait_for
from tests.pipeline.factories import record

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

OFFICIAL = "5550001111"
WORDS = ["请问鹿角脆含有花生吗？", "快递三天了还没到，怎么回事", "太好吃了，回购！", "北京哪里能买到？",
         "包装破了，要求退款", "新口味什么时候上市？", "一般般吧", "客服怎么不回复"]
BATCHES, SIZE = 16, 50


def batches() -> list[list[dict]]:
    made = []
    for b in range(BATCHES):
        post = record(id=str(4_990_000_000_000_000 + b * 1000), text=f"鹿角脆新品第{b}波，评论区见！",
                      created_at=f"2026-11-20T{8 + b // 4:02d}:{(b % 4) * 15:02d}:00+08:00",
                      author={"uid": OFFICIAL, "screen_name": "小鹿零食官方", "verified": True,
                              "followers_count": 820000})
        batch = [post]
        for n in range(1, SIZE):
            uid = str(2_000_000 + (b * 7 + n) % 45)
            batch.append(record(id=str(int(post["id"]) + n), kind="comment", parent_id=post["id"],
                                root_id=post["id"], text=WORDS[(b + n) % len(WORDS)],
                                created_at=post["created_at"].replace(":00+08:00", f":{n % 60:02d}+08:00"),
                                author={"uid": uid, "screen_name": f"顾客{uid}", "followers_count": n}))
        made.append(batch)
    return made


def state(workspace: Workspace) -> dict:
    items = Item.objects.filter(workspace=workspace)
    conversations = Conversation.objects.filter(workspace=workspace)
    return {
        "items": items.count(),
        "unanalysed": items.filter(analyzed_at__isnull=True).count(),
        "by_intent": dict(items.values_list("intent").annotate(n=Count("id")).order_by()),
        "by_sentiment": dict(items.values_list("sentiment").annotate(n=Count("id")).order_by()),
        "conversations": conversations.count(),
        "conversation_items": conversations.aggregate(n=Sum("items_count"))["n"],
        "links": ConversationItem.objects.filter(conversation__workspace=workspace).count(),
        "events": dict(ConversationEvent.objects.filter(conversation__workspace=workspace)
                       .values_list("kind").annotate(n=Count("id")).order_by()),
    }


def make_workspace(slug: str) -> Workspace:
    workspace = Workspace.objects.create(name="小鹿零食", slug=slug, dictionary=["小鹿零食", "鹿角脆"])
    Account.objects.create(workspace=workspace, platform_uid=OFFICIAL, screen_name="小鹿零食官方")
    return workspace


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(transactional_db, tmp_path):
    assert connection.vendor == "postgresql", "run in the PostgreSQL pass (make test-postgres)"
    if not port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not reachable at 127.0.0.1:6379")
    work = batches()

    expected_ws = make_workspace("reference")
    for batch in work:  # once each, in order, in this process: the reference outcome
        process_records(expected_ws.pk, batch)
    expected = state(expected_ws)
    assert expected["items"] == BATCHES * SIZE and expected["unanalysed"] == 0
    assert expected["conversations"] > BATCHES  # threaded by post and customer

    workspace = make_workspace("killed")
    db = connection.settings_dict
    queue = f"inhouse-kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "CELERY_BROKER_URL": REDIS_URL, "INHOUSE_DATA_DIR": str(tmp_path),
           # The batch the killed worker held comes back after 5 s instead of an hour.
           "INHOUSE_BROKER_VISIBILITY_TIMEOUT": "5"}
    sender = Celery(broker=REDIS_URL)
    for batch in work:
        sender.send_task("pipeline.process_records", args=[workspace.pk, batch], queue=queue)
    sender.close()

    first_log = tmp_path / "first.log"
    first = start_worker(env, first_log, "-Q", queue)
    try:
        def in_hand() -> bool:  # some batches done, and one received but not finished
            text = first_log.read_text(errors="replace")
            done = text.count("succeeded in")
            return done >= 4 and len(re.findall(r"Task pipeline\.process_records\[.*\] received",
                                                text)) > done
        wait_for(in_hand, timeout=120, what="the first worker to be mid-batch", proc=first,
                 log=first_log)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    done_by_first = first_log.read_text(errors="replace").count("succeeded in")
    assert done_by_first < BATCHES, "the first worker finished everything before it was killed"

    second_log = tmp_path / "second.log"
    second = start_worker(env, second_log, "-Q", queue)
    try:
        def finished() -> bool:
            return (Item.objects.filter(workspace=workspace).count() == BATCHES * SIZE
                    and not Item.objects.filter(workspace=workspace, analyzed_at__isnull=True).exists()
                    and second_log.read_text(errors="replace").count("succeeded in")
                    >= BATCHES - done_by_first)
        wait_for(finished, timeout=240, what="the second worker to finish every batch",
                 proc=second, log=second_log)
    finally:
        stop(second)
    assert state(workspace) == expected
