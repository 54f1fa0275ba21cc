"""Analytics dashboard latency with N items (default 1,000,000) in PostgreSQL, over HTTP.

    python bench/bench_dashboard.py [--items 1000000] [--requests 40] [--keep]

1. Creates a dedicated database (``inhouse_bench_analytics``), migrates it, and fills it
   with COPY: a year of one brand's account — its own posts (4 a day), comments, reposts,
   mentions and private messages from ~N/20 authors (5 % zombie-like), with analysis fields
   set, plus the inbox's conversations (one per message or mention) with response times.
2. Builds what the desk keeps current in production: the daily roll-ups of every day
   (``refresh_range``, as intake and beat do), a fan snapshot a day, and fan scores over
   the last 30 days. Each is timed.
3. Starts the desk (``inhouse run --no-worker``, waitress) as a child process and, from this
   process, logs in as the owner and requests each analytics page over HTTP, reporting
   p50 and p95 per page after a warm-up. The goal (issue 9) is p95 < 300 ms.

Figures go to docs/benchmarks.md (section ``analytics-dashboard``) with the size actually run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("INHOUSE_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
DB = "inhouse_bench_analytics"
DAYS = 365
OWN_UID = "9000000001"
PASSWORD = "bench-owner-pw-2026"
PAGES = {
    "dashboard 7 days": "/analytics/?days=7",
    "dashboard 30 days": "/analytics/?days=30",
    "dashboard 90 days": "/analytics/?days=90",
    "fan quality": "/analytics/fans/",
    "daily report page": "/analytics/reports/daily/",
}
# The desk's main pages (issue 11: large tables kept fast), measured the same way.
DESK_PAGES = {
    "home": "/",
    "items, newest": "/items/",
    "items, negative": "/items/?sentiment=negative",
    "items, text search": "/items/?q=%E5%BF%AB%E9%80%92",
    "inbox": "/inbox/",
    "inbox, complaints": "/inbox/?intent=complaint",
    "incidents": "/monitoring/",
    "communication cost": "/inbox/cost/",
}
WORDS = ("小鹿零食", "鹿角脆", "好吃", "快递", "坚果", "客服", "活动", "鹿鸣坚果", "价格", "包装",
         "口味", "发货", "礼盒", "推荐", "退款")


def _admin():
    import psycopg

    return psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True,
                           connect_timeout=5)


def _url() -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + DB


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")
    import django

    django.setup()


def _copy(conn, model, rows, fixed: dict) -> None:
    """COPY ``rows`` (dicts) into ``model``'s table; missing fields take the model default."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if f.column in fixed:
            continue
        value = f.get_default() if f.has_default() else None
        defaults[f.column] = json.dumps(value) if isinstance(value, dict | list) else value
    columns = [f.column for f in fields]
    with conn.cursor() as cur, cur.copy(
            f'COPY {model._meta.db_table} ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] if c in row else fixed.get(c, defaults.get(c)) for c in columns])


def generate(n_items: int, seed: int = 9) -> dict:
    """Fill the database; returns timings and counts."""
    import psycopg
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from inhouse.access.models import Membership, Role
    from inhouse.core.models import Account, Author, Item, Workspace
    from inhouse.inbox.models import Conversation
    from inhouse.partners.models import Category, Contact

    rng = random.Random(seed)
    now = timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=DAYS)
    ws = Workspace.objects.create(name="小鹿零食", slug="bench", dictionary=["小鹿零食", "鹿角脆", "坚果"])
    Account.objects.create(workspace=ws, platform_uid=OWN_UID, screen_name="小鹿零食官方微博")
    Contact.objects.create(workspace=ws, name="鹿鸣坚果", category=Category.COMPETITOR)
    user = get_user_model().objects.create_user("bench-owner", password=PASSWORD)
    Membership.objects.create(workspace=ws, user=user, role=Role.OWNER)
    t0 = time.perf_counter()
    conn = psycopg.connect(_url().replace("postgres://", "postgresql://"))
    n_authors = max(1000, n_items // 20)
    own = Author.objects.create(uid=OWN_UID, screen_name="小鹿零食官方微博", followers_count=500_000,
                                friends_count=300, statuses_count=9000, verified=True, verified_type=2)
    places = ("浙江 杭州", "上海 徐汇区", "北京 朝阳区", "广东 深圳", "其他", "四川 成都")
    author_rows = []
    for i in range(n_authors):
        bot = rng.random() < 0.05
        uid = str(8_000_000_000 + i)
        author_rows.append({
            "uid": uid, "screen_name": f"用户{uid}" if bot else f"粉丝{i}",
            "followers_count": rng.randint(0, 3) if bot else int(rng.lognormvariate(5, 1.5)),
            "friends_count": rng.randint(600, 2000) if bot else rng.randint(30, 900),
            "statuses_count": rng.randint(0, 5) if bot else rng.randint(10, 8000),
            "verified": False, "verified_type": -1,
            "location": "其他" if bot else rng.choice(places),
            "description": "" if bot else rng.choice(("吃货", "打工人", "", "美食爱好者")),
            "created_at": now - dt.timedelta(days=rng.randint(1, 30) if bot else rng.randint(100, 4000)),
            "last_seen_at": now,
        })
    _copy(conn, Author, author_rows, {"platform": "weibo"})
    conn.commit()
    author_ids = list(Author.objects.exclude(pk=own.pk).values_list("pk", flat=True))
    t_authors = time.perf_counter() - t0

    t0 = time.perf_counter()
    own_posts = []  # (platform_id, created_at)
    per_day = 4
    for d in range(DAYS):
        for k in range(per_day):
            own_posts.append((f"7{d:04d}{k:02d}", start + dt.timedelta(days=d, hours=2 + 4 * k)))
    span = (end - start).total_seconds()
    kinds = (("comment", 0.5), ("repost", 0.25), ("post", 0.15), ("message", 0.10))
    conversations = []

    def items():
        for pid, at in own_posts:
            yield {"platform_id": pid, "kind": "post", "author_id": own.pk, "account_id": None,
                   "text": "小鹿零食 今日新品 鹿角脆", "created_at": at,
                   "reposts_count": rng.randint(5, 300), "comments_count": rng.randint(10, 400),
                   "likes_count": rng.randint(50, 3000), "sentiment": "positive", "intent": "other"}
        for i in range(n_items - len(own_posts)):
            kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
            at = start + dt.timedelta(seconds=rng.random() * span)
            day = min(int((at - start).days), DAYS - 1)
            root = own_posts[day * per_day + rng.randrange(per_day)][0] if kind in ("comment", "repost") else ""
            text = "".join(rng.choice(WORDS) for _ in range(3))
            if kind == "post":
                text = "@小鹿零食官方微博 " + text
            intent = rng.choice(("consultation", "complaint", "praise", "other", "other", "spam"))
            sentiment = rng.choice(("positive", "neutral", "neutral", "negative"))
            author = rng.choice(author_ids)
            row = {"platform_id": f"9{i:012d}", "kind": kind, "author_id": author, "text": text,
                   "created_at": at, "root_platform_id": root, "parent_platform_id": root,
                   "sentiment": sentiment, "intent": intent,
                   "dup_cluster": f"d{rng.randrange(2000)}" if intent == "spam" else ""}
            yield row
            if kind in ("message", "post") and i % 2 == 0:
                answered = rng.random() < 0.8
                first = at + dt.timedelta(seconds=rng.randint(60, 6 * 3600)) if answered else None
                conversations.append({
                    "kind": "message" if kind == "message" else "mention",
                    "key": f"b:{i}", "customer_id": author, "intent": intent,
                    "sentiment": sentiment, "opened_at": at, "last_customer_at": at,
                    "first_response_at": first, "last_response_at": first,
                    "state": "answered" if answered else "new", "items_count": 1,
                    "created_at": now, "updated_at": now})

    _copy(conn, Item, items(), {"workspace_id": ws.pk, "platform": "weibo", "source": "bench",
                                "raw": "{}", "topics": "[]", "ingested_at": now, "updated_at": now,
                                "analyzed_at": now, "analysis_version": "bench"})
    _copy(conn, Conversation, conversations, {"workspace_id": ws.pk})
    conn.commit()
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.commit()
    conn.close()
    return {"workspace": ws, "authors": n_authors, "items": Item.objects.filter(workspace=ws).count(),
            "conversations": len(conversations), "authors_s": t_authors,
            "copy_s": time.perf_counter() - t0, "start": start, "end": end}


def reused() -> dict:
    """The counts of the database a ``--keep`` run left (COPY time not measured again)."""
    from inhouse.core.models import Author, Item, Workspace
    from inhouse.inbox.models import Conversation

    ws = Workspace.objects.get(slug="bench")
    return {"workspace": ws, "items": Item.objects.filter(workspace=ws).count(),
            "authors": Author.objects.count() - 1,
            "conversations": Conversation.objects.filter(workspace=ws).count(),
            "authors_s": float("nan"), "copy_s": float("nan")}


def prepare(ws) -> dict:
    """What production keeps current: roll-ups, snapshots, fan scores (timed)."""
    from django.utils import timezone

    from inhouse.analytics import actions
    from inhouse.analytics.models import FanSnapshot
    from inhouse.analytics.periods import Period, local_day, today
    from inhouse.analytics.rollup import data_span, refresh_range
    from inhouse.core.models import Account

    first, last = data_span(ws)
    t0 = time.perf_counter()
    days = refresh_range(ws, first, max(last, today()))
    t_rollup = time.perf_counter() - t0
    account = Account.objects.get(workspace=ws)
    FanSnapshot.objects.bulk_create(
        [FanSnapshot(workspace=ws, account=account, day=first + dt.timedelta(days=i),
                     followers_count=400_000 + 270 * i, source="bench", taken_at=timezone.now())
         for i in range((today() - first).days + 1)], ignore_conflicts=True)
    t0 = time.perf_counter()
    run = actions.score_fans(ws, Period.last(30))
    t_fans = time.perf_counter() - t0
    del local_day
    return {"rollup_days": days, "rollup_s": t_rollup, "rollup_ms_per_day": 1000 * t_rollup / days,
            "fans_scored": run.summary["scored"], "fans_s": t_fans}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(url: str, requests: int) -> dict:
    """Serve the desk in a child process; request each page from here, over HTTP."""
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    server = subprocess.Popen([sys.executable, "-m", "inhouse", "run", "--no-worker", "--port",
                               str(port), "--threads", "4"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(base + "/login/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the desk did not start: " + server.stderr.read(4000).decode())
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/login/")
            login = client.post("/login/", data={"username": "bench-owner", "password": PASSWORD,
                                                 "csrfmiddlewaretoken": client.cookies["csrftoken"]},
                                headers={"Referer": base + "/login/"})
            if login.status_code != 302:
                raise RuntimeError(f"login failed: {login.status_code}")
            results = {}
            for name, path in {**PAGES, **DESK_PAGES}.items():
                t0 = time.perf_counter()  # a first, cold request, which may be slow
                r = client.get(path, timeout=300)
                cold = 1000 * (time.perf_counter() - t0)
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code}")
                if cold > 10_000:  # a page this slow is reported from its one request
                    results[name] = {"p50": cold, "p95": cold, "bytes": len(r.content)}
                    continue
                for _ in range(2):  # warm-up: connections, template caches
                    client.get(path)
                times = []
                for _ in range(requests):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append(1000 * (time.perf_counter() - t0))
                    if r.status_code != 200:
                        raise RuntimeError(f"{path}: HTTP {r.status_code}")
                times.sort()
                results[name] = {"p50": statistics.median(times),
                                 "p95": times[max(0, int(round(0.95 * len(times))) - 1)],
                                 "bytes": len(r.content)}
            return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database a --keep run left (no new data; roll-ups redone)")
    args = parser.parse_args()
    if not args.reuse:
        try:
            with _admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB}")
                conn.execute(f"CREATE DATABASE {DB}")
        except Exception as exc:  # noqa: BLE001 - no server: say so and stop
            print(f"PostgreSQL not reachable ({exc}); dashboard bench not run", file=sys.stderr)
            return 1
    url = _url()
    _setup_django(url)
    from django.core.management import call_command

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t_migrate = time.perf_counter() - t0
        data = reused() if args.reuse else generate(args.items)
        args.items = data["items"]
        print(f"data: {data['items']:,} items, {data['authors']:,} authors, "
              f"{data['conversations']:,} conversations; COPY {data['copy_s']:.1f}s", flush=True)
        prep = prepare(data["workspace"])
        print(f"roll-ups: {prep['rollup_days']} days in {prep['rollup_s']:.1f}s; fan scores "
              f"{prep['fans_scored']:,} in {prep['fans_s']:.1f}s", flush=True)
        from django.db import connections

        connections.close_all()
        pages = measure(url, args.requests)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with _admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    desk = {name: pages.pop(name) for name in DESK_PAGES}
    for name, r in {**pages, **desk}.items():
        print(f"{name:20} p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  ({r['bytes']:,} bytes)")
    worst = max(r["p95"] for r in pages.values())  # the analytics goal; desk pages shown apart
    load = os.getloadavg()[0]
    lines = [
        "## Analytics dashboard (issue 9)",
        "",
        f"`python bench/bench_dashboard.py --items {args.items} --requests {args.requests}"
        f"{' --reuse' if args.reuse else ''}` — "
        f"PostgreSQL with **{data['items']:,} items** ({data['authors']:,} authors, "
        f"{data['conversations']:,} conversations, {DAYS} days), the desk served by waitress in a "
        "child process, pages requested over HTTP from the bench process, logged in as the owner.",
        "",
        "| page | p50 ms | p95 ms |",
        "|---|---|---|",
        *[f"| {name} | {r['p50']:.0f} | {r['p95']:.0f} |" for name, r in pages.items()],
        "",
        f"Worst p95: **{worst:.0f} ms** (goal < 300 ms); load average {load:.1f} when the pages "
        f"had been read (above 1: other work shared the 2 cores). Setup: migrate {t_migrate:.0f} s, "
        + (f"COPY of the data {data['copy_s']:.0f} s, " if data["copy_s"] == data["copy_s"] else
           "data kept from an earlier `--keep` run of the same size (`--reuse`: COPY not re-timed), ")
        + f"daily roll-ups of {prep['rollup_days']} days "
        f"{prep['rollup_s']:.0f} s ({prep['rollup_ms_per_day']:.0f} ms a day, what intake and beat "
        f"pay per day touched), fan scores of {prep['fans_scored']:,} engaged users over 30 days "
        f"{prep['fans_s']:.1f} s. Pages read roll-ups, so their cost does not grow with the items.",
        "",
        "The desk's main pages on the same database (issue 11: large tables kept fast), the same "
        "way:",
        "",
        "| page | p50 ms | p95 ms |",
        "|---|---|---|",
        *[f"| {name} | {r['p50']:.0f} | {r['p95']:.0f} |" for name, r in desk.items()],
    ]
    if not args.no_write:
        sys.path.insert(0, str(ROOT / "bench"))
        from report import write_section

        write_section("analytics-dashboard", "\n".join(lines))
    return 0 if worst < 300 else 2


if __name__ == "__main__":
    sys.exit(main())
