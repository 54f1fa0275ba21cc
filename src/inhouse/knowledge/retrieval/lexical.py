"""A learned lexical matcher: which words must match, which may go unmatched, and which
different words mean the same (还钱 ~ 还款, 提额 ~ 额度提升) — learnt from labelled pairs.

For a question's words A and a candidate's words B the features are: ``m:w`` for each shared
word, ``x:w`` for each word on one side only, ``p:u|v`` for each pair of unmatched words across
the sides. A logistic model over them (trained by ``train.py`` on the TRAIN pairs, pruned to
the weights that matter) gives one score, which the re-ranker uses as a feature. Stored as
JSON (``models/lexical.json``): words and weights, readable and diffable, no pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1
MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "lexical.json"
MAX_SIDE = 12  # words per side used for pairs: bounds the cost of a long question


def pair_features(a: frozenset[str], b: frozenset[str]) -> list[str]:
    feats = [f"m:{w}" for w in a & b]
    only_a, only_b = sorted(a - b)[:MAX_SIDE], sorted(b - a)[:MAX_SIDE]
    feats.extend(f"x:{w}" for w in only_a)
    feats.extend(f"x:{w}" for w in only_b)
    feats.extend(f"p:{u}|{v}" if u < v else f"p:{v}|{u}" for u in only_a for v in only_b)
    return feats


@dataclass(frozen=True)
class Lexical:
    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    meta: dict = field(default_factory=dict)

    def score(self, a: frozenset[str], b: frozenset[str]) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) for f in pair_features(a, b))

    def scores(self, pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> list[float]:
        return [self.score(a, b) for a, b in pairs]

    @classmethod
    def load(cls, path: Path | None = None) -> Lexical:
        path = path or MODEL_FILE
        if not path.exists():
            return cls(meta={"source": "none"})  # scores 0: the re-ranker relies on the rest
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: format {data.get('format')!r}, expected {FORMAT}; "
                             "rebuild it with `inhouse kb train`")
        body = json.dumps([data["weights"], data["bias"]], sort_keys=True, ensure_ascii=False)
        if data.get("checksum") != hashlib.sha256(body.encode()).hexdigest()[:16]:
            raise ValueError(f"{path}: checksum mismatch; rebuild it with `inhouse kb train`")
        return cls(data["weights"], float(data["bias"]), data.get("meta", {}))

    def save(self, path: Path | None = None) -> Path:
        path = path or MODEL_FILE
        body = json.dumps([self.weights, self.bias], sort_keys=True, ensure_ascii=False)
        data = {"format": FORMAT, "bias": self.bias, "meta": self.meta,
                "checksum": hashlib.sha256(body.encode()).hexdigest()[:16], "weights": self.weights}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return path


def fit(pairs: list[tuple[frozenset[str], frozenset[str], int]], c: float = 0.3,
        min_count: int = 3, keep: float = 0.06) -> Lexical:
    """Logistic regression over pair features seen ``min_count``+ times; weights under
    ``keep`` in magnitude are dropped (they change nothing and would bloat the file)."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    rows = [pair_features(a, b) for a, b, _ in pairs]
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    indptr, indices = [0], []
    for feats in rows:
        indices.extend(vocab[f] for f in feats if f in vocab)
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(len(rows), len(vocab)))
    y = np.asarray([label for *_, label in pairs])
    clf = LogisticRegression(C=c, max_iter=1000, solver="liblinear").fit(x, y)
    names = sorted(vocab, key=vocab.get)
    weights = {n: round(float(w), 3) for n, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= keep}
    return Lexical(weights, round(float(clf.intercept_[0]), 4),
                   {"pairs": len(pairs), "features_seen": len(vocab), "kept": len(weights), "C": c})
