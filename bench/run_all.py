"""`make bench`: run every benchmark script under bench/ in turn (eval/run_all.py reuses it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_scripts(folder: Path, prefix: str) -> int:
    """Run each `<prefix>*.py` in ``folder`` with this interpreter; 1 if any failed."""
    failed = []
    for script in sorted(folder.glob(f"{prefix}*.py")):
        print(f"== {script.name}", flush=True)
        if subprocess.call([sys.executable, str(script)]) != 0:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_scripts(HERE, "bench_"))
