"""Soak: ingest at a steady rate for ten minutes while the desk is queried (issue 11).

    python bench/bench_soak.py                         # 10 minutes at 100 items/s
    python bench/bench_soak.py --minutes 2 --rate 50   # a shorter run (the figures say so)

A fresh PostgreSQL database; one Celery worker on Redis; the web desk (`inhouse run
--no-worker`, waitress) in its own process; this process sends one `pipeline.process_records`
batch a second (ingest, analyse, route, detect) and, in a thread, logs in over HTTP and reads
the desk's main pages in a loop. Every ten seconds it samples the worker's and the server's
resident memory, the backlog (batches sent but not yet done) and the pages' latency. A steady
system shows flat memory after warm-up, a backlog that does not grow, and steady latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import INHOUSE, REDIS, db_url, fresh_database, pg, shifted  # noqa: E402
from report import write_section  # noqa: E402

PAGES = ["/", "/items/", "/inbox/", "/monitoring/"]
SAMPLE_EVERY = 10.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_reader(env: dict, workspace_id: int) -> tuple[str, str]:
    password = uuid.uuid4().hex
    code = ("from django.contrib.auth import get_user_model\n"
            "from inhouse.access.models import Membership\n"
            f"u = get_user_model().objects.create_user('soak', password='{password}')\n"
            f"Membership.objects.create(workspace_id={workspace_id}, user=u, role='owner')\n")
    subprocess.run([INHOUSE, "shell", "-c", code], env=env, check=True)
    return "soak", password


class Reader(threading.Thread):
    """Reads the desk's pages in a loop over HTTP, keeping each request's latency."""

    def __init__(self, base: str, user: str, password: str):
        super().__init__(daemon=True)
        self.base, self.user, self.password = base, user, password
        self.latencies: list[tuple[float, float]] = []  # (time, seconds)
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            http.get("/login/")
            http.post("/login/", data={"username": self.user, "password": self.password,
                                       "csrfmiddlewaretoken": http.cookies.get("csrftoken", "")},
                      headers={"Referer": self.base + "/login/"})
            while not self.stop.is_set():
                for page in PAGES:
                    t0 = time.perf_counter()
                    response = http.get(page)
                    took = time.perf_counter() - t0
                    if response.status_code != 200:
                        self.errors.append(f"{page}: HTTP {response.status_code}")
                    self.latencies.append((time.monotonic(), took))
                self.stop.wait(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=100, help="items per second")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from celery import Celery

    from inhouse.sources.demo import generate

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "DATABASE_URL": db_url(), "CELERY_BROKER_URL": REDIS,
               "INHOUSE_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "inhouse.settings"}
        workspace_id = fresh_database(env)
        user, password = make_reader(env, workspace_id)
        queue = f"soak-{uuid.uuid4().hex[:8]}"
        worker_log = tmp_path / "worker.log"
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "inhouse.worker", "worker",
                                   "--pool", "solo", "-Q", queue, "--loglevel", "INFO",
                                   "--without-gossip", "--without-mingle", "--without-heartbeat"],
                                  env=env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT)
        port = free_port()
        server = subprocess.Popen([INHOUSE, "run", "--no-worker", "--port", str(port)], env=env,
                                  stdout=(tmp_path / "server.log").open("w"), stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                httpx.get(base + "/login/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        reader = Reader(base, user, password)
        reader.start()

        week = generate(seed=7).records
        sender = Celery(broker=REDIS)
        samples: list[dict] = []
        sent = made = 0
        started = time.monotonic()
        next_sample = started + SAMPLE_EVERY
        end = started + args.minutes * 60
        try:
            while time.monotonic() < end:
                tick = time.monotonic()
                batch = [shifted(week[(made + n) % len(week)], (made + n) // len(week))
                         for n in range(args.rate)]
                made += args.rate
                sender.send_task("pipeline.process_records", args=[workspace_id, batch], queue=queue)
                sent += 1
                if time.monotonic() >= next_sample:
                    done = worker_log.read_text(errors="replace").count("succeeded in")
                    window = [s for t, s in reader.latencies if t >= next_sample - SAMPLE_EVERY]
                    samples.append({
                        "t": round(time.monotonic() - started), "worker_mb": rss_mb(worker.pid),
                        "server_mb": rss_mb(server.pid), "backlog": sent - done,
                        "p95_ms": (statistics.quantiles(window, n=20)[-1] * 1000
                                   if len(window) >= 20 else float("nan"))})
                    print(json.dumps(samples[-1]), flush=True)
                    next_sample += SAMPLE_EVERY
                if worker.poll() is not None or server.poll() is not None:
                    raise RuntimeError("the worker or the server stopped")
                time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
        finally:
            reader.stop.set()
            reader.join(timeout=30)
            sender.close()
            for proc in (worker, server):
                proc.terminate()
                proc.wait(timeout=60)
        pg("DROP DATABASE IF EXISTS inhouse_scale")

    warm = [s for s in samples if s["t"] >= 60] or samples
    first, last = warm[0], warm[-1]
    growth = {k: last[k] - first[k] for k in ("worker_mb", "server_mb")}
    p95s = [s["p95_ms"] for s in warm if s["p95_ms"] == s["p95_ms"]]
    summary = (f"{made:,} items in {args.minutes:g} min at {args.rate}/s; after the first minute: "
               f"worker {first['worker_mb']:.0f}→{last['worker_mb']:.0f} MB, server "
               f"{first['server_mb']:.0f}→{last['server_mb']:.0f} MB, backlog "
               f"{first['backlog']}→{last['backlog']} batches (max {max(s['backlog'] for s in warm)}), "
               f"page p95 {min(p95s):.0f}–{max(p95s):.0f} ms; HTTP errors: {len(reader.errors)}")
    print(summary)
    if not args.no_write:
        rows = "\n".join(f"| {s['t']} | {s['worker_mb']:.0f} | {s['server_mb']:.0f} | {s['backlog']} | "
                         f"{s['p95_ms']:.0f} |" for s in samples[:: max(1, len(samples) // 12)])
        write_section("soak-bench", f"""## Soak: steady ingest while the desk is read (issue 11)

`python bench/bench_soak.py --minutes {args.minutes:g} --rate {args.rate}` (part of `make bench`),
measured {dt.date.today():%Y-%m-%d}: PostgreSQL, one Celery worker on Redis, the desk on
waitress in its own process, one batch a second, pages {", ".join(PAGES)} read in a loop.

{summary}. Memory growth after warm-up: worker {growth['worker_mb']:+.0f} MB, server
{growth['server_mb']:+.0f} MB.

| seconds | worker MB | server MB | backlog (batches) | page p95 (ms) |
|---|---|---|---|---|
{rows}
""")
    return 1 if reader.errors else 0


if __name__ == "__main__":
    sys.exit(main())
