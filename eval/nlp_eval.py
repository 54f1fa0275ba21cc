"""NLP accuracy on the dev splits of ../shared/data, beside peer tools measured in the same run.

Run through `python eval/eval_nlp.py` (which `make eval` calls). Only dev splits are read;
the held-out evaluation data is never touched.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from inhouse.nlp import analyze_texts, near_duplicate_keys
from inhouse.nlp import data as ds
from inhouse.nlp.api import NEUTRAL_BAND, sentiment_label
from inhouse.nlp.classify import get_model
from inhouse.nlp.textnorm import normalize_many

Row = tuple[str, str, str, str]  # (test, method, figure, texts/s)


def _timed(func: Callable[[], list]) -> tuple[list, float]:
    start = time.perf_counter()
    out = func()
    return out, time.perf_counter() - start


def _acc(pred: Sequence, gold: Sequence) -> float:
    return float(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))


def _ours_binary(texts: list[str]) -> list[int]:
    p = get_model("sentiment").predict_proba(normalize_many(texts))[:, 1]
    return [int(x >= 0.5) for x in p]


def _snownlp() -> Callable[[list[str]], list[int]] | str:
    try:
        from snownlp import SnowNLP
    except ImportError:
        return "not installed (pip install -e '.[eval]')"
    return lambda texts: [int(SnowNLP(t).sentiments >= 0.5) if t.strip() else 1 for t in texts]


def _cnsenti() -> Callable[[list[str]], list[int]] | str:
    try:
        from cnsenti import Sentiment
    except ImportError:
        return "not installed (pip install -e '.[eval]')"
    senti = Sentiment()
    # cnsenti counts positive and negative dictionary words; more positive (or a tie) = positive
    return lambda texts: [int(r["pos"] >= r["neg"]) for r in map(senti.sentiment_count, texts)]


def sentiment_rows(data: Path) -> list[Row]:
    rows: list[Row] = []
    peers = {"snownlp 0.12": _snownlp(), "cnsenti 0.0.7": _cnsenti()}
    for name, target, (texts, gold) in (("weibo2018 dev", 0.88, ds.weibo2018(data, "dev")),
                                        ("waimai_10k dev", 0.92, ds.waimai(data, "dev"))):
        pred, secs = _timed(lambda t=texts: _ours_binary(t))
        acc = _acc(pred, gold)
        rows.append((f"{name} ({len(texts):,}) sentiment accuracy (issue 3 target {target:.0%})",
                     "inhouse", f"{acc:.1%} (target {'met' if acc >= target else 'not met'})",
                     f"{len(texts) / secs:,.0f}"))
        for peer, fn in peers.items():
            if isinstance(fn, str):
                rows.append(("", peer, fn, "–"))
                continue
            pred, secs = _timed(lambda f=fn, t=texts: f(t))
            rows.append(("", peer, f"{_acc(pred, gold):.1%}", f"{len(texts) / secs:,.0f}"))
    return rows


def _baseline_emotion(tr: list[str], y_tr: list[str], dv: list[str]) -> list[str]:
    """Plain baseline: jieba words, sklearn TF-IDF defaults, logistic regression defaults."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    vec = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
    model = OneVsRestClassifier(LogisticRegression(solver="liblinear"))
    model.fit(vec.fit_transform(tr), y_tr)
    return list(model.predict(vec.transform(dv)))


def emotion_rows(data: Path) -> list[Row]:
    from sklearn.metrics import f1_score

    tr, y_tr = ds.smp2020(data, "train")
    dv, y_dv = ds.smp2020(data, "dev")
    model = get_model("emotion")
    pred, secs = _timed(lambda: [model.classes[i] for i in
                                 model.predict_proba(normalize_many(dv)).argmax(axis=1)])
    base, _ = _timed(lambda: _baseline_emotion(tr, y_tr, dv))
    test = f"SMP2020-EWECT dev ({len(dv):,}) emotion macro-F1 / accuracy"
    return [
        (test, "inhouse", f"{f1_score(y_dv, pred, average='macro'):.3f} / {_acc(pred, y_dv):.1%}",
         f"{len(dv) / secs:,.0f}"),
        ("", "TF-IDF (jieba words) + LR, trained in this run",
         f"{f1_score(y_dv, base, average='macro'):.3f} / {_acc(base, y_dv):.1%}", "–"),
    ]


_THREE = {"happy": "positive", "angry": "negative", "sad": "negative", "fear": "negative",
          "neutral": "neutral"}


def neutral_rows(data: Path) -> tuple[list[Row], list[str]]:
    """Three-way sentiment on SMP2020 dev with emotions mapped (surprise left out)."""
    from sklearn.metrics import f1_score

    dv, y_dv = ds.smp2020(data, "dev")
    keep = [i for i, y in enumerate(y_dv) if y in _THREE]
    norm = normalize_many([dv[i] for i in keep])
    gold = [_THREE[y_dv[i]] for i in keep]
    p = get_model("sentiment").predict_proba(norm)[:, 1]
    emo = get_model("emotion")
    emotions = [emo.classes[i] for i in emo.predict_proba(norm).argmax(axis=1)]
    notes = []
    for band in ((0.5, 0.5), (0.4, 0.6), (0.3, 0.7), (0.25, 0.75), NEUTRAL_BAND, (0.0, 1.0)):
        pred = [sentiment_label(x, e, band) for x, e in zip(p, emotions, strict=True)]
        notes.append(f"band {band[0]:.2f}–{band[1]:.2f}: macro-F1 "
                     f"{f1_score(gold, pred, average='macro'):.3f}, accuracy {_acc(pred, gold):.1%}"
                     + (" (shipped)" if band == NEUTRAL_BAND else ""))
    pred = [sentiment_label(x, e) for x, e in zip(p, emotions, strict=True)]
    return [(f"SMP2020 dev mapped to 3 classes ({len(keep):,}) macro-F1 / accuracy", "inhouse",
             f"{f1_score(gold, pred, average='macro'):.3f} / {_acc(pred, gold):.1%}", "–")], notes


def intent_rows() -> list[Row]:
    try:
        from inhouse.sources.demo import generate
    except ImportError as exc:
        return [("demo scenario intent", "inhouse", f"demo generator unavailable: {exc}", "–")]
    scenario = generate()
    labels = scenario.truth["items"]
    recs = [r for r in scenario.records if r["id"] in labels and r.get("text")]
    results = analyze_texts([r["text"] for r in recs], dictionary=scenario.truth.get("dictionary", []))
    gold = [labels[r["id"]]["intent"] for r in recs]
    pred = [r.intent for r in results]
    per = []
    for cls in sorted(set(gold)):
        idx = [i for i, g in enumerate(gold) if g == cls]
        per.append(f"{cls} {_acc([pred[i] for i in idx], [cls] * len(idx)):.0%} (n={len(idx)})")
    gold_s = [labels[r["id"]]["sentiment"] for r in recs]
    return [(f"demo scenario (seed 2026, {len(recs):,} items) intent accuracy", "inhouse rules",
             f"{_acc(pred, gold):.1%}; recall per class: " + ", ".join(per), "–"),
            ("demo scenario 3-class sentiment accuracy", "inhouse",
             f"{_acc([r.sentiment for r in results], gold_s):.1%}", "–")]


def dedupe_rows(data: Path) -> list[Row]:
    """Each weibo2018 dev post and a variant (2 random char edits, new @name, emoticon, digits)."""
    texts, _ = ds.weibo2018(data, "dev")
    rng = random.Random(20240611)

    def variant(text: str) -> str:
        chars = list(text)
        for _ in range(2):
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 1 / 3:
                chars.insert(i, "哦")
            elif op < 2 / 3 and len(chars) > 1:
                del chars[i]
            else:
                chars[i] = "啊"
        return "".join(chars) + f" @路人{rng.randrange(99)} [哈哈] {rng.randrange(1000)}"

    variants = [variant(t) for t in texts]
    keys, secs = _timed(lambda: near_duplicate_keys(texts + variants))
    orig, var = keys[: len(texts)], keys[len(texts):]
    recall = np.mean([a == b and a != "" for a, b in zip(orig, var, strict=True)])
    merged = len([k for k in orig if k]) - len({k for k in orig if k})
    return [(f"weibo2018 dev ({len(texts):,}) + one edited copy each: near-duplicate recall",
             "inhouse MinHash", f"{recall:.1%}; originals wrongly merged: {merged}",
             f"{2 * len(texts) / secs:,.0f}")]
