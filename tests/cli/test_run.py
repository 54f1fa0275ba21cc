"""`inhouse run` serves the desk and runs the worker beside it, and stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        pytest.skip("needs Linux /proc to see child processes")
    return [int(p) for p in path.read_text().split()]


def test_run_serves_the_desk_with_its_worker_and_stops_both(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
           "INHOUSE_DATA_DIR": str(tmp_path), "CELERY_BROKER_URL": "filesystem://"}
    log = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "inhouse", "run", "--migrate", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as resp:
                    status = resp.status
                    body = resp.read().decode()
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, (tmp_path / "run.log").read_text()
        assert "csrfmiddlewaretoken" in body
        workers = _children(proc.pid)
        assert len(workers) == 1, "the worker runs as the desk's child"
        worker = workers[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and Path(f"/proc/{worker}").exists():
        state = Path(f"/proc/{worker}/stat").read_text().split()[2] if Path(f"/proc/{worker}/stat").exists() else "X"
        if state == "Z":
            break
        time.sleep(0.2)
    alive = Path(f"/proc/{worker}/stat").exists() and Path(f"/proc/{worker}/stat").read_text().split()[2] != "Z"
    assert not alive, "stopping the desk stops its worker"
