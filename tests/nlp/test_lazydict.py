"""The lazily loaded jieba dictionary cuts exactly as jieba does; its cache file is rebuilt
when damaged; the exact top-k used by the first stage agrees with a full sort."""

from __future__ import annotations

import numpy as np
import pytest

from inhouse.knowledge.retrieval.index import _top_k
from inhouse.knowledge.retrieval.text import clean_many, segment_many
from inhouse.nlp import lazydict

TEXTS = [
    "花呗怎么还款", "借呗额度为什么突然降低了", "我的蚂蚁花呗账单分期后还能提前还吗",
    "鹿角脆多少钱一袋，80g的", "iPhone14 pro max 能用花呗分期付款吗?", "余额宝转出到银行卡要多久到账",
    "小鹿零食旗舰店的快递几天到", "为啥我的芝麻分涨不上去", "网商贷和借呗有什么区别",
    "逾期3天会上征信吗", "这个月的账单怎么没出来啊啊啊", "",
]


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """A new cache folder and a new lazily loaded tokenizer for this test."""
    monkeypatch.setenv("INHOUSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lazydict, "_tokenizer", None)
    return tmp_path


def test_lazy_segmentation_is_jiebas_word_for_word(fresh, monkeypatch):
    import jieba

    from inhouse.nlp import segment_many as reference
    from inhouse.nlp import segmenter

    full = jieba.Tokenizer()  # jieba with its whole dictionary loaded: the reference
    full.initialize()
    cleaned = clean_many(TEXTS)
    for dictionary in ((), ("花呗", "借呗", "小鹿零食旗舰店", "鹿角脆")):
        lazy = segment_many(cleaned, dictionary)
        assert lazy == reference(cleaned, dictionary, normalized=True)  # nlp's segmenter: lazy too
        with monkeypatch.context() as m:
            m.setattr(segmenter, "_jieba", lambda: full)
            assert lazy == reference(cleaned, dictionary, normalized=True)
    tk = lazydict.tokenizer()
    assert 0 < len(tk._loaded) < lazydict.BUCKETS // 10  # only a small part was loaded


def test_frequency_is_the_count_in_jiebas_dictionary_file(fresh):
    import jieba

    counts = {}
    with jieba.get_dict_file() as f:
        for raw in f:
            word, count, *_ = raw.decode("utf-8").split(" ")
            if word in {"有点", "没想到", "苍蝇", "失望", "的", "花呗"}:
                counts[word] = int(count)
    assert counts["有点"] == 3706 and len(counts) >= 5
    for word, count in counts.items():
        assert lazydict.frequency(word) == count
    assert lazydict.frequency("鹿角脆没") == 0  # not a word
    # a prefix jieba keeps only to build its DAG counts as unknown
    assert lazydict.frequency("中华人民共") == 0


def test_a_damaged_cache_file_is_rebuilt(fresh):
    lazydict.tokenizer()
    (path,) = fresh.glob("jieba-buckets-*.bin")
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    lazydict._tokenizer = None
    assert segment_many(["借呗额度怎么提升"]) == [["借", "呗", "额度", "怎么", "提升"]]
    assert path.stat().st_size > 1_000_000


@pytest.mark.parametrize("n", [5, 30, 239, 240, 6001])
def test_top_k_agrees_with_a_full_sort(n):
    rng = np.random.default_rng(n)
    scores = (rng.integers(0, 20, (40, n)) / 7).astype(np.float32)  # many ties
    k = min(30, n)
    full = np.lexsort((np.broadcast_to(np.arange(n), scores.shape), -scores), axis=1)[:, :k]
    assert (_top_k(scores, k) == full).all()
