"""analyze_texts on obvious examples, and the intent rules."""

import pytest

from inhouse.nlp import TextAnalysis, analyze_texts
from inhouse.nlp.api import sentiment_label
from inhouse.nlp.intent import classify_intent


def test_obvious_positive_and_negative():
    pos, neg = analyze_texts([
        "太好吃了!包装也很精美,下次还会回购,强烈推荐[赞][赞]",
        "垃圾产品,质量太差了,客服态度恶劣,再也不买了[怒]",
    ])
    assert pos.sentiment == "positive" and pos.p_positive > 0.7
    assert neg.sentiment == "negative" and neg.p_positive < 0.3
    assert neg.emotion == "angry"
    assert pos.intent == "praise" and neg.intent == "complaint"


def test_results_have_every_field_in_order():
    texts = ["请问鹿角脆什么时候补货?", "", "想和贵品牌谈一下联名合作,怎么对接?"]
    results = analyze_texts(texts, dictionary=["鹿角脆"])
    assert [type(r) for r in results] == [TextAnalysis] * 3
    assert [r.intent for r in results] == ["consultation", "other", "cooperation"]
    for r in results:
        assert r.sentiment in {"positive", "neutral", "negative"} and 0 <= r.p_positive <= 1
        assert r.emotion in {"angry", "fear", "happy", "neutral", "sad", "surprise"}
        assert r.version.startswith("sentiment-")


def test_empty_batch():
    assert analyze_texts([]) == []


def test_topics_are_reported():
    (r,) = analyze_texts(["#小鹿零食新品# 好吃"])
    assert r.topics == ("小鹿零食新品",)


def test_neutral_needs_both_a_middling_p_and_a_neutral_emotion():
    assert sentiment_label(0.5, "neutral") == "neutral"
    assert sentiment_label(0.45, "angry") == "negative"
    assert sentiment_label(0.9, "neutral") == "positive"


@pytest.mark.parametrize("text,p,emotion,intent", [
    ("加V信 abc123 低价代购正品", 0.5, "neutral", "spam"),
    ("售后服务电话 13812345678 全国联系", 0.5, "neutral", "spam"),
    ("我们是一家MCN机构,想寻求商务合作", 0.6, "neutral", "cooperation"),
    ("吃了会过敏吗?成分有坚果吗", 0.5, "neutral", "consultation"),
    ("吃了之后过敏了,起疹子,要投诉", 0.1, "angry", "complaint"),
    ("一直等不到,你们到底在干嘛", 0.05, "angry", "complaint"),
    ("好吃!已经回购三次了", 0.9, "happy", "praise"),
    ("今天天气不错", 0.7, "happy", "other"),
])
def test_intent_rules(text, p, emotion, intent):
    assert classify_intent(text, p, emotion).intent == intent


def test_analyze_batch_equals_the_two_separate_calls():
    from inhouse.nlp import analyze_batch, near_duplicate_keys

    texts = ["关注我领取免费试吃大礼包,名额有限先到先得 @甲", "关注我领取免费试吃大礼包,名额有限先到先得 @乙",
             "#新品# 太好吃了[赞]", "質量太差了,退款!", ""]
    results, keys = analyze_batch(texts)
    assert results == analyze_texts(texts) and keys == near_duplicate_keys(texts)
    assert keys[0] == keys[1] != "" and keys[4] == ""
    assert analyze_batch([]) == ([], [])


def test_shared_hashing_never_serves_another_batch():
    from inhouse.nlp.features import FeatureSpec, hash_ngrams

    spec = FeatureSpec(1, 3, 12)
    first = hash_ngrams(["好吃", "难吃"], spec)
    second = hash_ngrams(["难吃", "好吃"], spec)
    assert first.n_rows == second.n_rows == 2
    assert sorted(first.indices[first.rows == 0]) == sorted(second.indices[second.rows == 1])
    assert hash_ngrams(["太难吃", "好吃"], FeatureSpec(1, 2, 12)).indices.size == 5 + 3
