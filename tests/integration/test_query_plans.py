"""The desk's main pages stay on indexes when core_item is large (issue 11, PostgreSQL).

core_item is filled with 200,000 rows by one INSERT ... SELECT generate_series (a few seconds),
four workspaces of a group install sharing the table, a year of event times; 20,000 authors,
100,000 topic links and 40,000 conversations with them. Each page is then
requested as a person would, every SQL statement it runs is captured, and PostgreSQL's plan of
each statement that reads a large table must not contain a sequential scan of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inhouse.core.models import Author, Item, Workspace
from inhouse.inbox.models import Conversation, ConversationItem
from inhouse.monitoring.models import Alert, Incident, Topic

pytestmark = pytest.mark.postgres

ROWS = 200_000
WORKSPACES = 4  # the desk's workspace holds a quarter of the rows
AUTHORS = 20_000
BIG_TABLES = ("core_item", "core_itemtopic", "core_author", "inbox_conversation")
MAX_SCANNED = 1_000  # rows a sequential scan may read before it counts as reading the table


def _fill(workspace: Workspace) -> dict:
    others = [Workspace.objects.create(name=f"品牌{n}", slug=f"brand{n}") for n in range(1, WORKSPACES)]
    ws_ids = [workspace.pk] + [w.pk for w in others]
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_author (platform, uid, screen_name, verified, location, description)"
            " SELECT 'weibo', 'u' || g, '用户' || g, false, '', '' FROM generate_series(1, %s) g",
            [AUTHORS])
        cur.execute("SELECT min(id) FROM core_author WHERE uid LIKE 'u%%'")
        first_author = cur.fetchone()[0]
        # One item every ROWS/year seconds going back from now; ids p<g>; a comment or reply
        # hangs under the post 'p<g - g % 50>'; 1% not analysed yet.
        cur.execute(
            """
            INSERT INTO core_item (workspace_id, platform, platform_id, kind, author_id, text,
                created_at, parent_platform_id, root_platform_id, reposts_count, comments_count,
                likes_count, source, raw, ingested_at, updated_at, sentiment, p_positive, emotion,
                intent, topics, dup_cluster, analysis_version, analyzed_at)
            SELECT (%(ws)s::int[])[1 + g %% %(nws)s], 'weibo', 'p' || g,
                (ARRAY['post','repost','comment','reply','message'])[1 + (g / 7) %% 5],
                %(a0)s + (g * 7919) %% %(na)s, '第' || g || '条 ' || md5(g::text),
                %(now)s - make_interval(secs => g * (365.0 * 86400 / %(rows)s)),
                '', CASE WHEN (g / 7) %% 5 IN (2, 3) THEN 'p' || (g - g %% 50) ELSE '' END,
                0, 0, g %% 100, 'bench', '{}'::jsonb,
                %(now)s, %(now)s, (ARRAY['positive','neutral','negative'])[1 + g %% 3], 0.5,
                (ARRAY['joy','anger','sadness','neutral'])[1 + g %% 4],
                (ARRAY['consultation','complaint','praise','cooperation','spam','other'])[1 + g %% 6],
                '[]'::jsonb, '', 'bench',
                CASE WHEN g %% 100 = 0 THEN NULL ELSE %(now)s END
            FROM generate_series(1, %(rows)s) g
            """,
            {"ws": ws_ids, "nws": WORKSPACES, "a0": first_author, "na": AUTHORS, "now": now,
             "rows": ROWS})
        cur.execute(
            "INSERT INTO core_itemtopic (workspace_id, item_id, topic, created_at)"
            " SELECT workspace_id, id, '品牌', created_at FROM core_item WHERE id % 2 = 0")
        # A conversation per 5 items, 1 in 10 still open, its customer the item's author.
        cur.execute(
            """
            INSERT INTO inbox_conversation (workspace_id, kind, key, root_platform_id, customer_id,
                state, intent, sentiment, preview, items_count, opened_at, last_customer_at,
                waiting_since, sla_due_at, created_at, updated_at)
            SELECT workspace_id, 'comment-thread', 'c:' || platform_id, root_platform_id, author_id,
                CASE WHEN (id / 7) % 10 = 0 THEN 'new' ELSE 'closed' END, intent, sentiment, left(text, 50),
                1, created_at, created_at,
                CASE WHEN (id / 7) % 10 = 0 THEN created_at END,
                CASE WHEN (id / 7) % 10 = 0 THEN created_at + interval '2 hours' END, created_at, created_at
            FROM core_item WHERE id % 5 = 0
            """)
        cur.execute("ANALYZE core_author; ANALYZE core_item; ANALYZE core_itemtopic; "
                    "ANALYZE inbox_conversation")
    recent = Item.objects.filter(workspace=workspace, kind="post").order_by("-created_at")[:3]
    topic = Topic.objects.create(workspace=workspace, name="品牌", query="品牌")
    incident = Incident.objects.create(workspace=workspace, topic=topic, title="苍蝇",
                                       opened_at=now - dt.timedelta(hours=5), last_signal_at=now)
    Alert.objects.create(workspace=workspace, topic=topic, kind="viral", key="viral:1",
                         detected_at=now, severity="high", reason="转发快",
                         item_ids=[i.platform_id for i in recent], incident=incident,
                         data={"key_reposters": [recent[0].platform_id]})
    customer_item = Item.objects.filter(workspace=workspace, kind="comment").order_by("-created_at").first()
    customer = Author.objects.get(pk=customer_item.author_id)
    conv = Conversation.objects.create(workspace=workspace, kind="comment-thread", key="c:1:1",
                                       customer=customer, opened_at=now, last_customer_at=now,
                                       root_platform_id=customer_item.root_platform_id)
    ConversationItem.objects.create(conversation=conv, item=customer_item)
    return {"incident": incident.pk, "customer": customer.pk, "uid": customer.uid,
            "day": (now - dt.timedelta(days=3)).date().isoformat()}


def pages(ids: dict) -> dict[str, str]:
    """The desk's main pages, by the name docs/operations.md gives them."""
    return {
        "home": "/",
        "items": "/items/",
        "items, kind + sentiment": "/items/?kind=comment&sentiment=negative",
        "items, one day": f"/items/?date_from={ids['day']}&date_to={ids['day']}",
        "items, one author": f"/items/?author_uid={ids['uid']}",
        "inbox": "/inbox/",
        "inbox, closed": "/inbox/?state=closed",
        "incident": f"/monitoring/incidents/{ids['incident']}/",
        "customer profile": f"/inbox/customers/{ids['customer']}/",
    }


# A whole-workspace read cannot use an index to skip rows: it is only allowed where named
# here, with the reason (docs/operations.md, "Large tables", lists the follow-ups).
WHOLE_WORKSPACE = {
    # Paginators count at most 10,001 rows (inhouse.core.paging): bounded whatever the table.
    r'^SELECT COUNT\(\*\) FROM \(SELECT .* LIMIT 10001\) subquery$': "capped paginator count",
}


def seq_scans(sql: str) -> tuple[list[str], float]:
    """Large tables a sequential scan reads in ``sql``'s plan, and the run time in ms."""
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cur.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found: list[str] = []

    def walk(node: dict) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            read = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
            if read > MAX_SCANNED:  # a LIMIT 1 probe that stops at its first row is fine
                found.append(f"{node['Relation Name']} ({read} rows read)")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found, plan[0]["Execution Time"]


def measure(client, url: str) -> tuple[list[tuple[str, list[str]]], float]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    bad, total = [], 0.0
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not re.search(
                r'"({})"'.format("|".join(BIG_TABLES)), sql):
            continue
        scans, ms = seq_scans(sql)
        total += ms
        if scans and not any(re.search(p, sql.strip()) for p in WHOLE_WORKSPACE):
            bad.append((sql[:300], scans))
    return bad, total


def test_main_pages_read_large_tables_through_indexes(db, client, cast, workspace):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (run in the PostgreSQL pass)")
    ids = _fill(workspace)
    client.force_login(cast["owner"])
    problems = {}
    for url in pages(ids).values():  # warm the cache: the figures are for a running desk
        client.get(url)
    for name, url in pages(ids).items():
        bad, ms = measure(client, url)
        print(f"{name}: {ms:.1f} ms in queries on large tables")
        if bad:
            problems[name] = bad
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


# Every index docs/operations.md lists for the big tables (the constraints' indexes stay).
INDEXES = ("item_ws_time", "item_ws_kind_time", "item_ws_intent_time", "item_ws_sentiment_time",
           "item_ws_root", "item_ws_author", "item_analyzed_at", "author_uid",
           "itemtopic_ws_topic_time", "conv_ws_state", "conv_ws_sla", "conv_ws_customer")


@pytest.mark.slow
def test_report_page_times_with_and_without_the_indexes(db, client, cast, workspace):
    """Prints the figures of docs/operations.md ("Large tables"): run it in the PostgreSQL
    pass with `-m slow -s` (`make eval` runs slow tests on SQLite, where it skips)."""
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (run in the PostgreSQL pass)")
    ids = _fill(workspace)
    client.force_login(cast["owner"])
    with_indexes = {}
    for name, url in pages(ids).items():
        client.get(url)
        with_indexes[name] = measure(client, url)
    with connection.cursor() as cur:  # rolled back with the test's transaction
        for index in INDEXES:
            cur.execute(f'DROP INDEX "{index}"')
    print("\n| page | without the indexes | with them |\n|---|---|---|")
    for name, url in pages(ids).items():
        client.get(url)
        bad, ms = measure(client, url)
        print(f"| {name} | {ms:.0f} ms{' (seq scan)' if bad else ''} | {with_indexes[name][1]:.0f} ms |")
    problems = {name: bad for name, (bad, _) in with_indexes.items() if bad}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
