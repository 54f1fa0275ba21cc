"""The learned re-ranker: a logistic model over a few features of (question, document) and
their pairwise products (so, e.g., the lexical score can count for more when BM25 is low).

It is trained as a *listwise* model — softmax over each question's candidate pool, the right
candidates' share maximised, which is what top-1 asks — giving a score s. The confidence
shown is then ``sigmoid(a·s + c·margin + bias)``, where margin is s minus the best score of a
candidate of *another entry* in the pool (negative for all but the best): a question whose
best entry stands far ahead of the rest is answered with more confidence. That best other
score is taken as at least a *floor*, the runner-up score that a quarter of the train pools
stay under: in a workspace of ten entries the runner-up is often unrelated, and beating it by
far is no evidence (as the IDF is computed as if the KB had 1,000 documents). a, c and the
bias are one logistic fit on the same train pools (their form chosen by cross-validated
log-loss on train). With a, c ≥ 0 this never changes the order within a pool.

Stored as a small JSON artifact (``models/reranker.json``, no pickle), with a format version,
the feature names it expects and a checksum of its numbers, verified on load. Rebuilt by
``inhouse kb train`` (see docs/knowledge.md). Without the file a hand-set fallback is used,
so the index still works in a fresh checkout, only less well.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FORMAT = 4
FEATURES = ("bm25", "char_cos", "unigram_jaccard", "length_ratio", "gap_to_best", "bm25_x_char",
            "lexical", "lexical_gap", "word_jaccard", "word_idf_jaccard", "doc_idf_coverage",
            "char_idf_jaccard", "doc_char_idf_coverage")
# The products z_i * z_j (i <= j) of the scaled features, divided by 3 to keep them in range.
PAIRS = tuple((i, j) for i in range(len(FEATURES)) for j in range(i, len(FEATURES)))


def expand(z: np.ndarray) -> np.ndarray:
    """Scaled features (last axis ``FEATURES``) and their pairwise products."""
    i, j = np.asarray(PAIRS).T
    return np.concatenate([z, z[..., i] * z[..., j] / 3], axis=-1)
MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "reranker.json"


def _checksum(weights: list[float], bias: float, threshold: float, mean: list[float],
              scale: list[float], calibration: list[float]) -> str:
    blob = json.dumps([weights, bias, threshold, mean, scale, calibration]).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def margins(s: np.ndarray, groups: np.ndarray | None = None, floor: float = -np.inf) -> np.ndarray:
    """For each candidate (questions x pool), its score minus the best score of a candidate
    of another group in the same pool, that best score taken as at least ``floor``."""
    if s.shape[-1] == 0:
        return s
    groups = np.broadcast_to(np.arange(s.shape[1]), s.shape) if groups is None else groups
    rows = np.arange(len(s))
    best = s.argmax(axis=1)
    top, top_group = s[rows, best], groups[rows, best]
    other = groups != top_group[:, None]
    runner = np.where(other, s, -np.inf).max(axis=1)  # best of another entry than the top one
    best_other = np.maximum(np.where(other, top[:, None], runner[:, None]), floor)
    return np.where(np.isfinite(best_other), s - best_other, 0).astype(s.dtype)


@dataclass(frozen=True)
class Reranker:
    weights: tuple[float, ...]
    bias: float
    threshold: float
    # Feature scaling learnt with the weights: z = (x - mean) / scale.
    mean: tuple[float, ...] = (0.0,) * len(FEATURES)
    scale: tuple[float, ...] = (1.0,) * len(FEATURES)
    meta: dict = field(default_factory=dict)
    # (a, c, floor): weights of the score and of its margin, and the least score the best
    # other entry is taken to have (see the module's docstring).
    calibration: tuple[float, float, float] = (1.0, 0.0, 0.0)

    def score(self, feats: np.ndarray) -> np.ndarray:
        """The ranking score of each candidate (last axis of ``feats``: ``FEATURES``)."""
        z = (feats - np.asarray(self.mean, np.float32)) / np.asarray(self.scale, np.float32)
        w = np.asarray(self.weights, np.float32)
        x = expand(z) if len(w) > len(FEATURES) else z  # the fallback has no products
        return x @ w

    def predict(self, feats: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Probabilities for (questions x pool x ``FEATURES``). ``groups`` (questions x pool)
        names the entry of each candidate: the margin is taken over other entries only, so
        an entry's own variants do not make it look contested. Default: each its own."""
        s = self.score(feats)
        logits = np.float32(self.calibration[0]) * s + np.float32(self.bias)
        if self.calibration[1]:
            logits = logits + np.float32(self.calibration[1]) * margins(s, groups, self.calibration[2])
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))

    @classmethod
    def fallback(cls) -> Reranker:
        # Roughly the fused first-stage score squashed; used only when no trained file exists.
        return cls(weights=(3.0, 4.0, 0.0, 0.0, 2.0) + (0.0,) * (len(FEATURES) - 5), bias=-3.5,
                   threshold=0.5, meta={"source": "fallback"})

    @classmethod
    def load(cls, path: Path | None = None) -> Reranker:
        path = path or MODEL_FILE
        if not path.exists():
            return cls.fallback()
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: format {data.get('format')!r}, expected {FORMAT}; "
                             "rebuild it with `inhouse kb train`")
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} differ from {list(FEATURES)}; "
                             "rebuild it with `inhouse kb train`")
        if len(data["weights"]) not in (len(FEATURES), len(FEATURES) + len(PAIRS)):
            raise ValueError(f"{path}: {len(data['weights'])} weights for {len(FEATURES)} features; "
                             "rebuild it with `inhouse kb train`")
        if data.get("checksum") != _checksum(data["weights"], data["bias"], data["threshold"],
                                             data["mean"], data["scale"], data["calibration"]):
            raise ValueError(f"{path}: checksum mismatch (file edited or damaged); "
                             "rebuild it with `inhouse kb train`")
        return cls(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]),
                   tuple(data["mean"]), tuple(data["scale"]), data.get("meta", {}),
                   tuple(data["calibration"]))

    def save(self, path: Path | None = None) -> Path:
        """Write atomically: a half-written model is never loaded."""
        path = path or MODEL_FILE
        weights = [float(w) for w in self.weights]
        data = {"format": FORMAT, "features": list(FEATURES), "weights": weights,
                "bias": float(self.bias), "threshold": float(self.threshold),
                "mean": [float(x) for x in self.mean], "scale": [float(x) for x in self.scale],
                "calibration": [float(x) for x in self.calibration],
                "checksum": _checksum(weights, float(self.bias), float(self.threshold),
                                      [float(x) for x in self.mean], [float(x) for x in self.scale],
                                      [float(x) for x in self.calibration]),
                "meta": self.meta}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return path
