"""The keynote checks, on the demo brand's products: each rule says which, where and why."""

from __future__ import annotations

from decimal import Decimal

from inhouse.content.keynote import (
    BLOCK,
    WARN,
    PriceFact,
    Rules,
    check_draft,
    compose,
    extract_prices,
    facts_from_entries,
)

PRODUCTS = {"鹿角脆": ["鹿角脆脆"], "小鹿海苔脆": ["海苔脆"], "鹿鹿每日坚果": ["每日坚果"]}
FACTS = [PriceFact("鹿角脆", Decimal("12.9"), "kb_entry:1"),
         PriceFact("小鹿海苔脆", Decimal("9.9"), "kb_entry:2")]
RULES = Rules(banned_words=["最便宜", "秒杀全网"], sensitive_words=["第一"],
              required_tags={"*": ["#小鹿零食#"], "暖冬": ["#小鹿暖冬零食节#", "@暖风家电官方"]},
              products=PRODUCTS)


def rules_of(findings):
    return [(f.rule, f.level) for f in findings]


def test_a_clean_draft_has_no_findings():
    assert check_draft("#小鹿零食# 鹿角脆12.9元一袋，追剧必备。", RULES, [], FACTS) == []


def test_a_banned_word_blocks_and_says_where():
    text = "#小鹿零食# 全网最便宜的零食！"
    (finding,) = check_draft(text, RULES, [], FACTS)
    assert (finding.rule, finding.level) == ("banned", BLOCK)
    assert text[finding.start:finding.end] == "最便宜" and "最便宜" in finding.message


def test_every_occurrence_of_a_sensitive_word_warns():
    text = "#小鹿零食# 第一口就爱上，销量第一"
    found = check_draft(text, RULES, [], FACTS)
    assert rules_of(found) == [("sensitive", WARN)] * 2
    assert [text[f.start:f.end] for f in found] == ["第一", "第一"]


def test_required_tags_per_campaign():
    text = "#小鹿零食# 冬天到了，来一袋鹿角脆"
    assert check_draft(text, RULES, [], FACTS) == []
    found = check_draft(text, RULES, [], FACTS, campaign="暖冬")
    assert rules_of(found) == [("required", BLOCK)] * 2
    assert "#小鹿暖冬零食节#" in found[0].message and "@暖风家电官方" in found[1].message


def test_over_140_characters_blocks_on_the_overflow():
    text = "#小鹿零食#" + "好吃" * 70
    (finding,) = check_draft(text, RULES, [], FACTS)
    assert finding.rule == "length" and finding.start == 140 and finding.end == len(text)
    assert check_draft(text[:140], RULES, [], FACTS) == []


def test_a_near_duplicate_of_a_recent_post_warns():
    recent = ["#小鹿零食# 今天下午三点直播间见，鹿角脆新口味首发，记得定好闹钟哦"]
    text = "#小鹿零食# 今天下午四点直播间见，鹿角脆新口味首发，记得定好闹钟呀"
    assert rules_of(check_draft(text, RULES, recent, FACTS)) == [("duplicate", WARN)]
    assert check_draft("#小鹿零食# 周末去杭州云栖汇看看我们的快闪店吧", RULES, recent, FACTS) == []


def test_a_price_contradicting_the_knowledge_base_blocks():
    text = "#小鹿零食# 鹿角脆 9.9元，快来抢"
    (finding,) = check_draft(text, RULES, [], FACTS)
    assert (finding.rule, finding.level) == ("price", BLOCK)
    assert text[finding.start:finding.end] == "鹿角脆 9.9元"
    assert "12.9" in finding.message


def test_a_promotional_price_only_warns():
    text = "#小鹿零食# 今晚鹿角脆脆活动价9.9元"
    (finding,) = check_draft(text, RULES, [], FACTS)
    assert (finding.rule, finding.level) == ("price", WARN)


def test_prices_pair_with_the_nearest_product_before_them():
    stated = extract_prices("鹿角脆12.9元，海苔脆只要¥9.9；每日坚果礼盒价格另计", PRODUCTS)
    assert [(s.product, s.price) for s in stated] == [("鹿角脆", Decimal("12.9")),
                                                      ("小鹿海苔脆", Decimal("9.9"))]
    assert extract_prices("满99元包邮", PRODUCTS) == []  # no product named: no claim


def test_alias_is_read_as_its_product_longest_first():
    (stated,) = extract_prices("鹿角脆脆 12.9元", PRODUCTS)
    assert stated.product == "鹿角脆" and stated.start == 0


def test_facts_come_from_knowledge_base_answers_and_tags():
    facts = facts_from_entries([
        ("kb_entry:1", "鹿角脆（80g/袋）官方旗舰店售价12.9元（80g/袋），活动价以店铺页面为准。", []),
        ("kb_entry:2", "售价9.9元一罐", ["小鹿海苔脆"]),
        ("kb_entry:3", "下单后48小时内发货", ["鹿角脆"]),
    ], PRODUCTS)
    assert facts == FACTS


def test_compose_adds_tags_not_already_in_the_text():
    assert compose("好吃 #小鹿零食#", ["小鹿零食", "#暖冬#"], ["暖风家电官方"]) == \
        "好吃 #小鹿零食# #暖冬# @暖风家电官方"
