"""`inhouse fake-weibo`: serve the local fake of the Weibo Open API from a scenario."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError

from inhouse.pipeline.records import RecordError, parse_time
from inhouse.sources.fake_weibo import (
    FakeConfig,
    FakeWeibo,
    Faults,
    ScenarioClock,
    from_records,
    load,
)
from inhouse.sources.fake_weibo.live import (
    DEFAULT_SPEED,
    DEFAULT_SYNC_INTERVAL,
    default_clock_start,
    prepare_desk,
)
from inhouse.sources.fake_weibo.messages import Pusher


class Command(BaseCommand):
    help = ("Serve a fake Weibo Open API (v2 + biz + OAuth2) from a JSONL scenario of records, "
            "with a clock that can run fast and seeded fault injection. See docs/connector.md.")

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True,
                            help='JSONL file of inhouse records, or "demo" for the demo week')
        parser.add_argument("--port", type=int, default=8900)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--speed", type=float, default=1.0,
                            help="scenario seconds per real second (60 = a minute per second; 0 = frozen)")
        parser.add_argument("--start", default="",
                            help="scenario time to start at (ISO 8601; default: the first item)")
        parser.add_argument("--owner", default=None, help="uid of the official account (default: guessed)")
        parser.add_argument("--token", default="fake-token",
                            help="a ready token for the owner, so a desk can sync without OAuth")
        parser.add_argument("--faults", default="", help='e.g. "rate_limit:0.1,5xx:0.1,expired_token:once"')
        parser.add_argument("--seed", type=int, default=0, help="seed for fault injection")
        parser.add_argument("--timeline-limit", type=int, default=5,
                            help="user_timeline shows only the latest N posts (0 = no limit)")
        parser.add_argument("--user-limit", type=int, default=150, help="calls per user per hour")
        parser.add_argument("--authorised-only", action="store_true",
                            help="mentions/comments/reposts only from users who authorised the app")
        parser.add_argument("--no-rip-required", action="store_true",
                            help="accept share/update/biz writes without the operator's IP")
        parser.add_argument("--push-url", default="",
                            help="push customers' private messages here (signed with the app secret) "
                                 "as the clock reaches them")
        live = parser.add_argument_group("live demo (with --scenario demo)")
        live.add_argument("--live", action="store_true",
                          help="also load the demo week up to the clock's start and run the desk "
                               "syncing from this fake (docs/connector.md)")
        live.add_argument("--desk-port", type=int, default=8000)
        live.add_argument("--sync-interval", type=int, default=DEFAULT_SYNC_INTERVAL,
                          help="real seconds between syncs")
        live.add_argument("--demo-seed", type=int, default=2026, help="demo week seed")
        live.add_argument("--no-analyze", action="store_true",
                          help="load the history without analysing it first (faster start)")

    def handle(self, *args, **o):
        demo = o["scenario"] == "demo"
        if o["live"] and not demo:
            raise CommandError("--live plays the demo week: use it with --scenario demo")
        try:
            faults = Faults.parse(o["faults"], seed=o["seed"])
            start = parse_time(o["start"]) if o["start"] else None
            prepared = None
            if demo:
                from inhouse.sources.demo.week import default_start

                week = default_start()
                start = start or default_clock_start(week)
                if o["live"]:
                    self.stdout.write("loading the demo week up to the fake's start "
                                      f"({start.isoformat()}) ...")
                    prepared = prepare_desk(week, start, o["token"], seed=o["demo_seed"],
                                            analyze=not o["no_analyze"])
                    records = prepared.records
                else:
                    from inhouse.sources.demo.week import generate

                    records = generate(seed=o["demo_seed"], start=week).records
                scenario = from_records(records, o["owner"])
            else:
                scenario = load(o["scenario"], o["owner"])
        except (OSError, ValueError, RecordError) as exc:
            raise CommandError(str(exc)) from exc
        for warning in scenario.warnings:
            self.stderr.write(f"warning: {warning}")
        if o["live"] and o["speed"] == 1.0:
            o["speed"] = DEFAULT_SPEED
        config = FakeConfig(timeline_limit=o["timeline_limit"] or None, user_limit=o["user_limit"],
                            authorised_only=o["authorised_only"],
                            rip_required=not o["no_rip_required"])
        fake = FakeWeibo(scenario, config=config, faults=faults)
        fake.clock = ScenarioClock(start or fake.clock.now(), speed=o["speed"])
        fake.issue_token(token=o["token"])
        self.stdout.write(
            f"fake Weibo API on http://{o['host']}:{o['port']} (set WEIBO_API_BASE to it)\n"
            f"  owner uid {scenario.owner_uid} ({scenario.owner_name}), token {o['token']}\n"
            f"  {len(scenario.statuses)} statuses, {len(scenario.comments)} comments; clock "
            f"{fake.clock.now().isoformat()} at x{o['speed']:g}; faults: {o['faults'] or 'none'}")
        from waitress import serve

        logging.getLogger("waitress").setLevel(logging.WARNING)
        push_url = o["push_url"]
        if prepared is not None and not push_url:
            push_url = f"http://127.0.0.1:{o['desk_port']}/fanservice/{prepared.account_id}/"
        pusher = None
        if push_url:
            pusher = Pusher(fake, push_url)
            pusher.start()
            self.stdout.write(f"  pushing private messages to {push_url}")
        if prepared is None:
            try:
                serve(fake, host=o["host"], port=o["port"], threads=4, ident="fake-weibo")
            finally:
                if pusher:
                    pusher.stop()
            return
        self._run_live(fake, o, pusher)

    def _run_live(self, fake: FakeWeibo, o: dict, pusher: Pusher | None) -> None:
        """Serve the fake in a thread and the desk (with its worker and beat) as a child."""
        import threading

        from waitress.server import create_server

        server = create_server(fake, host=o["host"], port=o["port"], threads=4, ident="fake-weibo")
        threading.Thread(target=server.run, name="fake-weibo", daemon=True).start()
        env = dict(os.environ, WEIBO_API_BASE=f"http://{o['host']}:{o['port']}",
                   WEIBO_SYNC_INTERVAL=str(o["sync_interval"]),
                   WEIBO_APP_KEY=fake.config.client_id, WEIBO_APP_SECRET=fake.config.client_secret)
        self.stdout.write(f"the desk syncs from the fake every {o['sync_interval']} s; "
                          f"the clock runs x{o['speed']:g} from {fake.clock.now().isoformat()}")
        desk = subprocess.Popen([sys.executable, "-m", "inhouse", "run", "--port", str(o["desk_port"])],
                                env=env)
        try:
            desk.wait()
        except KeyboardInterrupt:
            desk.send_signal(signal.SIGINT)
            desk.wait(timeout=30)
        finally:
            if pusher:
                pusher.stop()
            server.close()


