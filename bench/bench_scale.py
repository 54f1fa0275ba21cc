"""The whole pipeline on PostgreSQL with one and with two Celery workers (issue 11).

    python bench/bench_scale.py                    # 1,000,000 items, 1 then 2 workers
    python bench/bench_scale.py --items 100000     # a shorter run (the figures say the size)

For each worker count: a fresh PostgreSQL database, the demo workspace's topic, and the work
queued on Redis beforehand as `pipeline.process_records` batches of 1,000 records (ingest,
analyse, route — routing runs the inbox, partners, campaigns and monitoring intakes, so
detection is included). Then the workers start (start-up included in the time) and the clock
stops when every batch has succeeded. Records are the demo week repeated, each copy shifted by
a week with fresh ids, so detection sees realistic weeks. Prints items/s for each count, the
ratio two/one (aim: at least 1.7 on this 2-core machine), and each worker's CPU-seconds and
peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

PG_ADMIN = os.environ.get("INHOUSE_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("INHOUSE_BENCH_REDIS", "redis://127.0.0.1:6379/14")
DB = "inhouse_scale"
BATCH = 1000
INHOUSE = str(Path(sys.executable).with_name("inhouse"))


def pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


def db_url() -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + DB


def fresh_database(env: dict) -> int:
    """A migrated database with the demo workspace and topic; returns the workspace id."""
    pg(f"DROP DATABASE IF EXISTS {DB}")
    pg(f"CREATE DATABASE {DB}")
    subprocess.run([INHOUSE, "migrate", "--verbosity", "0"],
                   env=env, check=True)
    code = ("from inhouse.core.models import Workspace, Account\n"
            "from inhouse.monitoring.models import Topic\n"
            "from inhouse.sources.demo import brand\n"
            "w = Workspace.objects.create(name='bench', slug='bench', dictionary=['小鹿零食', '鹿角脆'])\n"
            "Account.objects.create(workspace=w, platform_uid=brand.OFFICIAL_UID, screen_name='official')\n"
            "Topic.objects.create(workspace=w, name='brand', query='小鹿零食 OR 鹿角脆 OR 小鹿')\n"
            "print(w.pk)\n")
    out = subprocess.run([INHOUSE, "shell", "-c", code], env=env,
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def shifted(record: dict, copy: int) -> dict:
    """The record in week ``copy``: ids suffixed, event time a week later per copy."""
    if copy == 0:
        return record
    out = dict(record)
    for key in ("id", "parent_id", "root_id"):
        if out.get(key):
            out[key] = f"{out[key]}{copy:03d}"
    when = dt.datetime.fromisoformat(str(out["created_at"]))
    out["created_at"] = (when + dt.timedelta(weeks=copy)).isoformat()
    return out


def enqueue(workspace_id: int, items: int, queue: str) -> int:
    from celery import Celery

    from inhouse.sources.demo import generate

    week = generate(seed=7).records
    sender = Celery(broker=REDIS)
    batch: list[dict] = []
    sent = made = 0
    copy = 0
    while made < items:
        for record in week:
            batch.append(shifted(record, copy))
            made += 1
            if len(batch) == BATCH or made == items:
                sender.send_task("pipeline.process_records", args=[workspace_id, batch], queue=queue)
                sent += 1
                batch = []
            if made == items:
                break
        copy += 1
    sender.close()
    return sent


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (the worker's own; PostgreSQL's is not in it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class StatisticsKeeper(threading.Thread):
    """``ANALYZE`` every 30 s while the workers run, when the server's autovacuum is off.

    The tables grow from nothing to a million rows in minutes; with autovacuum off (as on the
    build machine's PostgreSQL) the planner keeps its empty-table estimates and picks nested
    loops over whole tables, so throughput falls with the table for a reason production
    (autovacuum on by default) does not have. This stands in for autovacuum's analyze."""

    def __init__(self, url: str, every: float = 30.0):
        super().__init__(daemon=True)
        self.url, self.every, self.runs = url.replace("postgres://", "postgresql://"), every, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            if conn.execute("SHOW autovacuum").fetchone()[0] == "on":
                return
            while not self._stop_event.wait(self.every):
                conn.execute("ANALYZE")
                self.runs += 1

    def stop(self) -> None:
        self._stop_event.set()


def run(workers: int, items: int, tmp: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": db_url(), "CELERY_BROKER_URL": REDIS,
           "INHOUSE_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "inhouse.settings"}
    workspace_id = fresh_database(env)
    queue = f"scale-{uuid.uuid4().hex[:8]}"
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "INHOUSE_DATA_DIR")})
    batches = enqueue(workspace_id, items, queue)
    logs = [tmp / f"worker{n}.log" for n in range(workers)]
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "celery", "-A", "inhouse.worker", "worker",
                               "--pool", "solo", "-Q", queue, "-n", f"scale{n}-{queue}@%h",
                               "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                               "--without-heartbeat"],
                              env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
             for n, log in enumerate(logs)]
    analyser = StatisticsKeeper(db_url())
    analyser.start()
    offsets, done = [0] * len(logs), 0
    # items/s over each tenth of the run: flat means nothing grows with the tables.
    marks, tenth, last = [], max(1, batches // 10), started
    try:
        while True:
            # Only what each log gained since the last look: re-reading whole logs every half
            # second took a tenth of a core from the workers by the end of a long run.
            for n, log in enumerate(logs):
                with log.open("rb") as f:
                    f.seek(offsets[n])
                    chunk = f.read()
                cut = chunk.rfind(b"\n") + 1  # whole lines only
                offsets[n] += cut
                text = chunk[:cut].decode(errors="replace")
                done += text.count("succeeded in")
                if " raised unexpected:" in text:
                    raise RuntimeError(f"a batch failed:\n{text[-3000:]}")
            crossed = min(done // tenth, 10) - len(marks)
            if crossed > 0:  # tenths passed since the last look share its time
                now = time.perf_counter()
                marks += [round(crossed * tenth * BATCH / (now - last))] * crossed
                last = now
                print(f"  {workers} worker(s): {done * BATCH:,} items, {now - started:,.0f} s, "
                      f"last tenth {marks[-1]:,} items/s", flush=True)
            if done >= batches:
                break
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                raise RuntimeError(f"a worker died:\n{logs[procs.index(dead[0])].read_text()[-3000:]}")
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        peaks = [peak_rss_mb(p.pid) for p in procs]
        cpus = [cpu_seconds(p.pid) for p in procs]
        # Batches run again after a deadlock or a unique key another worker took (tasks.py).
        retries = sum(log.read_text(errors="replace").count(" retry: ") for log in logs)
        # Batches routed out of order feed a topic's week again (monitoring.intake).
        rebuilds = sum(log.read_text(errors="replace").count("detectors rebuilt") for log in logs)
    finally:
        analyser.stop()
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    return {"workers": workers, "items": items, "batches": batches, "seconds": elapsed,
            "items_per_s": items / elapsed, "peak_rss_mb": peaks, "cpu_s": cpus,
            "items_per_cpu_s": items / sum(cpus), "retries": retries,
            "rebuilds": rebuilds, "load": os.getloadavg()[0], "analyze_runs": analyser.runs,
            "tenths_items_per_s": marks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            result = run(workers, args.items, Path(tmp))
            print(json.dumps(result), flush=True)
            results.append(result)
    pg(f"DROP DATABASE IF EXISTS {DB}")
    one, two = results
    ratio = two["items_per_s"] / one["items_per_s"]
    print(f"one worker {one['items_per_s']:,.0f} items/s, two {two['items_per_s']:,.0f} items/s, "
          f"ratio {ratio:.2f}")
    for r in results:
        print(f"{r['workers']} worker(s): {r['items_per_cpu_s']:,.0f} items per worker CPU-second, "
              f"CPU " + ", ".join(f"{c:,.1f} s" for c in r["cpu_s"])
              + ", peak memory " + ", ".join(f"{m:,.0f} MB" for m in r["peak_rss_mb"])
              + f", {r['retries']} batch retries, {r['rebuilds']} detector rebuilds, load average {r['load']:.1f} at the end")
    if not args.no_write:
        rows = "\n".join(
            f"| {r['workers']} | {r['items']:,} | {r['seconds']:,.0f} | {r['items_per_s']:,.0f} | "
            + ", ".join(f"{c:,.0f}" for c in r["cpu_s"]) + " | "
            + ", ".join(f"{m:,.0f}" for m in r["peak_rss_mb"]) + " |" for r in results)
        write_section("scale-bench", f"""## Pipeline scale-out on PostgreSQL + Celery (issue 11)

`python bench/bench_scale.py --items {args.items}` (part of `make bench`), measured
{dt.date.today():%Y-%m-%d}. Ingest, analyse, route and detect, `pipeline.process_records` batches
of {BATCH:,} queued on Redis beforehand; worker start-up included; solo pool, one process per
worker.

| workers | items | seconds | items/s | worker CPU-seconds | peak memory per worker (MB) |
|---|---|---|---|---|---|
{rows}

Two workers against one: **{ratio:.2f}×** (aim: 1.7× on this 2-core machine).
Items/s over each tenth of the run, first to last: one worker
{", ".join(f"{m:,}" for m in one["tenths_items_per_s"])}; two workers
{", ".join(f"{m:,}" for m in two["tenths_items_per_s"])}.
Batch retries {", ".join(str(r["retries"]) for r in results)}; detector rebuilds
{", ".join(str(r["rebuilds"]) for r in results)}; load average at the end
{", ".join(f"{r['load']:.1f}" for r in results)}.
{"The server's autovacuum is off: the bench ran ANALYZE every 30 s in its stead ("
 + ", ".join(str(r["analyze_runs"]) for r in results) + " runs)." if one["analyze_runs"] else ""}
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
