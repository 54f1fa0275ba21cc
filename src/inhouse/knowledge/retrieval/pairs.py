"""Question-matching pairs (atec_afqmc, lcqmc) turned into a retrieval test, and its metrics.

The test the issue asks for: a knowledge base of the gold questions of same-meaning pairs plus
as many distractor questions, asked with the other side of each pair. Used by training (train
split), ``eval/eval_kb.py`` (dev split) and the data test; nothing here reads the held-out part.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from inhouse.knowledge.retrieval.index import KbEntry

# Column names per data set: (left, right, label).
COLUMNS = {"atec_afqmc": ("query0", "query1", "label"), "lcqmc": ("text_a", "text_b", "label")}


def read_pairs(data_dir: Path, name: str, split: str) -> list[tuple[str, str, int]]:
    left, right, label = COLUMNS[name]
    with (data_dir / name / f"{split}.csv").open(encoding="utf-8", newline="") as fh:
        return [(r[left].strip(), r[right].strip(), int(r[label])) for r in csv.DictReader(fh)]


@dataclass
class PairTest:
    entries: list[KbEntry]
    queries: list[str]
    gold: list[frozenset[str]]  # for each query, the ids of entries that mean the same


def build_test(pairs: Sequence[tuple[str, str, int]], n_gold: int, seed: int = 20240611) -> PairTest:
    """``n_gold`` gold entries (right side of positive pairs) + as many distractors."""
    same: dict[str, set[str]] = defaultdict(set)
    for a, b, y in pairs:
        if y == 1 and a != b:
            same[a].add(b)
            same[b].add(a)
    golds = sorted({b for a, b, y in pairs if y == 1 and a != b})
    rng = random.Random(seed)
    rng.shuffle(golds)
    golds = golds[:n_gold]
    gold_set = set(golds)
    asked = {a for a, b, y in pairs if y == 1 and b in gold_set}
    # Distractors: questions from different-meaning pairs, neither gold nor asked nor a
    # paraphrase of anything asked (so a "wrong" hit is really wrong, as far as labels tell).
    pool = sorted({t for a, b, y in pairs if y == 0 for t in (b, a)}
                  - gold_set - asked - {p for q in asked for p in same[q]})
    rng.shuffle(pool)
    texts = golds + pool[:len(golds)]
    entries = [KbEntry(id=f"kb{i}", question=t) for i, t in enumerate(texts)]
    id_of = {e.question: e.id for e in entries}
    queries = sorted(asked)
    rng.shuffle(queries)
    gold = [frozenset(id_of[p] for p in same[q] if p in id_of) for q in queries]
    return PairTest(entries, queries, gold)


@dataclass
class Metrics:
    top1: float
    top3: float
    mrr: float
    coverage: float  # share of questions with a suggestion above the threshold
    precision: float  # share of those whose first suggestion is right
    n: int


def evaluate(rank: Callable[[list[str]], list[list[tuple[str, float]]]], test: PairTest,
             threshold: float | None = None) -> Metrics:
    """``rank`` maps questions to ranked (entry id, score) lists, best first (10 or more)."""
    ranked = rank(test.queries)
    top1 = top3 = rr = shown = right_shown = 0.0
    for lst, gold in zip(ranked, test.gold, strict=True):
        ids = [i for i, _ in lst[:10]]
        hit = next((k for k, i in enumerate(ids) if i in gold), None)
        top1 += hit == 0
        top3 += hit is not None and hit < 3
        rr += 1 / (hit + 1) if hit is not None else 0
        if threshold is not None and lst and lst[0][1] >= threshold:
            shown += 1
            right_shown += hit == 0
    n = max(len(ranked), 1)
    return Metrics(top1 / n, top3 / n, rr / n, shown / n, right_shown / shown if shown else 0.0, n)
