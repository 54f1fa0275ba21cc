"""`inhouse nlp ...` / `python -m inhouse.nlp ...`: the analyses over JSONL, and training.

  analyze  [--input FILE] [--dictionary WORDS] [--batch N]   JSONL {"id","text"} → results
  segment  [--input FILE] [--dictionary WORDS]               JSONL {"id","text"} → tokens
  train    sentiment|emotion|all [--data DIR] [--quick]       rebuild the shipped models

Output lines are in input order. A line that is not JSON or has no string ``text`` gets
``{"id": ..., "error": "line N: ..."}`` and the run goes on; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO


def _records(stream: TextIO) -> Iterator[tuple[int, Any, str | None, str | None]]:
    """(line number, id, text, error) for each non-blank line."""
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield line_no, None, None, f"line {line_no}: not valid JSON ({exc.msg})"
            continue
        except (ValueError, RecursionError) as exc:  # an integer of > 4300 digits; nesting too deep
            yield line_no, None, None, f"line {line_no}: not valid JSON ({'nested too deeply' if isinstance(exc, RecursionError) else exc})"
            continue
        if not isinstance(obj, dict):
            yield line_no, None, None, f"line {line_no}: expected a JSON object"
            continue
        text = obj.get("text")
        if not isinstance(text, str):
            yield line_no, obj.get("id"), None, f"line {line_no}: no string field 'text'"
            continue
        yield line_no, obj.get("id"), text, None


def _batched(stream: TextIO, size: int) -> Iterator[list[tuple[int, Any, str | None, str | None]]]:
    batch = []
    for rec in _records(stream):
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_jsonl(stream: TextIO, out: TextIO, size: int,
               handle: Callable[[list[str], list[Any]], Iterable[dict[str, Any]]]) -> int:
    failed = False
    for batch in _batched(stream, size):
        good = [(rid, text) for _, rid, text, err in batch if err is None]
        results = iter(handle([t for _, t in good], [rid for rid, _ in good]))
        for _, rid, _, err in batch:
            row = {"id": rid, "error": err} if err else next(results)
            failed |= bool(err)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failed else 0


def _dictionary(arg: str | None) -> list[str]:
    """Comma-separated names, or @FILE with one name a line."""
    if not arg:
        return []
    if arg.startswith("@"):
        return [w.strip() for w in Path(arg[1:]).read_text(encoding="utf-8").splitlines() if w.strip()]
    return [w.strip() for w in arg.split(",") if w.strip()]


def cmd_analyze(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from inhouse.nlp.api import analyze_batch

    dictionary = _dictionary(args.dictionary)
    first_of_key: dict[str, Any] = {}  # dup_of: the first id seen with the same key, whole run

    def handle(texts: list[str], ids: list[Any]) -> Iterator[dict[str, Any]]:
        results, keys = analyze_batch(texts, dictionary)
        for rid, res, key in zip(ids, results, keys, strict=True):
            dup_of = first_of_key.setdefault(key, rid) if key else None
            yield {"id": rid, "sentiment": res.sentiment, "p_positive": res.p_positive,
                   "emotion": res.emotion, "intent": res.intent, "intent_rule": res.intent_rule,
                   "topics": list(res.topics), "dup_key": key,
                   "dup_of": None if dup_of == rid else dup_of}

    return _run_jsonl(_open(args.input, stdin), stdout, args.batch, handle)


def cmd_segment(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from inhouse.nlp.segmenter import segment_many

    dictionary = _dictionary(args.dictionary)

    def handle(texts: list[str], ids: list[Any]) -> Iterator[dict[str, Any]]:
        for rid, tokens in zip(ids, segment_many(texts, dictionary), strict=True):
            yield {"id": rid, "tokens": tokens}

    return _run_jsonl(_open(args.input, stdin), stdout, args.batch, handle)


def cmd_train(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from inhouse.nlp import train
    from inhouse.nlp.data import default_data_dir

    data = Path(args.data) if args.data else default_data_dir()
    if not data.is_dir():
        print(f"error: shared data folder {data} not found (use --data or INHOUSE_SHARED_DATA)",
              file=sys.stderr)
        return 2
    figures = {}
    if args.model in ("sentiment", "all"):
        figures["sentiment"] = train.train_sentiment(data, quick=args.quick)
    if args.model in ("emotion", "all"):
        figures["emotion"] = train.train_emotion(data, quick=args.quick)
    stdout.write(json.dumps(figures, indent=1) + "\n")
    return 0


def _open(path: str | None, stdin: TextIO) -> TextIO:
    if path in (None, "-"):
        return stdin
    return Path(path).open(encoding="utf-8-sig")


def build_parser(prog: str = "inhouse nlp") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, helptext in (("analyze", cmd_analyze, "sentiment, emotion, intent, duplicates"),
                                 ("segment", cmd_segment, "jieba words, dictionary names whole")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--input", help="JSONL file (default: standard input)")
        p.add_argument("--dictionary", help="names to keep whole: 'a,b,c' or @file (one a line)")
        p.add_argument("--batch", type=int, default=2000, help="texts per batch (default 2000)")
        p.set_defaults(func=func)
    p = sub.add_parser("train", help="rebuild the shipped models from the shared data")
    p.add_argument("model", choices=("sentiment", "emotion", "all"))
    p.add_argument("--data", help="shared data folder (default: $INHOUSE_SHARED_DATA or ../shared/data)")
    p.add_argument("--quick", action="store_true", help="one grid point each (for tests)")
    p.set_defaults(func=cmd_train)
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, prog: str | None = None) -> int:
    """Run one sub-command; ``prog`` is the spelling shown in --help (`inhouse` for `inhouse analyze`)."""
    args = build_parser(prog or "inhouse nlp").parse_args(argv)
    try:
        return args.func(args, stdin or sys.stdin, stdout or sys.stdout)
    except BrokenPipeError:  # `... | head` is fine
        return 0
    except (OSError, RuntimeError) as exc:  # ModelFileError, unreadable --input
        print(f"error: {exc}", file=sys.stderr)
        return 2
