"""`inhouse fake-weibo`: serve the local fake of the Weibo Open API from a scenario."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError

from inhouse.pipeline.records import RecordError, parse_time
from inhouse.sources.fake_weibo import FakeConfig, FakeWeibo, Faults, ScenarioClock, load


class Command(BaseCommand):
    help = ("Serve a fake Weibo Open API (v2 + biz + OAuth2) from a JSONL scenario of records, "
            "with a clock that can run fast and seeded fault injection. See docs/connector.md.")

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True, help="JSONL file of inhouse records")
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

    def handle(self, *args, **o):
        try:
            scenario = load(o["scenario"], o["owner"])
            faults = Faults.parse(o["faults"], seed=o["seed"])
            start = parse_time(o["start"]) if o["start"] else None
        except (OSError, ValueError, RecordError) as exc:
            raise CommandError(str(exc)) from exc
        for warning in scenario.warnings:
            self.stderr.write(f"warning: {warning}")
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
        serve(fake, host=o["host"], port=o["port"], threads=4, ident="fake-weibo")


