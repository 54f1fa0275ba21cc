"""Train the shipped models (`inhouse nlp train sentiment|emotion|all`). Needs scikit-learn.

Every choice (training mix, regularisation) is made on the dev split only; the final model
is fitted on the train split, so the dev figures stored in its header stay honest. Seeded,
so the same data gives the same files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from inhouse.nlp import data as ds
from inhouse.nlp.artifact import MODELS_DIR, save_model
from inhouse.nlp.classify import LinearTextModel, clear_cache
from inhouse.nlp.features import FeatureSpec, document_frequency, hash_ngrams, tfidf_values
from inhouse.nlp.textnorm import normalize_many

SEED = 20240611
MIN_DF = 2  # an n-gram seen in one training text only cannot generalise; dropping it halves the file


class Space:
    """The tf-idf space fitted on training texts: idf over all features, kept columns."""

    def __init__(self, texts: Sequence[str], spec: FeatureSpec, min_df: int = MIN_DF):
        self.spec = spec
        sr = hash_ngrams(texts, spec)
        df = document_frequency(sr, spec.n_features)
        n = len(texts)
        self.idf_default = float(np.float16(np.log(1.0 + n) + 1.0))
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        self.kept = np.flatnonzero(df >= min_df)
        idf_full = np.full(spec.n_features, self.idf_default, dtype=np.float64)
        idf_full[self.kept] = idf[self.kept]
        # quantise now, so training sees exactly what prediction will rebuild from float16
        self.idf = idf_full.astype(np.float16).astype(np.float32)
        self.col_of = np.full(spec.n_features, -1, dtype=np.int64)
        self.col_of[self.kept] = np.arange(self.kept.size)

    def matrix(self, texts: Sequence[str]):
        from scipy.sparse import csr_matrix

        sr = hash_ngrams(texts, self.spec)
        vals = tfidf_values(sr, self.idf)
        cols = self.col_of[sr.indices]
        keep = cols >= 0  # dropped n-grams still count in each row's norm, as at prediction
        return csr_matrix((vals[keep], (sr.rows[keep], cols[keep])),
                          shape=(sr.n_rows, self.kept.size))


def _fit(x, y, c: float, weights=None, class_weight=None, one_vs_rest: bool = False):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, random_state=SEED, class_weight=class_weight,
                               solver="liblinear" if one_vs_rest else "lbfgs")
    if one_vs_rest:
        # one binary liblinear problem per class: minutes faster than a multinomial lbfgs fit
        # over a million hashed columns on a shared 2-core machine, at the same macro-F1
        from sklearn.multiclass import OneVsRestClassifier

        model = OneVsRestClassifier(model)
    return model.fit(x, y, sample_weight=weights) if weights is not None else model.fit(x, y)


def _arrays(space: Space, coef: np.ndarray, intercept: np.ndarray,
            prune: float) -> tuple[dict[str, np.ndarray], int]:
    """Model arrays; weights under ``prune`` in every class are dropped to keep files small."""
    strong = np.abs(coef).max(axis=0) >= prune
    feat = space.kept[strong].astype(np.int64)
    return {
        "feat_delta": np.diff(feat, prepend=0).astype(np.uint32),  # sorted: deltas compress well
        "idf": space.idf[feat].astype(np.float16),
        "coef": coef[:, strong].astype(np.float16),
        "intercept": intercept.astype(np.float32),
    }, int(strong.sum())


def _save_pruned(name: str, header: dict[str, Any], space: Space, coef: np.ndarray,
                 intercept: np.ndarray, out: Path) -> dict[str, Any]:
    """Save with the smallest pruning threshold whose file fits under 2 MB; returns the header."""
    from inhouse.nlp.artifact import ModelFileError

    for prune in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
        arrays, nnz = _arrays(space, coef, intercept, prune=prune)
        header["training"].update(prune=prune, kept_weights=nnz)
        try:
            save_model(name, header, arrays, out)
            return header
        except ModelFileError:
            _log(f"  pruning at {prune} leaves {nnz} features: file too big, pruning more")
    raise ModelFileError(f"{name}: does not fit in 2 MB even pruned at 0.5; lower n_bits")


def _macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, average="macro"))


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {msg}", flush=True)


def _search(grid: list[dict[str, Any]], run: Callable[[dict[str, Any]], tuple[float, Any]]
            ) -> tuple[dict[str, Any], Any]:
    """Best config by dev score, and what ``run`` returned with it (e.g. the fitted model)."""
    best, best_score, best_out = grid[0], -1.0, None
    for cfg in grid:
        score, out = run(cfg)
        _log(f"  dev {score:.4f}  {cfg}")
        if score > best_score:
            best, best_score, best_out = cfg, score, out
    return {**best, "dev_score": best_score}, best_out


def train_sentiment(data: Path, out: Path = MODELS_DIR, quick: bool = False) -> dict[str, Any]:
    """Gated binary model: a Weibo-posts expert, a reviews expert and a gate, one feature space.

    Both experts see both training sets, each with the other domain down-weighted; the gate is
    a logistic regression "weibo2018 post or waimai review" on the same features, and the
    shipped P(positive) is the experts' probabilities mixed by it. Weights, C chosen on dev.
    """
    spec = FeatureSpec(1, 3, 20)
    w_tr, wy_tr = ds.weibo2018(data, "train")
    w_dv, wy_dv = ds.weibo2018(data, "dev")
    m_tr, my_tr = ds.waimai(data, "train")
    m_dv, my_dv = ds.waimai(data, "dev")
    w_tr, w_dv, m_tr, m_dv = (normalize_many(t) for t in (w_tr, w_dv, m_tr, m_dv))
    texts, labels = w_tr + m_tr, np.array(wy_tr + my_tr)
    is_review = np.r_[np.zeros(len(w_tr)), np.ones(len(m_tr))]
    _log(f"sentiment: {len(w_tr)} weibo2018 + {len(m_tr)} waimai training texts; grid on dev")
    space = Space(texts, spec)
    x_tr, x_w, x_m = space.matrix(texts), space.matrix(w_dv), space.matrix(m_dv)
    gate = _fit(x_tr, is_review, 10.0)
    g_w, g_m = gate.predict_proba(x_w)[:, 1], gate.predict_proba(x_m)[:, 1]
    _log(f"  gate: weibo2018 dev read as posts {np.mean(g_w < 0.5):.4f}, waimai dev as reviews "
         f"{np.mean(g_m >= 0.5):.4f}")
    experts: dict[tuple[str, float, float], Any] = {}

    def expert(kind: str, other: float, c: float):
        # kind "posts": weibo2018 at weight 1, waimai at ``other``; "reviews" the other way round
        key = (kind, other, c)
        if key not in experts:
            weights = (np.r_[np.ones(len(w_tr)), np.full(len(m_tr), other)] if kind == "posts"
                       else np.r_[np.full(len(w_tr), other), np.ones(len(m_tr))])
            experts[key] = _fit(x_tr, labels, c, weights)
        return experts[key]

    def run(cfg):
        posts = expert("posts", cfg["posts_review_weight"], cfg["C"])
        reviews = expert("reviews", cfg["reviews_post_weight"], cfg["C"])
        p_w = (1 - g_w) * posts.predict_proba(x_w)[:, 1] + g_w * reviews.predict_proba(x_w)[:, 1]
        p_m = (1 - g_m) * posts.predict_proba(x_m)[:, 1] + g_m * reviews.predict_proba(x_m)[:, 1]
        acc_w = float(((p_w >= 0.5) == np.array(wy_dv)).mean())
        acc_m = float(((p_m >= 0.5) == np.array(my_dv)).mean())
        _log(f"    weibo2018 {acc_w:.4f} waimai {acc_m:.4f}")
        # the desk reads posts and complaint-like reviews alike: score the mean of both dev sets
        return (acc_w + acc_m) / 2, (posts, reviews)

    grid = [{"C": c, "posts_review_weight": pw, "reviews_post_weight": rw}
            for c in ((10.0, 30.0) if not quick else (10.0,))
            for pw in ((0.3, 0.6) if not quick else (0.6,))
            for rw in ((0.3, 0.6) if not quick else (0.3,))]
    best, (posts, reviews) = _search(grid, run)
    coef = np.vstack([posts.coef_, reviews.coef_, gate.coef_]).astype(np.float64)
    intercept = np.concatenate([posts.intercept_, reviews.intercept_, gate.intercept_])
    header = {
        "kind": "gated", "classes": ["negative", "positive"], "columns": ["posts", "reviews", "gate"],
        "features": spec.__dict__, "idf_default": space.idf_default,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {"weibo2018_train": len(w_tr), "waimai_train": len(m_tr), "seed": SEED,
                     "min_df": MIN_DF, "chosen": best,
                     "model": "tf-idf char 1-3 grams (hashed); posts and reviews logistic-regression "
                              "experts mixed by a logistic-regression gate"},
        "version": (f"sentiment-{datetime.now(UTC):%Y%m%d}-gated-c{best['C']:g}"
                    f"-p{best['posts_review_weight']:g}-r{best['reviews_post_weight']:g}"),
    }
    _save_pruned("sentiment", header, space, coef, intercept, out)
    clear_cache()
    shipped = _reload("sentiment", out)
    p_w = shipped.predict_proba(w_dv)[:, 1]
    p_m = shipped.predict_proba(m_dv)[:, 1]
    figures = {"weibo2018_dev_accuracy": float(((p_w >= 0.5) == np.array(wy_dv)).mean()),
               "waimai_dev_accuracy": float(((p_m >= 0.5) == np.array(my_dv)).mean())}
    _log(f"sentiment shipped: {figures}")
    return figures


def train_emotion(data: Path, out: Path = MODELS_DIR, quick: bool = False) -> dict[str, Any]:
    """Six-class SMP2020-EWECT model, regularisation and class weighting chosen by dev macro-F1."""
    spec = FeatureSpec(1, 3, 20)
    tr, y_tr = ds.smp2020(data, "train")
    dv, y_dv = ds.smp2020(data, "dev")
    tr, dv = normalize_many(tr), normalize_many(dv)
    _log(f"emotion: {len(tr)} SMP2020-EWECT training texts; grid on dev macro-F1")
    space = Space(tr, spec)
    x_tr, x_dv = space.matrix(tr), space.matrix(dv)

    def run(cfg):
        model = _fit(x_tr, y_tr, cfg["C"], class_weight=cfg["class_weight"], one_vs_rest=True)
        return _macro_f1(y_dv, model.predict(x_dv)), model

    # only C = 3: a C = 10 fit had not converged after 5 minutes on the shared 2-core machine
    grid = [{"C": 3.0, "class_weight": cw} for cw in ((None, "balanced") if not quick else (None,))]
    best, model = _search(grid, run)
    assert list(model.classes_) == list(ds.EMOTIONS), model.classes_
    coef = np.vstack([est.coef_ for est in model.estimators_]).astype(np.float64)
    intercept = np.concatenate([est.intercept_ for est in model.estimators_])
    header = {
        "kind": "ovr", "classes": list(ds.EMOTIONS), "features": spec.__dict__,
        "idf_default": space.idf_default, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {"smp2020_train": len(tr), "seed": SEED, "min_df": MIN_DF, "chosen": best,
                     "model": "tf-idf char 1-3 grams (hashed) + one-vs-rest logistic regression"},
        "version": f"emotion-{datetime.now(UTC):%Y%m%d}-c{best['C']:g}",
    }
    _save_pruned("emotion", header, space, coef, intercept, out)
    clear_cache()
    shipped = _reload("emotion", out)
    pred = [shipped.classes[i] for i in shipped.predict_proba(dv).argmax(axis=1)]
    figures = {"smp2020_dev_macro_f1": _macro_f1(y_dv, pred),
               "smp2020_dev_accuracy": float(np.mean([a == b for a, b in zip(pred, y_dv, strict=True)]))}
    _log(f"emotion shipped: {figures}")
    return figures


def _reload(name: str, out: Path) -> LinearTextModel:
    from inhouse.nlp.classify import get_model

    return get_model(name, out)
