"""Intent: the rules, the shipped model and how they are combined."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inhouse.nlp import analyze_texts
from inhouse.nlp.intent import Intent, classify_intent, fuse, intent_model, model_texts


def test_the_shipped_model_loads_and_names_its_training():
    model = intent_model()
    assert model is not None and model.classes == ["complaint", "consultation", "other", "praise"]
    assert model.header["version"].startswith("intent-")
    assert 0.5 <= model.header["fill_threshold"] <= 0.9
    assert "demo" not in json.dumps(model.header["training"]["per_source"])


@pytest.mark.parametrize("text, intent", [
    ("请问鹿角脆保质期多久？", "consultation"),
    ("收到的礼盒袋子破了，怎么处理？", "consultation"),  # a fault told as a request for the remedy
    ("下单五天了还没发货，一般多久发？", "consultation"),
    ("客服一直不回，太差了，要投诉", "complaint"),
    ("加V信 13812345678 免费领零食", "spam"),
    ("我们是青禾茶饮，想和贵品牌谈谈联名合作", "cooperation"),
])
def test_clear_cases(text, intent):
    assert analyze_texts([text])[0].intent == intent


def test_model_reads_own_words_without_emoticons():
    assert model_texts(["请问还有货吗[doge][围观] // 转发内容"]) == ["请问还有货吗"]
    assert model_texts(["[哈哈]"]) == ["[哈哈]"]  # nothing left: keep the text


def test_a_rule_keeps_the_first_word_and_the_model_fills_the_rest():
    classes = ["complaint", "consultation", "other", "praise"]
    proba = np.array([[0.05, 0.05, 0.1, 0.8],    # rule fires (question): the rule wins
                      [0.1, 0.1, 0.1, 0.7],      # no rule: the model is sure enough
                      [0.3, 0.2, 0.4, 0.1],      # no rule, model unsure: other
                      [0.1, 0.8, 0.05, 0.05]])   # the model never adds a consultation
    texts = ["请问多少钱?", "一口气吃完一袋", "嗯嗯", "打卡"]
    out = fuse(texts, proba, [0.5] * 4, ["neutral"] * 4, classes, 0.6)
    assert [o.intent for o in out] == ["consultation", "praise", "other", "other"]
    assert out[1].rule.startswith("model:praise")
    assert classify_intent("一口气吃完一袋", 0.5, "neutral") == Intent("other", "other")


def test_a_question_to_other_fans_is_not_a_consultation():
    assert classify_intent("看饿了，有没有同好", 0.6, "happy").intent != "consultation"
    assert classify_intent("请问有没有同好一起拼单的渠道?", 0.5, "neutral").intent == "consultation"


def test_a_plain_question_is_not_a_complaint_for_its_tone():
    # short plain questions read as angry to the emotion model; only rhetorical ones complain
    assert classify_intent("有人吗?", 0.1, "angry").intent == "consultation"
    assert classify_intent("出了这种事还不回应?", 0.1, "angry").intent == "complaint"
