"""`inhouse kb`: knowledge-base suggestions over files, no database.

    inhouse kb suggest --kb KB.csv --input QUESTIONS.jsonl [--top K] [--dictionary WORDS.txt]
    inhouse kb train [--data ../shared/data]     # rebuild the shipped re-ranker
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

BATCH = 1000


def _open(path: str):
    if path == "-":
        return sys.stdin
    try:
        return Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from exc


class Command(BaseCommand):
    help = "Knowledge-base suggestions from files (no database), and training the re-ranker."
    requires_system_checks: list = []  # works without a database

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("suggest", help="suggest KB entries for each question of a JSONL file")
        s.add_argument("--kb", required=True, help="CSV with columns id, question, answer "
                       "(optional: variants and tags separated by |, valid_until)")
        s.add_argument("--input", required=True, help='JSONL, one {"id": ..., "text": ...} per line; - for stdin')
        s.add_argument("--top", type=int, default=3, help="suggestions per question (default 3)")
        s.add_argument("--dictionary", help="file of words to keep whole (product names), one per line")
        s.add_argument("--threshold", type=float, help="minimum confidence (default: the shipped model's)")
        t = sub.add_parser("train", help="rebuild the re-ranker from the question-matching TRAIN pairs")
        t.add_argument("--data", default=str(Path.cwd().parent / "shared" / "data"),
                       help="folder holding atec_afqmc/ and lcqmc/")

    def handle(self, *args, action: str, **options):
        if action == "train":
            from inhouse.knowledge.retrieval.train import train

            train(Path(options["data"]), log=self.stdout.write)
            return
        self._suggest(**options)

    def _suggest(self, *, kb: str, input: str, top: int, dictionary: str | None,
                 threshold: float | None, **_):
        from inhouse.knowledge.retrieval import Index
        from inhouse.knowledge.retrieval.files import Question, read_kb_csv, read_questions

        if top < 1:
            raise CommandError("--top must be at least 1")
        with _open(kb) as fh:
            rows, errors = read_kb_csv(fh, kb)
        for e in errors:
            self.stderr.write(str(e))
        if not rows:
            raise CommandError(f"{kb}: no usable entry; nothing to suggest from")
        words = []
        if dictionary:
            with _open(dictionary) as fh:
                words = [w.strip() for w in fh if w.strip()]
        index = Index([r.entry for r in rows], words, threshold=threshold)
        bad = len(errors)
        batch: list[Question] = []
        with _open(input) as fh:
            for q in read_questions(fh, "<stdin>" if input == "-" else input):
                if isinstance(q, Question):
                    batch.append(q)
                    if len(batch) >= BATCH:
                        self._flush(index, batch, top)
                        batch = []
                else:
                    self.stderr.write(str(q))
                    bad += 1
            self._flush(index, batch, top)
        if bad:
            raise SystemExit(1)

    def _flush(self, index, batch, top: int) -> None:
        if not batch:
            return
        ranked = index.rank_many([q.text for q in batch], top=top)
        out = sys.stdout
        for q, suggestions in zip(batch, ranked, strict=True):
            out.write(json.dumps({"id": q.id, "suggestions": [
                {"kb_id": s.entry_id, "score": s.score} for s in suggestions]}, ensure_ascii=False) + "\n")
        out.flush()
