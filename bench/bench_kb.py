"""Knowledge-base suggestions per second on one core, against plain BM25 in the same run.

A 1,000-entry KB (and the issue's 6,000-entry one) from atec_afqmc TRAIN questions; questions
are other train questions. Start-up (loading models, jieba, building the index) is reported
separately and included in the end-to-end figure. Writes the `kb-bench` section.

    .venv/bin/python bench/bench_kb.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "src"))

from report import write_section  # noqa: E402

COMMAND = ".venv/bin/python bench/bench_kb.py"
N_QUESTIONS = 2000


def run(data: Path) -> str:
    from eval_kb import PlainBM25

    from inhouse.knowledge.retrieval import Index, KbEntry
    from inhouse.knowledge.retrieval.pairs import read_pairs
    from inhouse.knowledge.retrieval.train import ATEC_DICTIONARY

    pairs = read_pairs(data, "atec_afqmc", "train")
    texts = list(dict.fromkeys(t for a, b, _ in pairs for t in (b, a)))
    questions = texts[-N_QUESTIONS:]
    rows = []
    for size in (1000, 6000):
        entries = [KbEntry(str(i), t) for i, t in enumerate(texts[:size])]
        t1 = time.perf_counter()
        index = Index(entries, ATEC_DICTIONARY)
        index.suggest("预热")  # loads jieba and the models
        build = time.perf_counter() - t1
        t2 = time.perf_counter()
        index.rank_many(questions, top=3)
        ours = time.perf_counter() - t2
        t3 = time.perf_counter()
        bm25 = PlainBM25([e.question for e in entries])
        bm25_build = time.perf_counter() - t3
        t4 = time.perf_counter()
        for q in questions:
            bm25.scores(q).argsort()[-3:]
        base = time.perf_counter() - t4
        rows.append(f"| {size:,} | kb suggest | {len(questions) / ours:,.0f} | {build:.2f} s | "
                    f"{len(questions) / (ours + build):,.0f} |")
        rows.append(f"| | plain BM25 (jieba, Python) | {len(questions) / base:,.0f} | {bm25_build:.2f} s | "
                    f"{len(questions) / (base + bm25_build):,.0f} |")
        print(rows[-2], rows[-1], sep="\n", flush=True)
    return "\n".join([
        "## Knowledge base: suggestions per second",
        "",
        f"Command: `{COMMAND}` (run by `make bench`). One process, one core; {N_QUESTIONS:,} atec_afqmc",
        "train questions against a KB of other train questions. Start-up = building the index,",
        "jieba and the models loaded (the first KB pays jieba's load; the second reuses it).",
        "",
        "| KB entries | method | questions/s (warm) | start-up | questions/s incl. start-up |",
        "|---|---|---|---|---|",
        *rows,
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
