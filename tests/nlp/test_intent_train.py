"""`inhouse nlp train intent` rebuilds a loadable, seeded model from the shared data (slow)."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_training_builds_a_model_that_reads_questions(shared_data, tmp_path):
    from inhouse.nlp.classify import clear_cache, get_model
    from inhouse.nlp.intent_train import main

    assert main(["--data", str(shared_data), "--quick", "--out", str(tmp_path)]) == 0
    header = json.loads((tmp_path / "intent.json").read_text(encoding="utf-8"))
    assert header["training"]["seed"] and header["fill_threshold"] in (0.5, 0.6, 0.7, 0.8, 0.9)
    assert header["training"]["chosen"]["dev_score"] > 0.75  # macro-F1 on the real dev texts
    clear_cache()
    model = get_model("intent", tmp_path)
    proba = model.predict_proba(["请问这个怎么退款", "太难吃了,再也不买了", "今天天气真好出去玩"])
    assert [model.classes[i] for i in proba.argmax(axis=1)] == ["consultation", "complaint", "other"]
    clear_cache()
