"""Knowledge-base suggestion quality on the question-matching DEV pairs (`make eval`).

For atec_afqmc and lcqmc: a knowledge base of 1,000 gold questions (one side of same-meaning
pairs) plus 1,000 distractors, asked with the other side of each pair. Reports top-1, top-3,
MRR@10 and, at the shipped threshold, coverage and precision of what the desk would show,
beside two baselines measured in the same run: plain BM25 over jieba tokens and character
TF-IDF cosine (scikit-learn). Writes the `kb-eval` section of docs/benchmarks.md.

    .venv/bin/python eval/eval_kb.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from report import write_section  # noqa: E402

from inhouse.knowledge.retrieval import Index  # noqa: E402
from inhouse.knowledge.retrieval.pairs import PairTest, build_test, evaluate, read_pairs  # noqa: E402
from inhouse.knowledge.retrieval.train import DEV_GOLD, DICTIONARIES, ranker_for  # noqa: E402

COMMAND = ".venv/bin/python eval/eval_kb.py"


class PlainBM25:
    """The issue's baseline: BM25 (k1 1.2, b 0.75) over `jieba.lcut` tokens, nothing else."""

    def __init__(self, texts: list[str]) -> None:
        import jieba

        self.cut = lambda t: [w for w in jieba.lcut(t) if w.strip() and any(c.isalnum() for c in w)]
        docs = [self.cut(t) for t in texts]
        self.tf = [Counter(d) for d in docs]
        self.dl = np.asarray([len(d) for d in docs], dtype=float)
        self.avgdl = self.dl.mean()
        df = Counter(w for d in docs for w in set(d))
        n = len(docs)
        self.idf = {w: math.log1p((n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
        self.post: dict[str, list[int]] = {}
        for i, d in enumerate(docs):
            for w in set(d):
                self.post.setdefault(w, []).append(i)

    def scores(self, text: str) -> np.ndarray:
        s = np.zeros(len(self.tf))
        for w in self.cut(text):
            for i in self.post.get(w, ()):
                f = self.tf[i][w]
                s[i] += self.idf[w] * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * self.dl[i] / self.avgdl))
        return s


def _rank_by(scores_of, ids: list[str]):
    def rank(queries: list[str]) -> list[list[tuple[str, float]]]:
        out = []
        for q in queries:
            s = scores_of(q)
            top = np.argsort(-s, kind="stable")[:10]
            out.append([(ids[i], float(s[i])) for i in top if s[i] > 0])
        return out
    return rank


def char_tfidf(test: PairTest):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    docs = vec.fit_transform([e.question for e in test.entries])
    ids = [e.id for e in test.entries]

    def rank(queries: list[str]) -> list[list[tuple[str, float]]]:
        sims = (vec.transform(queries) @ docs.T).toarray()
        return [[(ids[i], float(row[i])) for i in np.argsort(-row, kind="stable")[:10]] for row in sims]
    return rank


def run(data_dir: Path) -> str:
    rows = []
    for name, n_gold in DEV_GOLD.items():
        test = build_test(read_pairs(data_dir, name, "dev"), n_gold)
        ids = [e.id for e in test.entries]
        t0 = time.perf_counter()
        index = Index(test.entries, DICTIONARIES[name])
        ours = evaluate(ranker_for(index), test, threshold=index.threshold)
        t_ours = time.perf_counter() - t0
        bm25 = PlainBM25([e.question for e in test.entries])
        base = evaluate(_rank_by(bm25.scores, ids), test)
        tfidf = evaluate(char_tfidf(test), test)
        head = f"{name} dev ({len(test.entries):,} entries, {test.queries.__len__():,} questions)"
        rows.append(f"| {head} | kb suggest | {ours.top1:.1%} | {ours.top3:.1%} | {ours.mrr:.3f} | "
                    f"{ours.coverage:.1%} / {ours.precision:.1%} |")
        rows.append(f"| | plain BM25 (jieba) | {base.top1:.1%} | {base.top3:.1%} | {base.mrr:.3f} | – |")
        rows.append(f"| | char 1–3-gram TF-IDF | {tfidf.top1:.1%} | {tfidf.top3:.1%} | {tfidf.mrr:.3f} | – |")
        print(f"{name}: ours top1 {ours.top1:.3f} top3 {ours.top3:.3f} mrr {ours.mrr:.3f} "
              f"cov {ours.coverage:.3f} prec {ours.precision:.3f} ({t_ours:.1f}s) | bm25 top1 "
              f"{base.top1:.3f} top3 {base.top3:.3f} | tfidf top1 {tfidf.top1:.3f} top3 {tfidf.top3:.3f}",
              flush=True)
    threshold = Index([]).threshold
    return "\n".join([
        "## Knowledge base: suggestion quality (question-matching dev pairs)",
        "",
        f"Command: `{COMMAND}` (run by `make eval`). Knowledge base = 1,000 gold questions of",
        "same-meaning dev pairs + 1,000 distractor questions; each other side of a pair is asked.",
        "Coverage / precision: share of questions given a suggestion at the shipped threshold",
        f"({threshold:.2f}) / share of those suggestions that are right. Baselines run in the same process.",
        "",
        "| test | method | top-1 | top-3 | MRR@10 | coverage / precision |",
        "|---|---|---|---|---|---|",
        *rows,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.data / "atec_afqmc").is_dir():
        print(f"skipped: no question-matching data at {args.data}", file=sys.stderr)
        return 0
    write_section("kb-eval", run(args.data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
