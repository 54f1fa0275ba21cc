"""Two workers routing the same new customer at once open one conversation (issue 11)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation, ConversationItem
from tests.inbox import factories as f


@pytest.mark.postgres
def test_a_conversation_opened_by_two_workers_at_once_is_one(transactional_db, workspace):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (run in the PostgreSQL pass)")
    f.official(workspace)
    fan = f.author("1001", "小王")
    first = f.item(workspace, "message", 1, "订单还没发货", by=fan, intent="consultation",
                   root_platform_id="dm-1001")
    second = f.item(workspace, "message", 2, "在吗？", by=fan, intent="consultation",
                    root_platform_id="dm-1001")
    opened, release, errors = threading.Event(), threading.Event(), []

    def worker(item, hold: bool) -> None:
        try:
            with transaction.atomic():
                intake([type(item).objects.select_related("author", "workspace").get(pk=item.pk)])
                if hold:  # keep the new conversation uncommitted while the other worker runs
                    opened.set()
                    release.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=worker, args=(first, True))
    a.start()
    assert opened.wait(timeout=30)
    b = threading.Thread(target=worker, args=(second, False))
    b.start()
    time.sleep(1.0)  # b's insert now waits on a's uncommitted row
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert errors == []
    conversation = Conversation.objects.get(workspace=workspace)
    assert conversation.items_count == 2
    assert ConversationItem.objects.filter(conversation=conversation).count() == 2
