"""Quick accuracy checks on slices of the dev splits (full figures: eval/eval_nlp.py)."""

import numpy as np

from inhouse.nlp.classify import get_model
from inhouse.nlp.data import smp2020, waimai, weibo2018
from inhouse.nlp.textnorm import normalize_many

ROWS = 300


def test_sentiment_on_weibo2018_dev_slice(shared_data):
    texts, labels = weibo2018(shared_data, "dev")
    p = get_model("sentiment").predict_proba(normalize_many(texts[:ROWS]))[:, 1]
    accuracy = float(((p >= 0.5) == np.array(labels[:ROWS])).mean())
    assert accuracy >= 0.82, accuracy  # full dev measured 0.86


def test_sentiment_on_waimai_dev_slice(shared_data):
    texts, labels = waimai(shared_data, "dev")
    texts, labels = texts[::4], labels[::4]  # the file is sorted by label: spread the slice
    p = get_model("sentiment").predict_proba(normalize_many(texts))[:, 1]
    accuracy = float(((p >= 0.5) == np.array(labels)).mean())
    assert accuracy >= 0.87, accuracy  # full dev measured 0.908


def test_emotion_on_smp2020_dev_slice(shared_data):
    texts, labels = smp2020(shared_data, "dev")
    step = len(texts) // ROWS  # spread over both domains, which are stored one after the other
    texts, labels = texts[::step][:ROWS], labels[::step][:ROWS]
    model = get_model("emotion")
    pred = [model.classes[i] for i in model.predict_proba(normalize_many(texts)).argmax(axis=1)]
    accuracy = float(np.mean([a == b for a, b in zip(pred, labels, strict=True)]))
    assert accuracy >= 0.60, accuracy
