"""Linear text classifiers rebuilt from model arrays; prediction needs numpy only.

A model is a hashed char n-gram tf-idf space (``features``) and a weight matrix over it.
Binary models have one weight row and a sigmoid; multi-class (emotion) a row per class and a
softmax (or one sigmoid each, "ovr"); "gated" binary models (sentiment) have two experts (Weibo
posts, reviews) and a gate that says how much each one's probability counts. Each model is loaded once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inhouse.nlp.artifact import MODELS_DIR, load_model
from inhouse.nlp.features import FeatureSpec, hash_ngrams, tfidf_values


@dataclass
class LinearTextModel:
    name: str
    version: str
    classes: list[str]
    spec: FeatureSpec
    idf: np.ndarray  # (n_features,) float32; every feature counts in a text's norm
    column: np.ndarray  # (n_features,) int32: feature -> row of ``weights``; unweighted -> last row
    weights: np.ndarray  # (n_weighted + 1, k) float32, last row zero; k == 1 for a binary model
    intercept: np.ndarray  # (k,)
    header: dict[str, Any]

    @classmethod
    def from_arrays(cls, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearTextModel:
        spec = FeatureSpec(**header["features"])
        feat = np.cumsum(arrays["feat_delta"].astype(np.int64))  # stored as deltas
        idf = np.full(spec.n_features, header["idf_default"], dtype=np.float32)
        idf[feat] = arrays["idf"].astype(np.float32)
        coef = arrays["coef"].astype(np.float32)  # (k, nnz)
        # compact: a few hundred thousand weighted rows gather far faster than 2**20 sparse ones
        column = np.full(spec.n_features, feat.size, dtype=np.int32)
        column[feat] = np.arange(feat.size, dtype=np.int32)
        weights = np.vstack([coef.T, np.zeros((1, coef.shape[0]), dtype=np.float32)])
        return cls(header["name"], header["version"], list(header["classes"]), spec, idf,
                   column, weights, arrays["intercept"].astype(np.float32), header)

    def weight(self, feature: int) -> np.ndarray:
        """The k weights of one hashed feature (zeros when the model does not use it)."""
        return self.weights[self.column[feature]]

    def decision(self, norm_texts: Sequence[str]) -> np.ndarray:
        """Raw scores, shape (n, k), for already-normalised texts."""
        sr = hash_ngrams(norm_texts, self.spec)
        out = np.zeros((sr.n_rows, self.weights.shape[1]), dtype=np.float64)
        if sr.rows.size:
            vals = tfidf_values(sr, self.idf)
            # np.take, not fancy indexing: several times faster for row gathers of a 2-D array
            contrib = np.take(self.weights, np.take(self.column, sr.indices), axis=0) * vals[:, None]
            # entries come sorted by row: sum each row's slice; rows without entries stay 0
            starts = np.flatnonzero(np.diff(sr.rows, prepend=-1))
            out[sr.rows[starts]] = np.add.reduceat(contrib, starts, axis=0)
        return out + self.intercept

    def predict_proba(self, norm_texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (n, len(classes)), columns in ``classes`` order."""
        z = self.decision(norm_texts)
        if self.header.get("kind") == "gated":
            # columns: posts expert, reviews expert, gate (P(text reads like a review));
            # the experts' P(positive) mixed by the gate
            p = 1.0 / (1.0 + np.exp(-z))
            mixed = (1.0 - p[:, 2]) * p[:, 0] + p[:, 2] * p[:, 1]
            return np.stack([1.0 - mixed, mixed], axis=1)
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        if self.header.get("kind") == "ovr":  # as sklearn: one sigmoid per class, renormalised
            p = 1.0 / (1.0 + np.exp(-z))
            return p / p.sum(axis=1, keepdims=True)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


_cache: dict[tuple[str, Path], LinearTextModel] = {}
_lock = threading.Lock()


def get_model(name: str, directory: Path = MODELS_DIR) -> LinearTextModel:
    """The model ``name`` from ``directory``, verified and built on first use, then cached."""
    key = (name, directory)
    model = _cache.get(key)
    if model is None:
        with _lock:
            model = _cache.get(key)
            if model is None:
                model = LinearTextModel.from_arrays(*load_model(name, directory))
                _cache[key] = model
    return model


def clear_cache() -> None:
    """Forget loaded models (after a retrain in the same process, and in tests)."""
    with _lock:
        _cache.clear()
