"""The learned re-ranker: logistic regression over a few features of (question, document).

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

FORMAT = 3
FEATURES = ("bm25", "char_cos", "unigram_jaccard", "length_ratio", "gap_to_best", "bm25_x_char",
            "lexical", "lexical_gap")
MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "reranker.json"


def _checksum(weights: list[float], bias: float, threshold: float) -> str:
    blob = json.dumps([weights, bias, threshold]).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


@dataclass(frozen=True)
class Reranker:
    weights: tuple[float, ...]
    bias: float
    threshold: float
    # Feature scaling learnt with the weights: z = (x - mean) / scale.
    mean: tuple[float, ...] = (0.0,) * len(FEATURES)
    scale: tuple[float, ...] = (1.0,) * len(FEATURES)
    meta: dict = field(default_factory=dict)

    def predict(self, feats: np.ndarray) -> np.ndarray:
        """Probabilities for an array whose last axis is ``FEATURES``."""
        z = (feats - np.asarray(self.mean, np.float32)) / np.asarray(self.scale, np.float32)
        logits = z @ np.asarray(self.weights, np.float32) + np.float32(self.bias)
        return 1.0 / (1.0 + np.exp(-logits))

    @classmethod
    def fallback(cls) -> Reranker:
        # Roughly the fused first-stage score squashed; used only when no trained file exists.
        return cls(weights=(3.0, 4.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0), bias=-3.5, threshold=0.5,
                   meta={"source": "fallback"})

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
        if data.get("checksum") != _checksum(data["weights"], data["bias"], data["threshold"]):
            raise ValueError(f"{path}: checksum mismatch (file edited or damaged); "
                             "rebuild it with `inhouse kb train`")
        return cls(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]),
                   tuple(data["mean"]), tuple(data["scale"]), data.get("meta", {}))

    def save(self, path: Path | None = None) -> Path:
        """Write atomically: a half-written model is never loaded."""
        path = path or MODEL_FILE
        weights = [float(w) for w in self.weights]
        data = {"format": FORMAT, "features": list(FEATURES), "weights": weights,
                "bias": float(self.bias), "threshold": float(self.threshold),
                "mean": [float(x) for x in self.mean], "scale": [float(x) for x in self.scale],
                "checksum": _checksum(weights, float(self.bias), float(self.threshold)),
                "meta": self.meta}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return path
