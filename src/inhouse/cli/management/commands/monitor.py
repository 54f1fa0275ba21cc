"""`inhouse monitor replay --rules RULES.yaml --input STREAM.jsonl`: alerts as JSONL.

No database and no network: the rules and the stream are all it reads (docs/monitoring.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inhouse.monitoring.replay import RulesError, StreamError, replay


class Command(BaseCommand):
    help = "Public-opinion monitoring from the command line: 'replay' a stream through rules."
    requires_system_checks: list[str] = []  # no database touched; start fast

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rp = sub.add_parser("replay", help="read items sorted by event time, write one JSON line per alert")
        rp.add_argument("--rules", required=True, help="RULES.yaml: topics: [{name, query}, ...]")
        rp.add_argument("--input", default="-", help="JSONL stream sorted by event time ('-' = stdin)")
        rp.add_argument("--output", default="-", help="where alerts go ('-' = stdout)")
        rp.add_argument("--no-nlp", action="store_true",
                        help="do not analyse texts: items without a 'sentiment' field count as "
                             "not negative")

    def handle(self, *args, action: str, **opts):
        rules_path = Path(opts["rules"])
        try:
            rules = rules_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{rules_path}: {exc.strerror}") from exc
        source = opts["input"]
        try:
            stream = sys.stdin if source == "-" else Path(source).open(encoding="utf-8-sig")
            out = sys.stdout if opts["output"] == "-" else Path(opts["output"]).open("w", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror}") from exc
        try:
            with stream:
                sentiment = (lambda texts: [False] * len(texts)) if opts["no_nlp"] else None
                count = replay(rules, stream, out, sentiment=sentiment)
        except RulesError as exc:
            raise CommandError(f"{rules_path}: {exc}") from exc
        except StreamError as exc:
            raise CommandError(f"{'<stdin>' if source == '-' else source}: {exc}") from exc
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{count} alert(s)")
