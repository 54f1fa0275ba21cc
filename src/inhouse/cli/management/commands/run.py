"""`inhouse run`: serve the web desk with the background worker and beat alongside."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web desk (waitress) with a Celery worker and beat in a child process."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("INHOUSE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("INHOUSE_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true",
            help="serve the web desk only (production runs workers and beat separately)",
        )
        parser.add_argument("--migrate", action="store_true", help="apply migrations first")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, migrate: bool, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        # SIGTERM (systemd, docker stop, CI) must run the finally below so the worker stops too.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        worker = None if no_worker else start_worker(self.stdout)
        from waitress import serve

        from inhouse.wsgi import application

        self.stdout.write(f"inhouse desk at http://{host}:{port}/  (Ctrl+C stops)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="inhouse")
        finally:
            if worker is not None:
                stop_worker(worker)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def start_worker(out=None) -> subprocess.Popen:
    """Start `celery worker -B` on the configured broker as a child of this process."""
    from inhouse.worker import _prepare_filesystem_broker

    _prepare_filesystem_broker()  # the web process sends to the same folders
    cmd = [
        sys.executable, "-m", "celery", "-A", "inhouse.worker", "worker", "--beat",
        "--pool", "solo", "--loglevel", "INFO",
        "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ]
    proc = subprocess.Popen(cmd, start_new_session=True)
    atexit.register(stop_worker, proc)
    if out is not None:
        out.write(f"background worker and beat started (pid {proc.pid}, broker {settings.CELERY_BROKER_URL.split('://')[0]})")
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
