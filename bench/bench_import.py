"""`inhouse import` throughput and peak memory, SQLite and PostgreSQL, two file sizes.

    python bench/bench_import.py                 # 1,000,000 lines (and 100,000), both databases
    python bench/bench_import.py --quick         # 50,000 lines only (the docs say so)
    python bench/bench_import.py --lines 20000   # any size; --no-postgres, --no-sqlite, --no-docs

Generates a JSONL file of synthetic records (the inhouse record format), imports it with
analysis off into an empty database (a temporary SQLite file; a PostgreSQL database created
and dropped here when the server answers), each run in its own process so ru_maxrss is that
run's peak. The baseline, measured in the same run, is plain ``json.loads`` of every line of
the same file: the ratio says how far the import is from merely reading the file. The figures
go into docs/benchmarks.md between the import-bench markers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("INHOUSE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
WORDS = ["鹿角脆", "小鹿零食", "好吃", "包装", "漏气", "客服", "快递", "太慢了", "推荐", "新口味",
         "海盐味", "价格", "活动", "抽奖", "转发", "质量", "退款", "谢谢", "期待", "门店"]


def generate(path: Path, lines: int, seed: int = 7) -> None:
    """Synthetic records: 20% posts, 60% comments on them, 20% reposts; 50,000 authors."""
    rng = random.Random(seed)
    base = 1_767_225_600  # 2026-01-01 UTC
    with path.open("w", encoding="utf-8") as f:
        for n in range(lines):
            pid = 5_000_000_000_000_000 + n
            roll = n % 10
            record = {
                "id": str(pid),
                "kind": "post" if roll < 2 else ("comment" if roll < 8 else "repost"),
                "created_at": base + n * 3,
                "text": "".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))),
                "author": {"uid": str(6_000_000_000 + rng.randrange(50_000)), "screen_name": f"用户{rng.randrange(50_000)}"},
                "likes_count": rng.randrange(100),
            }
            if roll >= 2:
                record["parent_id"] = str(pid - roll)
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def baseline(path: Path) -> float:
    """Items/s of json.loads over every line: the floor any JSONL import pays."""
    t0 = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            json.loads(line)
            count += 1
    return count / (time.perf_counter() - t0)


def worker(path: Path) -> None:
    """One import into the empty database named by DATABASE_URL; prints one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inhouse.core.models import Workspace
    from inhouse.sources.importers.run import import_file

    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(name="bench", slug="bench")
    backend = server_pid()
    s0 = server_cpu(backend)
    t0, c0 = time.perf_counter(), time.process_time()
    summary = import_file(workspace, path, "jsonl", analyze=False)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    s1 = server_cpu(backend)
    assert not summary.errors, summary.errors[:3]
    print(json.dumps({"read": summary.read, "created": summary.created, "seconds": seconds,
                      "cpu_seconds": cpu, "server_cpu_seconds": None if s0 is None or s1 is None else s1 - s0,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def server_pid() -> int | None:
    """The PostgreSQL backend serving this process's connection (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def server_cpu(pid: int | None) -> float | None:
    """CPU-seconds (user + system) of that backend, read from /proc: only when the server runs
    on this machine and we may read its processes; else None (the bench says "n/a")."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_worker(path: Path, url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, INHOUSE_DATA_DIR=str(path.parent))
    out = subprocess.run([sys.executable, __file__, "--worker", str(path)], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"import into {url.split('@')[-1]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Postgres:
    """A throw-away database on the local server, or None when it does not answer."""

    def __init__(self) -> None:
        self.name = f"inhouse_bench_import_{os.getpid()}"

    def _admin(self):
        import psycopg

        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)

    def create(self) -> str | None:
        try:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable here"
            print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipped", file=sys.stderr)
            return None
        return PG_ADMIN.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def write_docs(text: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from report import write_section

    write_section("import-bench", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--one-size", action="store_true", help="only --lines, not also a tenth of it (smoke runs)")
    parser.add_argument("--quick", action="store_true", help="50,000 lines, one size (the docs say the size run)")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    if args.quick:
        args.lines, args.one_size = 50_000, True

    sizes = [args.lines] if args.one_size else [max(args.lines // 10, 1), args.lines]
    loads = [os.getloadavg()[0]]  # sampled around each run: a busy machine slows wall-clock
    rows = []
    with tempfile.TemporaryDirectory(prefix="inhouse-bench-import-") as tmp:
        files = {}
        for n in sizes:
            files[n] = Path(tmp) / f"records_{n}.jsonl"
            generate(files[n], n)
        floor = baseline(files[sizes[-1]])
        print(f"baseline json.loads: {floor:,.0f} items/s ({sizes[-1]:,} lines)", flush=True)
        targets: list[tuple[str, object]] = [] if args.no_sqlite else [("SQLite", None)]
        pg = None if args.no_postgres else Postgres()
        if pg:
            targets.append(("PostgreSQL", pg))
        for label, target in targets:
            for n in sizes:
                if target is None:
                    db = Path(tmp) / f"bench_{n}.sqlite3"
                    url = f"sqlite:///{db}"
                else:
                    url = target.create()
                    if url is None:
                        break
                try:
                    result = run_worker(files[n], url)
                    loads.append(os.getloadavg()[1])  # the last 5 minutes of that run
                finally:
                    if target is not None:
                        target.drop()
                rate = result["read"] / result["seconds"]
                cpu_rate = result["read"] / max(result["cpu_seconds"], 1e-9)
                server = result.get("server_cpu_seconds")
                server_text = "n/a" if server is None else f"{server:.1f}"
                rows.append((label, n, result["seconds"], rate, result["cpu_seconds"], cpu_rate, server_text,
                             floor / rate, result["maxrss_mb"]))
                print(f"{label:10} {n:>9,} lines  {result['seconds']:7.1f} s wall  {rate:8,.0f} items/s wall-clock  "
                      f"client {result['cpu_seconds']:.1f} CPU-s ({cpu_rate:,.0f} items per client CPU-second)  "
                      f"server {server_text} CPU-s  "
                      f"baseline/import {floor / rate:5.1f}x  peak RSS {result['maxrss_mb']:6.0f} MB", flush=True)
    table = [
        f"Command: `python bench/bench_import.py --lines {args.lines}{' --one-size' if args.one_size else ''}` "
        f"(sizes run: {', '.join(f'{n:,}' for n in sizes)} lines; synthetic JSONL records, analysis off; "
        f"{os.cpu_count()} CPUs shared; load average up to {max(loads):.1f} during the runs"
        f"{', so measured under load' if max(loads) > 1.5 else ''}; {time.strftime('%Y-%m-%d')}).",
        "",
        f"Baseline in the same run: `json.loads` of every line, {floor:,.0f} items/s.",
        "",
        "items/s is wall-clock (the target). Client CPU is the importing process's own CPU time;",
        "server CPU is that of the PostgreSQL backend serving it (read from /proc; the WAL writer",
        "and checkpointer are not in it). CPU figures are steadier on a busy machine.",
        "",
        "| database | lines | seconds | items/s (wall) | client CPU-s | items/client CPU-s | server CPU-s | baseline ÷ import | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    table += [f"| {db} | {n:,} | {s:.1f} | {r:,.0f} | {c:.1f} | {cr:,.0f} | {sv} | {x:.1f}× | {m:.0f} |"
              for db, n, s, r, c, cr, sv, x, m in rows]
    if not args.no_docs:
        write_docs("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
