"""`inhouse analyze [--input FILE] ...`: the JSONL analysis of issue 3 (no database, no network).

The same code as `inhouse nlp analyze` and `python -m inhouse.nlp analyze`; options are owned
by inhouse.nlp.cli, so every spelling accepts exactly the same command line.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Sentiment, emotion, intent, topics and duplicates for JSONL {\"id\", \"text\"} lines; "
            "see `inhouse analyze --help`.")

    def run_from_argv(self, argv: list[str]) -> None:
        # skips Django's system checks and database: analysis is pure text work
        from inhouse.nlp.cli import main

        sys.exit(main(["analyze", *argv[2:]], prog="inhouse"))

    def add_arguments(self, parser):
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def handle(self, *args, **options):  # reached through call_command only
        from inhouse.nlp.cli import main

        code = main(["analyze", *args])
        if code:
            raise CommandError(f"inhouse analyze exited with {code}")
