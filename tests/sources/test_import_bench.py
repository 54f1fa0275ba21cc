"""The import benchmark runs end to end on a small file (the real run is `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_benchmark_runs_on_a_small_file(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_import.py"), "--lines", "300", "--one-size", "--no-postgres", "--no-docs"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "baseline json.loads" in out.stdout
    assert out.stdout.count("SQLite") == 1 and "items/s" in out.stdout
