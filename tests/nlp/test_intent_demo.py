"""Intent (rules plus model) against the demo scenario's ground truth, which the model never
trains on (its data is real text from ../shared/data; see docs/intent-and-learning.md)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))


@pytest.fixture(scope="module")
def run():
    pytest.importorskip("inhouse.sources.demo", reason="demo generator not available")
    from eval_intent import demo_intents

    return demo_intents(seed=2026, scale=0.2)


def test_demo_consultations_are_labelled_consultation(run):
    from eval_intent import consultation_recall, per_class

    assert sum(1 for i in run["ids"] if i in run["consultation_ids"]) > 300
    # issue 7's target is 90%; full scale (seed 2026) measured 94.6%
    assert consultation_recall(run, "model") >= 0.90
    precision, recall, _ = per_class(run["gold"], run["model"])["consultation"]
    assert precision >= 0.55 and recall >= 0.90, (precision, recall)  # not "everything is a question"


def test_intent_accuracy_on_the_demo_scenario(run):
    from eval_intent import accuracy

    assert len(run["gold"]) > 3000
    # full scenario (seed 2026, scale 1): 64.0% with the model, 63.3% rules alone
    assert accuracy(run["gold"], run["model"]) >= 0.61
