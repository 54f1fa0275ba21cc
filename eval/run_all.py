"""`make eval`: every evaluation on the dev splits of ../shared/data, in turn.

Each eval_*.py writes its own section of docs/benchmarks.md with the command behind it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bench"))

from run_all import run_scripts  # noqa: E402 - bench/run_all.py, the same runner

if __name__ == "__main__":
    sys.exit(run_scripts(HERE, "eval_"))
