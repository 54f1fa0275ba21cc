"""NLP evaluation (`make eval`): figures on the dev splits into docs/benchmarks.md.

Usage: .venv/bin/python eval/run_all.py [--data DIR] [--dry-run]

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

import nlp_eval  # noqa: E402

from inhouse.nlp.data import default_data_dir  # noqa: E402

BENCHMARKS = HERE.parent / "docs" / "benchmarks.md"


def replace_section(path: Path, tag: str, body: str) -> None:
    """Put ``body`` between the tag's start/end comments, appending the section if absent."""
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks and evaluations\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


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
        "Command: `.venv/bin/python eval/run_all.py` (run by `make eval`); models "
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
        replace_section(BENCHMARKS, "nlp-eval", body)
        print(f"written to {BENCHMARKS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
