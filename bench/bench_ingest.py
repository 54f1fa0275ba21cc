"""Ingest throughput on SQLite and PostgreSQL, against a plain bulk insert in the same run.

    python bench/bench_ingest.py            # both databases, the demo week (~20,000 items)
    python bench/bench_ingest.py --one URL  # (internal) one database, prints a JSON line

Measures: ingest of the demo week into an empty workspace (all inserts), the same week again
(all upserts, the idempotent path), and a baseline: Django's bulk_create of the same rows
already built as model objects (no parsing, no upsert). Then the analysis stage over them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("INHOUSE_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "inhouse_bench"


def run_one(url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inhouse.core.models import Item, Workspace
    from inhouse.pipeline.analyze import analyze_items
    from inhouse.pipeline.ingest import ingest
    from inhouse.pipeline.records import parse_record
    from inhouse.sources.demo import generate

    call_command("migrate", verbosity=0)
    records = generate(seed=7).records
    n = len(records)
    ws = Workspace.objects.create(name="bench", slug="bench")

    t0 = time.perf_counter()
    report = ingest(ws, records)
    first = time.perf_counter() - t0
    assert report.created == n and not report.rejected, (report.created, report.rejected[:3])

    t0 = time.perf_counter()
    again = ingest(ws, records)
    second = time.perf_counter() - t0
    assert again.created == 0 and again.updated == n

    t0 = time.perf_counter()
    analyze_items(report.item_ids)
    analysis = time.perf_counter() - t0

    base_ws = Workspace.objects.create(name="baseline", slug="baseline")
    rows = []
    for rec in records:
        p = parse_record(rec)
        rows.append(Item(workspace=base_ws, platform=p.platform, platform_id=p.platform_id, kind=p.kind,
                         text=p.text, created_at=p.created_at, parent_platform_id=p.parent_platform_id,
                         root_platform_id=p.root_platform_id, reposts_count=p.reposts_count,
                         comments_count=p.comments_count, likes_count=p.likes_count, source=p.source,
                         raw=p.raw))
    t0 = time.perf_counter()
    Item.objects.bulk_create(rows, batch_size=500)
    baseline = time.perf_counter() - t0
    return {"items": n, "ingest_s": first, "reingest_s": second, "baseline_s": baseline,
            "analyze_s": analysis}


def _postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True,
                             connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"PostgreSQL not measured: {exc}", file=sys.stderr)
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"SQLite": f"sqlite:///{tmp}/bench.sqlite3"}
        pg = _postgres_url()
        if pg:
            targets["PostgreSQL"] = pg
        env = {**os.environ, "INHOUSE_DATA_DIR": tmp}
        for name, url in targets.items():
            out = subprocess.run([sys.executable, __file__, "--one", url], env=env,
                                 capture_output=True, text=True, check=False)
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                return out.returncode
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
        if pg:
            _drop_postgres()

    lines = [
        "## Ingest (issue 2)", "",
        "Command: `python bench/bench_ingest.py` (part of `make bench`). The demo week, seed 7;",
        f"items/s are wall-clock; {os.cpu_count()} CPUs shared, load average {os.getloadavg()[1]:.1f} over the"
        f" last 5 minutes{' (measured under load)' if os.getloadavg()[1] > 1.5 else ''}; {time.strftime('%Y-%m-%d')}.",
        "Baseline: Django `bulk_create` of the same rows pre-built as model objects, same run.", "",
        "| database | items | ingest items/s | re-ingest (upsert) items/s | baseline items/s | ingest / baseline | analyze items/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        n = r["items"]
        row = (f"| {name} | {n:,} | {n / r['ingest_s']:,.0f} | {n / r['reingest_s']:,.0f} | "
               f"{n / r['baseline_s']:,.0f} | {r['baseline_s'] / r['ingest_s']:.2f} | {n / r['analyze_s']:,.0f} |")
        lines.append(row)
        print(f"{name}: ingest {n / r['ingest_s']:,.0f} items/s ({r['ingest_s']:.1f}s for {n:,}), "
              f"re-ingest {n / r['reingest_s']:,.0f}/s, baseline {n / r['baseline_s']:,.0f}/s, "
              f"ratio {r['baseline_s'] / r['ingest_s']:.2f}, analyze {n / r['analyze_s']:,.0f}/s")
    sys.path.insert(0, str(ROOT / "bench"))
    from report import write_section

    write_section("ingest-bench", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
