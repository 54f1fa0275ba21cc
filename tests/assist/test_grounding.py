"""The claim tracer: facts in a draft must be in the sources it cites."""

from __future__ import annotations

from inhouse.assist.grounding import Source, cn_to_int, facts_in, normalise, trace

KB = Source("S1", "kb", "12", "鹿角脆每袋售价12.9元，保质期180天，可在官方旗舰店购买。")
POST = Source("S2", "item", "4711", "买的小鹿零食鹿角脆里吃出苍蝇，批次LC2026-11")
NAMES = ["小鹿零食", "鹿角脆"]


def test_small_chinese_numerals_read_as_numbers():
    assert [cn_to_int(t) for t in ("三", "十五", "二百零八", "两万", "天")] == [3, 15, 208, 20000, None]
    assert normalise("保质期 一百八十天，１２元") == "保质期180天，12元"
    # Words that merely contain a numeral are not quantities.
    assert normalise("第一时间 一起 一定") == "第一时间一起一定"


def test_a_fact_from_the_cited_source_is_traced():
    result = trace("您好！鹿角脆每袋售价12.9元[S1]，保质期一百八十天[S1]。", [KB, POST], NAMES)
    assert result.ok and result.cited == ["S1"]
    assert {"12.9", "180", "鹿角脆"} <= {f for c in result.claims for f in c.facts}


def test_an_invented_number_is_caught_and_located():
    draft = "您好！鹿角脆每袋12.9元[S1]。现在下单立减20元[S1]。"
    result = trace(draft, [KB, POST], NAMES)
    assert not result.ok
    [bad] = result.untraced
    assert bad.missing == ["20"]
    assert draft[bad.start:bad.end] == "现在下单立减20元[S1]。"


def test_a_number_is_not_found_inside_a_longer_one():
    assert not trace("售价12元[S1]。", [KB], NAMES).ok  # 12.9 in the source, not 12
    assert not trace("保质期18天[S1]。", [KB], NAMES).ok  # 180 in the source


def test_a_fact_from_another_source_than_the_one_cited_is_untraced():
    result = trace("批次LC2026-11已全部下架[S1]。", [KB, POST], NAMES)
    assert [c.missing for c in result.untraced] == [["lc2026-11"]]
    assert trace("批次LC2026-11已全部下架[S2]。", [KB, POST], NAMES).ok


def test_an_unknown_citation_label_is_untraced():
    result = trace("我们已关注到此事[S7]。", [KB], NAMES)
    assert [c.unknown_cites for c in result.untraced] == [["S7"]]


def test_a_product_name_absent_from_every_source_is_an_invented_fact():
    result = trace("小鹿零食的鹿角脆和鹿蹄酥都已下架。", [KB], NAMES + ["鹿蹄酥"])
    assert result.untraced and "鹿蹄酥" in result.untraced[0].missing


def test_plain_courtesy_carries_no_fact_and_passes():
    result = trace("非常抱歉给您带来不便，我们会尽快处理。", [KB], NAMES)
    assert result.ok and result.claims == []


def test_quoted_words_must_be_in_a_source():
    assert facts_in("官方称“全部召回”", NAMES) == ["全部召回"]
    assert not trace("官方称“全部召回”[S1]。", [KB], NAMES).ok
