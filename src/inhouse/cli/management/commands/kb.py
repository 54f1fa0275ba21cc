"""`inhouse kb`: knowledge-base suggestions over files, no database (the work is in
`inhouse.knowledge.retrieval.command`, which `inhouse kb suggest` runs without Django).

    inhouse kb suggest --kb KB.csv --input QUESTIONS.jsonl [--top K] [--dictionary WORDS.txt]
    inhouse kb train [--data ../shared/data] [--reranker-only]   # rebuild the shipped models
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Knowledge-base suggestions from files (no database), and training the re-ranker."
    requires_system_checks: list = []  # works without a database

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        from inhouse.knowledge.retrieval.command import add_arguments

        add_arguments(sub.add_parser("suggest", help="suggest KB entries for each question of a JSONL file"))
        t = sub.add_parser("train", help="rebuild the re-ranker from the question-matching TRAIN pairs")
        t.add_argument("--data", default=str(Path.cwd().parent / "shared" / "data"),
                       help="folder holding atec_afqmc/ and lcqmc/")
        t.add_argument("--reranker-only", action="store_true",
                       help="keep the shipped lexical matcher; rebuild the re-ranker alone")

    def handle(self, *args, action: str, **options):
        if action == "train":
            from inhouse.knowledge.retrieval.train import train

            train(Path(options["data"]), log=self.stdout.write, reranker_only=options["reranker_only"])
            return
        self._suggest(**options)

    def _suggest(self, *, kb: str, input: str, top: int, dictionary: str | None,
                 threshold: float | None, **_):
        # The same function `inhouse kb suggest` runs before Django is set up (inhouse.cli).
        from inhouse.knowledge.retrieval.command import UsageError, suggest

        try:
            status = suggest(kb=kb, input=input, top=top, dictionary=dictionary, threshold=threshold,
                             out=self.stdout, err=self.stderr)
        except UsageError as exc:
            raise CommandError(str(exc)) from exc
        if status:
            raise SystemExit(status)
