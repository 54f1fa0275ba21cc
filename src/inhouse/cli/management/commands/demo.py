"""`inhouse demo load|export`: the demo week (see docs/demo.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DESK_URL = "http://127.0.0.1:8000/"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--start {value!r}: expected a date like 2026-11-20") from None


class Command(BaseCommand):
    help = "Load the demo week into the database, or export it as records.jsonl and truth.json."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("load", "create the demo workspace and users, ingest and analyse the week"),
                           ("export", "write records.jsonl and truth.json (no database needed)")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--seed", type=int, default=2026, help="same seed and start give the same week")
            p.add_argument("--start", type=_date, default=None,
                           help="first day (YYYY-MM-DD); default: the week ending today (Asia/Shanghai)")
            p.add_argument("--scale", type=float, default=1.0, help="crowd size factor (1.0 is about 20,000 items)")
            if name == "load":
                p.add_argument("--no-analyze", action="store_true",
                               help="store only; the background worker analyses later")
                p.add_argument("--refresh", action="store_true",
                               help="send every record through ingest again, not only missing ones")
            if name == "export":
                p.add_argument("--out", required=True, help="directory to write into (created if missing)")

    def handle(self, *args, action: str, seed: int, start: dt.date | None, scale: float, **options):
        if action == "export":
            self._export(seed, start, scale, Path(options["out"]))
        else:
            self._load(seed, start, scale, not options.get("no_analyze"), options.get("refresh", False))

    def _export(self, seed, start, scale, out: Path) -> None:
        from inhouse.sources.demo import generate

        scenario = generate(seed=seed, start=start, scale=scale)
        out.mkdir(parents=True, exist_ok=True)
        (out / "records.jsonl").write_text(scenario.to_jsonl(), encoding="utf-8")
        (out / "truth.json").write_text(scenario.truth_json(), encoding="utf-8")
        self.stdout.write(f"{len(scenario.records)} records from {scenario.start} (seed {seed}) "
                          f"written to {out / 'records.jsonl'} and {out / 'truth.json'}")

    def _load(self, seed, start, scale, analyze: bool, refresh: bool) -> None:
        from inhouse.sources.demo.load import load_demo

        result = load_demo(start=start, seed=seed, scale=scale, analyze=analyze, refresh=refresh)
        if result.rejected:
            raise CommandError(f"{result.rejected} demo records were rejected by ingest: a bug, please report it")
        t = result.timings
        held = f", {result.skipped_future} later today held back" if result.skipped_future else ""
        held += f", {result.unchanged} already there" if result.unchanged else ""
        held += f", {result.replaced} of an earlier demo week removed" if result.replaced else ""
        self.stdout.write(
            f"demo week {result.scenario.start} .. {result.scenario.start + dt.timedelta(days=6)}: "
            f"{result.created} items created, {result.updated} updated{held} "
            f"(generate {t.get('generate', 0):.1f}s, ingest {t.get('ingest', 0):.1f}s, "
            f"analyze {t.get('analyze', 0):.1f}s, route {t.get('route', 0):.1f}s)"
        )
        self.stdout.write(f"\nOpen the desk: {DESK_URL}  (start it with `inhouse run`)\n")
        for login in result.logins:
            self.stdout.write(f"  {login.role:<9} {login.username:<15} {login.password}")
