"""Speed of the NLP stage on one core, against baselines measured in the same run.

Usage: .venv/bin/python bench/bench_nlp.py [--posts N] [--data DIR] [--dry-run]

Measures (all pinned to one CPU core):
  1. analyze_texts + near_duplicate_keys in batches of 2,000, in this process (models warm);
  2. `inhouse analyze` over a JSONL file of N posts (the command of issue 3, through the
     `inhouse` entry point), start-up and model loading included, with the child's peak memory;
  3. baselines: plain jieba segmentation, and snownlp sentiment (on a sample: it is slow).
Texts are real Weibo posts (weibo2018 train+dev+topics) repeated to N. The machine is shared,
so both wall-clock and CPU-time rates are reported; CPU time is the steadier figure.
Writes its table between <!-- nlp-bench:start --> and <!-- nlp-bench:end --> in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "eval"))

from inhouse.nlp.data import default_data_dir  # noqa: E402

CORE = {0}


def _texts(data: Path, n: int) -> list[str]:
    base = []
    for name in ("train.csv", "dev.csv", "topics_unlabelled.csv"):
        with (data / "weibo2018_sentiment" / name).open(encoding="utf-8") as fh:
            base += [row["text"] for row in csv.DictReader(fh)]
    return (base * (n // len(base) + 1))[:n]


def _measure(func, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_in_process(texts: list[str]) -> tuple[float, float]:
    from inhouse.nlp import analyze_batch

    analyze_batch(texts[:100])  # load the models outside the timing

    def run(batch_texts):
        for i in range(0, len(batch_texts), 2000):
            analyze_batch(batch_texts[i:i + 2000])

    return _measure(run, texts)


def bench_cli(texts: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of `inhouse analyze` over a JSONL file."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "posts.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(texts):
                fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        # the database URL is never opened (analyze uses none); set so no default path is needed
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'unused.sqlite3'}"}
        with (Path(tmp) / "out.jsonl").open("w") as out:
            subprocess.run([sys.executable, "-m", "inhouse", "analyze", "--input", str(src)],
                           stdout=out, check=True, env=env,
                           preexec_fn=lambda: os.sched_setaffinity(0, CORE))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        lines = sum(1 for _ in (Path(tmp) / "out.jsonl").open())
        assert lines == len(texts), (lines, len(texts))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def bench_jieba(texts: list[str]) -> tuple[float, float]:
    import jieba

    jieba.lcut("预热")
    return _measure(lambda ts: [jieba.lcut(t) for t in ts], texts)


def bench_snownlp(texts: list[str]) -> tuple[float, float] | None:
    try:
        from snownlp import SnowNLP
    except ImportError:
        return None
    _ = SnowNLP("预热").sentiments  # warm its models outside the timing
    return _measure(lambda ts: [SnowNLP(t).sentiments for t in ts], texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    data = args.data or default_data_dir()
    if not (data / "weibo2018_sentiment").is_dir():
        print(f"skipped: shared data not found at {data} (set INHOUSE_SHARED_DATA)")
        return 0
    os.sched_setaffinity(0, CORE)
    texts = _texts(data, args.posts)
    sample = texts[:20_000]
    rows = []
    w, c = bench_in_process(sample)
    rows.append(("inhouse: analyze_batch (analysis + duplicate keys, in process, batches of 2,000)",
                 len(sample), len(sample) / w, len(sample) / c, "–"))
    w, c, rss = bench_cli(texts)
    ours = len(texts) / c  # the end-to-end figure the ratios compare against
    rows.append(("inhouse: `inhouse analyze` over JSONL, start-up included",
                 len(texts), len(texts) / w, ours, f"{rss:,.0f} MiB"))
    verdict = (f"Target (issue 3): >= 5,000 posts/s on one core, start-up included, peak memory "
               f"< 1 GB: {ours:,.0f} posts per CPU-second "
               f"({'met' if ours >= 5000 else 'NOT met'}), {len(texts) / w:,.0f} posts/s wall-clock "
               f"on the shared machine, {rss:,.0f} MiB ({'met' if rss < 1024 else 'NOT met'}).")
    w, c = bench_jieba(sample[:5000])
    rows.append(("baseline: jieba.lcut only (no analysis)", 5000, 5000 / w, 5000 / c, "–"))
    snow = bench_snownlp(sample[:500])
    if snow:
        rows.append(("baseline: snownlp sentiment", 500, 500 / snow[0], 500 / snow[1], "–"))
    lines = [
        "## NLP speed (one core)",
        "",
        f"Command: `.venv/bin/python bench/bench_nlp.py --posts {args.posts}` (run by `make bench`). "
        "Real weibo2018 posts (mean 80 characters) repeated; pinned to one core of a shared "
        "2-core machine, so CPU-time rates are the steadier figure.",
        "",
        "| what | posts | posts/s (wall) | posts/s (CPU time) | inhouse CLI ÷ this (CPU) | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for name, n, wall_rate, cpu_rate, mem in rows:
        ratio = "–" if name.startswith("inhouse") else f"{ours / cpu_rate:,.1f}×"
        lines.append(f"| {name} | {n:,} | {wall_rate:,.0f} | {cpu_rate:,.0f} | {ratio} | {mem} |")
    if not snow:
        lines.append("| baseline: snownlp | – | not installed (pip install -e '.[eval]') | | | |")
    lines += ["", verdict]
    if snow:
        lines.append(f"Against snownlp measured in this run: {ours / (500 / snow[1]):,.0f}× its "
                     "posts per CPU-second (the issue asks for 50×).")
    body = "\n".join(lines)
    print(body)
    if not args.dry_run:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from report import DOC, write_section

        write_section("nlp-bench", body)
        print(f"written to {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
