"""The pure retrieval index: constructed Chinese examples, typos, names, variants, threshold."""

from __future__ import annotations

import numpy as np
import pytest

from inhouse.knowledge.retrieval import Index, KbEntry
from inhouse.knowledge.retrieval.text import char_ngrams, clean_many

KB = [
    KbEntry("repay", "花呗怎么还款", "在支付宝首页打开花呗，点“立即还款”。", ("花呗如何还钱",)),
    KbEntry("limit", "借呗额度怎么提升", "保持良好的使用和还款记录，系统会定期评估。"),
    KbEntry("overdue", "花呗逾期了会怎么样", "逾期会产生罚息并影响信用记录。"),
    KbEntry("price", "鹿角脆多少钱", "官方旗舰店售价12.9元（80g/袋）。", ("鹿角脆的价格",), ("鹿角脆",)),
    KbEntry("allergen", "鹿鹿每日坚果含过敏原吗", "含树坚果，坚果过敏者请勿食用。"),
    KbEntry("shipping", "多久发货？快递几天到？", "下单后48小时内发货。"),
    KbEntry("invoice", "可以开发票吗", "订单页可申请电子发票。"),
]
DICTIONARY = ["花呗", "借呗", "鹿角脆", "鹿鹿每日坚果", "小鹿零食"]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(KB, DICTIONARY, threshold=0.0)


def best(index: Index, text: str) -> str:
    return index.rank_many([text], top=1, apply_threshold=False)[0][0].entry_id


@pytest.mark.parametrize("question, expected", [
    ("花呗如何还款", "repay"),
    ("借呗的额度能提高吗", "limit"),
    ("花呗逾期一天有什么后果", "overdue"),
    ("想问问鹿鹿每日坚果有没有过敏原", "allergen"),
    ("下单以后多久能发货", "shipping"),
])
def test_ranks_the_entry_that_answers_a_paraphrase(index, question, expected):
    assert best(index, question) == expected


def test_a_typo_still_finds_its_entry(index):
    # 鹿角催 for 鹿角脆, 花被 for 花呗: the character n-grams carry what the words lose.
    assert best(index, "鹿角催多少钱一袋") == "price"
    assert best(index, "花被怎么还款") == "repay"


def test_weibo_noise_is_ignored(index):
    assert best(index, "@小鹿零食官方微博 #小鹿零食# 鹿角脆多少钱[doge] http://t.cn/A6abc") == "price"


def test_a_variant_is_matched_like_the_question(index):
    assert best(index, "鹿角脆的价格是多少") == "price"
    # An entry appears once even when its question and its variant both match.
    ids = [s.entry_id for s in index.rank_many(["花呗如何还钱 花呗怎么还款"], top=3, apply_threshold=False)[0]]
    assert ids.count("repay") == 1


def test_scores_are_confidences_best_first(index):
    ranked = index.rank_many(["花呗怎么还款"], top=5, apply_threshold=False)[0]
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_unrelated_text_gets_no_suggestion_at_the_shipped_threshold():
    index = Index(KB, DICTIONARY)  # the shipped model's threshold
    assert index.suggest("今天天气真好，出去玩") == []
    assert index.suggest("哈哈哈哈[哈哈]") == []


def test_an_exact_question_is_suggested_at_the_shipped_threshold():
    index = Index(KB, DICTIONARY)
    assert [s.entry_id for s in index.suggest("花呗怎么还款", top=1)] == ["repay"]


def test_empty_index_and_empty_questions():
    assert Index([]).suggest("花呗怎么还款") == []
    index = Index(KB, DICTIONARY)
    assert index.rank_many([]) == []
    assert index.suggest("") == []


def test_batch_gives_the_same_answers_as_one_by_one(index):
    texts = ["花呗如何还款", "鹿角脆多少钱", "可以开票吗"]
    assert index.rank_many(texts, apply_threshold=False) == [
        index.rank_many([t], apply_threshold=False)[0] for t in texts]


def test_dictionary_keeps_product_names_whole():
    index = Index(KB, DICTIONARY)
    assert "鹿鹿每日坚果" in index.word_vocab


def test_cleaning_and_ngrams():
    assert clean_many(["@某人 请问，鹿角脆[哈哈]多少钱？"]) == ["请问 鹿角脆 多少钱"]
    assert char_ngrams("鹿角脆 好") == ["鹿角", "角脆", "鹿角脆", "好"]


def _slow_lexical_score(model, a, b):
    """The lexical matcher's score straight from its definition, one pair at a time."""
    known = model.vocab
    a, b = {t for t in a if t in known}, {t for t in b if t in known}
    shared = a & b
    score = model.bias + sum(model.match[known[t]] for t in shared)
    score += sum(model.unmatched[known[t]] for t in (a | b) - shared)
    pairs = model.pairs.tocsr()
    score += sum(pairs[known[u], known[v]] for u in a - shared for v in b - shared)
    return score


def test_the_vectorised_lexical_matcher_scores_as_its_definition_says():
    from inhouse.knowledge.retrieval.lexical import fit, tokens

    texts = [("花呗怎么还款", "花呗如何还钱", 1), ("借呗额度怎么提升", "借呗怎么提额", 1),
             ("花呗怎么还款", "借呗怎么提额", 0), ("花呗逾期了怎么办", "花呗如何还钱", 0),
             ("余额宝怎么转出", "余额宝如何转出", 1), ("余额宝怎么转出", "花呗怎么还款", 0)] * 4
    tok = {t: tokens(list(t), t) for a, b, _ in texts for t in (a, b)}
    model = fit([(tok[a], tok[b], y) for a, b, y in texts], min_count=1, keep=0.0)
    assert model.pairs.nnz and model.n_chars
    a_side = [tok[a] for a, _, _ in texts[:6]] + [tokens(["新词"], "新词")]
    b_side = [tok[b] for _, b, _ in texts[:6]] + [tok["花呗怎么还款"]]
    fast = model.score_texts(a_side, b_side)
    slow = [_slow_lexical_score(model, a, b) for a, b in zip(a_side, b_side, strict=True)]
    assert fast == pytest.approx(slow, abs=1e-4)
    assert fast[0] > fast[2]  # a paraphrase scores above a different question


def test_a_damaged_lexical_file_is_refused(tmp_path):
    import json

    from inhouse.knowledge.retrieval.lexical import Lexical

    path = Lexical.load().save(tmp_path / "lexical.json")
    data = json.loads(path.read_text())
    data["match"][0] += 1
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="checksum mismatch"):
        Lexical.load(path)


def test_the_first_stage_lexical_part_is_the_matchers_score_without_its_pairs():
    """The pool is chosen with Q·diag(m − 2x)·Dᵀ + D·x (times the weight); with Q·x and the
    bias added back it is the lexical matcher's definition, pair weights left out."""
    from inhouse.knowledge.retrieval import index as index_module

    questions = ["花呗怎么还款", "借呗额度怎么提升", "花呗逾期了会怎么样", "余额宝怎么转出", "今天天气真好"]
    index = Index([KbEntry(str(i), q) for i, q in enumerate(questions)], ["花呗", "借呗"])
    asked = ["花呗如何还钱", "借呗的额度能提高吗", "余额宝"]
    prep = index._prepare(asked)
    model = index.lexical
    qt = model.matrix(prep.tokens)
    a = index_module.FIRST_STAGE_LEXICAL
    fast = ((qt @ index.lex_t).toarray() + index.lex_doc) / a + (qt @ model.unmatched)[:, None] + model.bias
    linear_only = type(model)(model.tokens, model.match, model.unmatched, model.pairs * 0, model.bias)
    docs = index._prepare(questions).tokens
    slow = [[_slow_lexical_score(linear_only, q, d) for d in docs] for q in prep.tokens]
    assert fast == pytest.approx(np.asarray(slow), abs=1e-3)
