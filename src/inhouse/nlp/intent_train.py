"""Train the shipped intent model (`inhouse nlp train intent`). Needs scikit-learn.

Texts come from real sets in the shared data folder (``intent_data``), never from the demo
scenario. Regularisation and the model's fill threshold are chosen on the dev splits of
those sets; the demo week is only ever a test (eval/eval_intent.py). Seeded: the same data
gives the same file.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from inhouse.nlp.artifact import MODELS_DIR
from inhouse.nlp.features import FeatureSpec
from inhouse.nlp.intent_data import MODEL_CLASSES, intent_texts
from inhouse.nlp.textnorm import normalize_many, widen_simplify_many
from inhouse.nlp.train import SEED, Space, _fit, _log, _save_pruned

SPEC = FeatureSpec(1, 3, 18)
MODEL_NAME = "intent"


def _f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the model's four classes (a rule's spam or cooperation counts as a miss)."""
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=list(MODEL_CLASSES), average="macro"))


def train_intent(data: Path, out: Path = MODELS_DIR, quick: bool = False) -> dict[str, Any]:
    """Fit the 4-class text model, choose C and the fill threshold on dev, save ``intent``."""
    from inhouse.nlp.classify import clear_cache, get_model
    from inhouse.nlp.intent import FILL_THRESHOLDS, fuse, model_texts

    tr, y_tr, src_tr = intent_texts(data, "train", SEED, per_source=1500 if quick else 3000)
    dv, y_dv, _ = intent_texts(data, "dev", SEED, per_source=600)
    _log(f"intent: {len(tr)} training texts {dict(Counter(y_tr))} from {dict(Counter(src_tr))}")
    n_tr, n_dv = model_texts(normalize_many(tr)), model_texts(normalize_many(dv))
    space = Space(n_tr, SPEC)
    x_tr, x_dv = space.matrix(n_tr), space.matrix(n_dv)
    best: dict[str, Any] = {"dev_score": -1.0}
    model = None
    for c in (3.0,) if quick else (1.0, 3.0, 10.0):
        fitted = _fit(x_tr, y_tr, c, class_weight="balanced")
        assert list(fitted.classes_) == list(MODEL_CLASSES), fitted.classes_
        score = _f1(y_dv, fitted.predict(x_dv))
        _log(f"  dev macro-F1 {score:.4f}  C={c:g}")
        if score > best["dev_score"]:
            best, model = {"C": c, "dev_score": score}, fitted
    version = f"intent-{datetime.now(UTC):%Y%m%d}-c{best['C']:g}"
    header = {
        "kind": "multinomial", "classes": list(MODEL_CLASSES), "features": SPEC.__dict__,
        "idf_default": space.idf_default, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {"texts": len(tr), "per_class": dict(Counter(y_tr)), "per_source": dict(Counter(src_tr)),
                     "seed": SEED, "chosen": best,
                     "model": "tf-idf char 1-3 grams (hashed 2^18) + multinomial logistic regression"},
        "fill_threshold": 1.0, "version": version,
    }
    _save_pruned(MODEL_NAME, header, space, model.coef_.astype(np.float64), model.intercept_, out)
    clear_cache()
    # how sure the model must be to label a text no rule claims, picked by dev macro-F1
    # with the shipped (pruned, float16) model
    shipped = get_model(MODEL_NAME, out)
    proba = shipped.predict_proba(n_dv)
    norm_dv = normalize_many(dv)  # as analyze_texts gives the sentiment and emotion models
    sent = get_model("sentiment").predict_proba(norm_dv)[:, 1]
    emo = get_model("emotion")
    emotions = [emo.classes[i] for i in emo.predict_proba(norm_dv).argmax(axis=1)]
    wide = widen_simplify_many(dv)
    scores = {}
    for threshold in FILL_THRESHOLDS:
        pred = [r.intent for r in fuse(wide, proba, sent, emotions, shipped.classes, threshold)]
        scores[threshold] = _f1(y_dv, pred)
        _log(f"  fill threshold {threshold:g}: dev macro-F1 {scores[threshold]:.4f}")
    threshold = max(scores, key=lambda t: (scores[t], t))
    header["fill_threshold"] = threshold
    header["training"]["fill_threshold_dev_macro_f1"] = {str(k): round(v, 4) for k, v in scores.items()}
    _save_pruned(MODEL_NAME, header, space, model.coef_.astype(np.float64), model.intercept_, out)
    clear_cache()
    figures = {"dev_macro_f1_model": round(best["dev_score"], 4), "fill_threshold": threshold,
               "dev_macro_f1_fused": round(scores[threshold], 4), "version": version}
    _log(f"intent shipped: {figures}")
    return figures


def main(argv: list[str] | None = None) -> int:
    """`inhouse nlp train intent [--data DIR] [--quick]`."""
    import argparse
    import json

    from inhouse.nlp.data import default_data_dir

    parser = argparse.ArgumentParser(prog="inhouse nlp train intent",
                                     description="rebuild the shipped intent model from the shared data")
    parser.add_argument("--data", help="shared data folder (default: $INHOUSE_SHARED_DATA or ../shared/data)")
    parser.add_argument("--quick", action="store_true", help="smaller sample, one C (for tests)")
    parser.add_argument("--out", help="write the model here instead of the package (for tests)")
    args = parser.parse_args(argv)
    data = Path(args.data) if args.data else default_data_dir()
    if not data.is_dir():
        print(f"error: shared data folder {data} not found (use --data or INHOUSE_SHARED_DATA)")
        return 2
    figures = train_intent(data, Path(args.out) if args.out else MODELS_DIR, quick=args.quick)
    print(json.dumps({"intent": figures}, indent=1))
    return 0
