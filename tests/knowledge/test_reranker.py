"""The re-ranker's confidence: calibrated on the margin over *other* entries, order kept,
and its file verified on load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inhouse.knowledge.retrieval import Index, KbEntry, Reranker
from inhouse.knowledge.retrieval.reranker import margins


def test_margin_is_over_the_best_candidate_of_another_entry():
    s = np.asarray([[3.0, 2.5, 1.0]])
    assert margins(s).tolist() == [[0.5, -0.5, -2.0]]
    # The first two are phrasings of one entry: the best is 2.0 ahead of the other entry.
    assert margins(s, np.asarray([[7, 7, 9]])).tolist() == [[2.0, 1.5, -2.0]]
    assert margins(s, np.asarray([[7, 7, 7]])).tolist() == [[0.0, 0.0, 0.0]]
    # A weak runner-up counts as the floor: beating an unrelated entry is no evidence.
    assert margins(np.asarray([[3.0, -5.0]]), floor=2.0).tolist() == [[1.0, -8.0]]


def test_calibration_never_changes_the_order_within_a_pool():
    model = Reranker.load()
    assert model.calibration[0] >= 0 and model.calibration[1] >= 0
    index = Index([KbEntry(str(i), q) for i, q in enumerate(
        ["花呗怎么还款", "借呗额度怎么提升", "花呗逾期了会怎么样", "花呗可以提前还款吗", "借呗怎么还款",
         "余额宝怎么转出", "花呗分期怎么取消", "花呗额度为什么降低了"])], ["花呗", "借呗"])
    _, feats = index.candidates(["花呗如何还钱", "借呗的额度能提高吗", "今天天气真好", "余额宝"])
    s, p = model.score(feats), model.predict(feats)
    order = np.argsort(-s, axis=1, kind="stable")
    assert (np.diff(np.take_along_axis(p, order, axis=1), axis=1) <= 1e-6).all()


def test_a_variant_does_not_make_its_own_entry_look_contested():
    entries = [KbEntry("repay", "花呗怎么还款", "", ("花呗如何还款", "花呗怎样还款")),
               KbEntry("limit", "借呗额度怎么提升", "")]
    with_variants = Index(entries, ["花呗", "借呗"]).rank_many(["花呗怎么还款"], apply_threshold=False)[0]
    alone = Index([KbEntry("repay", "花呗怎么还款", ""), entries[1]], ["花呗", "借呗"]).rank_many(
        ["花呗怎么还款"], apply_threshold=False)[0]
    assert with_variants[0].entry_id == "repay"
    assert with_variants[0].score >= alone[0].score - 0.05


def test_an_edited_reranker_file_is_refused(tmp_path):
    path = Reranker.load().save(tmp_path / "reranker.json")
    data = json.loads(path.read_text())
    data["calibration"][1] += 1
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="checksum"):
        Reranker.load(path)
