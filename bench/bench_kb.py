"""Knowledge-base suggestions per second on one core, start-up included, beside plain BM25.

End to end, as a user runs it: ``inhouse kb suggest --kb KB.csv --input QUESTIONS.jsonl`` in a
fresh process pinned to one core (``taskset -c 0``; one BLAS thread), from process start to
exit — Python start-up, jieba's dictionary, the models, building the index over the KB, and
answering every question (`kb suggest` needs no Django set-up, so it skips it). jieba's
dictionary is read from a bucket file built once per machine (``inhouse.nlp.lazydict``); the first
run, which builds it, is measured and reported apart. KBs of 1,000 and 6,000 atec_afqmc TRAIN questions; the
questions are other train questions (2,000 and 10,000 of them). Reports wall-clock time and the
process's CPU time (user + system): on a shared machine the CPU time is the honest figure for
one core, the wall clock includes waiting for other processes. Also, in this process: the
index's warm rate, and plain BM25 (Python, over jieba tokens) for comparison.
Writes the `kb-bench` section.

    .venv/bin/python bench/bench_kb.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "src"))

from report import write_section  # noqa: E402

COMMAND = ".venv/bin/python bench/bench_kb.py"
SIZES = (1000, 6000)
QUESTIONS = (2000, 10000)


def _cli(kb: Path, questions: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, output lines) of one `inhouse kb suggest` process."""
    cmd = [str(ROOT / ".venv" / "bin" / "inhouse"), "kb", "suggest", "--kb", str(kb),
           "--input", str(questions)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(done.stdout.splitlines())


def run(data: Path) -> str:
    from eval_kb import PlainBM25

    from inhouse.knowledge.retrieval import Index, KbEntry
    from inhouse.knowledge.retrieval.pairs import read_pairs
    from inhouse.knowledge.retrieval.train import ATEC_DICTIONARY

    pairs = read_pairs(data, "atec_afqmc", "train")
    texts = list(dict.fromkeys(t for a, b, _ in pairs for t in (b, a)))
    rows, warm_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # The first run on a machine builds jieba's bucket file (once); measure it apart.
        cache = Path(tmp) / "cache"
        os.environ["INHOUSE_CACHE_DIR"] = str(cache)
        tiny_kb, tiny_q = Path(tmp) / "tiny.csv", Path(tmp) / "tiny.jsonl"
        tiny_kb.write_text("id,question,answer\n1,花呗怎么还款,答案\n", encoding="utf-8")
        tiny_q.write_text('{"id": 1, "text": "花呗如何还钱"}\n', encoding="utf-8")
        first_wall, first_cpu, _ = _cli(tiny_kb, tiny_q)
        again_wall, again_cpu, _ = _cli(tiny_kb, tiny_q)
        print(f"first run {first_cpu:.2f} s CPU, then {again_cpu:.2f} s", flush=True)
        files = {}
        for n in QUESTIONS:
            path = Path(tmp) / f"q{n}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for i, t in enumerate(texts[-n:]):
                    fh.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
            files[n] = path
        for size in SIZES:
            kb = Path(tmp) / f"kb{size}.csv"
            with kb.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["id", "question", "answer"])
                writer.writerows([f"kb{i}", t, "答案"] for i, t in enumerate(texts[:size]))
            for n in QUESTIONS:
                wall, cpu, lines = _cli(kb, files[n])
                assert lines == n, f"{lines} answers for {n} questions"
                rows.append(f"| {size:,} | {n:,} | {n / cpu:,.0f} | {n / wall:,.0f} | {cpu:.1f} s | {wall:.1f} s |")
                print(rows[-1], flush=True)
            # Warm, in this process: the index alone (no start-up), and plain BM25.
            entries = [KbEntry(str(i), t) for i, t in enumerate(texts[:size])]
            questions = texts[-QUESTIONS[0]:]
            index = Index(entries, ATEC_DICTIONARY)
            index.suggest("预热")
            c0 = time.process_time()
            index.rank_many(questions, top=3)
            ours = time.process_time() - c0
            bm25 = PlainBM25([e.question for e in entries])
            c1 = time.process_time()
            for q in questions:
                bm25.scores(q).argsort()[-3:]
            base = time.process_time() - c1
            warm_rows.append(f"| {size:,} | {len(questions) / ours:,.0f} | {len(questions) / base:,.0f} |")
            print(warm_rows[-1], flush=True)
    return "\n".join([
        "## Knowledge base: suggestions per second",
        "",
        f"Command: `{COMMAND}` (run by `make bench`). `inhouse kb suggest` as a user runs it, in a",
        "fresh process on one core (`taskset -c 0`), start-up included: Python, jieba's",
        "dictionary, the models, indexing the KB, answering every question (no Django set-up:",
        "`kb suggest` does not need it). atec_afqmc train questions against a KB of other train",
        "questions. Per second of the process's CPU time (user + system; what one core spends)",
        "and of wall-clock time (on a shared machine it includes waiting for other processes).",
        "jieba's dictionary comes from a bucket file built by the first run on a machine: that run",
        f"(1 question, 1 entry) took {first_cpu:.1f} s of CPU, the next {again_cpu:.2f} s.",
        "",
        "| KB entries | questions | /s of CPU, start-up incl. | /s wall, start-up incl. | CPU | wall |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Load average (1 min) when the runs ended: {os.getloadavg()[0]:.1f} — above 1, other work",
        "shared the two cores and the figures are low (CPU time too: caches are shared).",
        "",
        "Warm (index built, in-process CPU time, 2,000 questions), beside plain BM25 over jieba",
        "tokens in Python:",
        "",
        "| KB entries | kb suggest /s | plain BM25 /s |",
        "|---|---|---|",
        *warm_rows,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.data / "atec_afqmc").is_dir():
        print(f"skipped: no data at {args.data}", file=sys.stderr)
        return 0
    write_section("kb-bench", run(args.data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
