"""A workspace's adapter: learns from its operators' corrections on top of the base analysis.

Pure (no Django): ``fit_adapter`` builds one from examples, ``Adapter.apply`` relabels a
batch of ``TextAnalysis`` results, ``Adapter.to_bytes`` / ``Adapter.from_bytes`` store it as
a JSON header plus an .npz of plain arrays (read with ``allow_pickle=False``, checksummed),
so a stored model cannot run code.

Each head (intent, sentiment) is a logistic regression over two groups of features:
- the base analysis' label for that head, one-hot and scaled up (``BASE_SCALE``), so that
  with no evidence against it the adapter repeats the base;
- hashed character 1-3 grams of the author's own words (the same text the intent model
  reads), so a correction on one text carries over to texts written alike.
Training rows are the corrected items (label = the operator's value, weight
``CORRECTION_WEIGHT``) and a sample of the workspace's other items labelled with the base's
own answer (weight 1): they anchor every class the team did not correct.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from inhouse.nlp.features import FeatureSpec, hash_ngrams

FORMAT = "inhouse-adapter/1"
SPEC = FeatureSpec(1, 3, 14)
BASE_SCALE = 3.0
CORRECTION_WEIGHT = 5.0
HEADS = {
    "intent": ("consultation", "complaint", "praise", "cooperation", "spam", "other"),
    "sentiment": ("positive", "neutral", "negative"),
}


class AdapterError(ValueError):
    """A stored adapter is damaged, of another format, or inconsistent."""


def _text_features(norm: Sequence[str]):
    """Hashed char n-gram counts of the intent model's text, 1 + log tf, L2-normalised."""
    from scipy.sparse import csr_matrix

    from inhouse.nlp.intent import model_texts

    sr = hash_ngrams(model_texts(norm), SPEC)
    vals = 1.0 + np.log(sr.counts)
    norms = np.sqrt(np.bincount(sr.rows, weights=vals * vals, minlength=sr.n_rows))
    norms[norms == 0] = 1.0
    return csr_matrix((vals / norms[sr.rows], (sr.rows, sr.indices)), shape=(sr.n_rows, SPEC.n_features))


def _features(norm: Sequence[str], base: Sequence[str], head: str):
    from scipy.sparse import csr_matrix, hstack

    labels = HEADS[head]
    col = {c: i for i, c in enumerate(labels)}
    rows = [i for i, b in enumerate(base) if b in col]
    onehot = csr_matrix((np.full(len(rows), BASE_SCALE), (rows, [col[base[i]] for i in rows])),
                        shape=(len(base), len(labels)))
    return hstack([onehot, _text_features(norm)], format="csr")


@dataclass
class Head:
    classes: list[str]
    coef: np.ndarray  # (k, n_features), k == 1 for two classes
    intercept: np.ndarray  # (k,)

    def predict(self, x) -> list[str]:
        z = np.asarray(x @ self.coef.T) + self.intercept
        if z.shape[1] == 1:
            return [self.classes[int(v > 0)] for v in z[:, 0]]
        return [self.classes[i] for i in z.argmax(axis=1)]


@dataclass
class Adapter:
    heads: dict[str, Head]
    header: dict[str, Any] = field(default_factory=dict)

    def predict(self, norm: Sequence[str], base: dict[str, Sequence[str]]) -> dict[str, list[str]]:
        """Labels per head for normalised texts and the base labels of each head."""
        return {name: head.predict(_features(norm, base[name], name)) for name, head in self.heads.items()}

    def apply(self, texts: Sequence[str], results: Sequence[Any]) -> list[Any]:
        """``results`` (TextAnalysis of ``texts``) with this workspace's labels."""
        from inhouse.nlp.textnorm import normalize_many

        if not results:
            return []
        base = {"intent": [r.intent for r in results], "sentiment": [r.sentiment for r in results]}
        labels = self.predict(normalize_many(texts), base)
        tag = f"workspace:{self.header.get('version', '?')}"
        out = []
        for i, r in enumerate(results):
            changes: dict[str, Any] = {}
            if "intent" in labels and labels["intent"][i] != r.intent:
                changes.update(intent=labels["intent"][i], intent_rule=f"{tag} (base: {r.intent})")
            if "sentiment" in labels and labels["sentiment"][i] != r.sentiment:
                changes["sentiment"] = labels["sentiment"][i]
            out.append(replace(r, **changes) if changes else r)
        return out

    def to_bytes(self) -> tuple[dict[str, Any], bytes]:
        """(header, npz blob); the header names the blob's checksum."""
        arrays = {}
        for name, head in self.heads.items():
            arrays[f"{name}_coef"] = head.coef.astype(np.float32)
            arrays[f"{name}_intercept"] = head.intercept.astype(np.float32)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        blob = buf.getvalue()
        header = {**self.header, "format": FORMAT, "features": SPEC.__dict__, "base_scale": BASE_SCALE,
                  "heads": {n: h.classes for n, h in self.heads.items()},
                  "npz_sha256": hashlib.sha256(blob).hexdigest()}
        return header, blob

    @classmethod
    def from_bytes(cls, header: dict[str, Any], blob: bytes) -> Adapter:
        if header.get("format") != FORMAT:
            raise AdapterError(f"adapter format {header.get('format')!r}, this code reads {FORMAT}")
        if header.get("features") != SPEC.__dict__ or header.get("base_scale") != BASE_SCALE:
            raise AdapterError("adapter built with other feature settings; retrain it")
        if hashlib.sha256(blob).hexdigest() != header.get("npz_sha256"):
            raise AdapterError("adapter arrays do not match their checksum: damaged or replaced")
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            heads = {}
            for name, classes in header["heads"].items():
                coef, intercept = npz[f"{name}_coef"], npz[f"{name}_intercept"]
                if coef.shape[1] != len(HEADS[name]) + SPEC.n_features:
                    raise AdapterError(f"{name}: {coef.shape[1]} weights per class, expected "
                                       f"{len(HEADS[name]) + SPEC.n_features}")
                heads[name] = Head(list(classes), coef, intercept)
        return cls(heads, {k: v for k, v in header.items() if k not in ("npz_sha256",)})


@dataclass
class Example:
    """One training row: the item's text, the base labels, and the label to learn."""

    text: str
    base: dict[str, str]  # head -> base label
    target: dict[str, str]  # head -> label to learn (a correction, or the base's own answer)
    corrected: frozenset[str] = frozenset()  # heads the operator corrected


def fit_adapter(examples: Sequence[Example], c: float = 3.0, header: dict[str, Any] | None = None,
                seed: int = 20240611) -> Adapter:
    """Fit a head for every head that has at least one correction and two classes."""
    from sklearn.linear_model import LogisticRegression

    from inhouse.nlp.textnorm import normalize_many

    norm = normalize_many([e.text for e in examples])
    heads: dict[str, Head] = {}
    for name in HEADS:
        if not any(name in e.corrected for e in examples):
            continue
        rows = [i for i, e in enumerate(examples) if name in e.target]
        y = [examples[i].target[name] for i in rows]
        if len(set(y)) < 2:
            continue
        x = _features([norm[i] for i in rows], [examples[i].base.get(name, "") for i in rows], name)
        w = np.array([CORRECTION_WEIGHT if name in examples[i].corrected else 1.0 for i in rows])
        model = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y, sample_weight=w)
        heads[name] = Head([str(k) for k in model.classes_], model.coef_.astype(np.float32),
                           model.intercept_.astype(np.float32))
    if not heads:
        raise AdapterError("nothing to learn: no head has a correction and two classes")
    return Adapter(heads, dict(header or {}))
