"""Quick accuracy checks on real data (skip visibly when ../shared/data is absent) and on the
demo scenario's knowledge base."""

from __future__ import annotations

import random

import pytest

from inhouse.knowledge.retrieval import Index, KbEntry
from inhouse.knowledge.retrieval.pairs import build_test, evaluate, read_pairs
from inhouse.knowledge.retrieval.train import DICTIONARIES, ranker_for


@pytest.mark.data
def test_atec_dev_slice_beats_the_floor(shared_data):
    # 300 gold + 300 distractors from DEV; full figures come from eval/eval_kb.py.
    test = build_test(read_pairs(shared_data, "atec_afqmc", "dev"), 300)
    index = Index(test.entries, DICTIONARIES["atec_afqmc"])
    m = evaluate(ranker_for(index), test)
    assert m.top1 >= 0.30 and m.top3 >= 0.50, m


def test_demo_consultations_find_their_fact():
    demo = pytest.importorskip("inhouse.sources.demo.bank_customer")
    from inhouse.sources.demo import brand

    index = Index([KbEntry(f.id, f.question, f.answer, (), (f.product or "",)) for f in brand.KNOWLEDGE_BASE],
                  brand.dictionary())
    rng = random.Random(5)
    asked = [demo.consultation(rng) for _ in range(150)]
    ranked = index.rank_many([text for text, _, _ in asked], top=3, apply_threshold=False)
    top3 = sum(fact in [s.entry_id for s in r] for (_, _, fact), r in zip(asked, ranked, strict=True))
    assert top3 / len(asked) >= 0.5
