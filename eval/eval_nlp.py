"""NLP evaluation (`make eval`): figures on the dev splits into docs/benchmarks.md.

Usage: .venv/bin/python eval/eval_nlp.py [--data DIR] [--dry-run]

Writes only the section between <!-- nlp-eval:start --> and <!-- nlp-eval:end -->; other
sections belong to other commands. Peer tools come from the `eval` extra
(pip install -e '.[eval]'); a peer that is not installed is named as such in the table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "bench"))

import nlp_eval  # noqa: E402
from report import write_section  # noqa: E402

from inhouse.nlp.data import default_data_dir  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the docs")
    args = parser.parse_args()
    data = args.data or default_data_dir()
    if not data.is_dir():
        print(f"skipped: shared data not found at {data} (set INHOUSE_SHARED_DATA)")
        return 0
    started = time.time()
    rows = []
    for part in (nlp_eval.sentiment_rows, nlp_eval.emotion_rows):
        rows += part(data)
        print(f"  {part.__name__} done", flush=True)
    neutral, notes = nlp_eval.neutral_rows(data)
    rows += neutral + nlp_eval.intent_rows() + nlp_eval.dedupe_rows(data)
    from inhouse.nlp.api import models_version

    lines = [
        "## NLP accuracy (dev splits)",
        "",
        "Command: `.venv/bin/python eval/eval_nlp.py` (run by `make eval`); models "
        f"`{models_version()}`; {platform.python_implementation()} {platform.python_version()}; "
        f"whole run {time.time() - started:.0f} s. texts/s: one process, batch of the whole split, "
        "on a shared machine (see `bench/bench_nlp.py` for speed).",
        "",
        "| test | method | figure | texts/s |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "Neutral rule (p_positive inside the band and emotion model says neutral), 3-class "
        "SMP2020 dev:",
        "",
        *[f"- {n}" for n in notes],
    ]
    body = "\n".join(lines)
    print(body)
    if not args.dry_run:
        write_section("nlp-eval", body)
        print("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
