"""`inhouse nlp analyze|segment|train ...`: thin wrapper over inhouse.nlp.cli (no database)."""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Chinese text analysis over JSONL, and model training; see `inhouse nlp --help`."

    def run_from_argv(self, argv: list[str]) -> None:
        # argparse in inhouse.nlp.cli owns the options, so `inhouse nlp` and
        # `python -m inhouse.nlp` accept exactly the same command line
        from inhouse.nlp.cli import main

        if argv[2:4] == ["train", "intent"]:  # the intent model has its own trainer
            from inhouse.nlp.intent_train import main as train_intent

            sys.exit(train_intent(argv[4:]))
        sys.exit(main(argv[2:]))

    def add_arguments(self, parser):
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def handle(self, *args, **options):  # reached through call_command only
        from inhouse.nlp.cli import main

        code = main(list(args))
        if code:
            raise CommandError(f"inhouse nlp exited with {code}")
