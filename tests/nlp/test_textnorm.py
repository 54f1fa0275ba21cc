"""Normalisation: each kind of Weibo markup, width, punctuation and traditional characters."""

from inhouse.nlp.textnorm import normalize, normalize_many, parse


def test_topic_keeps_its_words_and_is_listed():
    parsed = parse("#小鹿零食新品#真好吃")
    assert parsed.topics == ["小鹿零食新品"]
    assert parsed.text == "小鹿零食新品 真好吃"


def test_mention_is_listed_and_removed_from_model_text():
    parsed = parse("@张三 你看这个")
    assert parsed.mentions == ["张三"]
    assert "张三" not in parsed.text


def test_repost_chain_names_and_own_text():
    parsed = parse("说得对//@李四:转发微博//@王五:原话在这")
    assert parsed.chain == ["李四", "王五"]
    assert parsed.own_text == "说得对"
    assert "李四" not in parsed.text and "原话在这" in parsed.text


def test_emoticons_stay_in_model_text():
    parsed = parse("好开心[哈哈][心]")
    assert parsed.emoticons == ["哈哈", "心"]
    assert parsed.text == "好开心[哈哈][心]"


def test_urls_are_listed_and_removed():
    parsed = parse("看这里 http://t.cn/A6xYz12 还有 https://weibo.com/123?a=b 完")
    assert parsed.urls == ["http://t.cn/A6xYz12", "https://weibo.com/123?a=b"]
    assert parsed.text == "看这里 还有 完"


def test_weibo2018_curly_markup_keeps_title_and_topic():
    parsed = parse("{%#静下心来听音乐#%} 书中自有黄金屋{%鹿晗:若选足球可能在英超踢球%}")
    assert "静下心来听音乐" in parsed.topics
    assert "{%" not in parsed.text and "鹿晗:若选足球" in parsed.text


def test_full_width_letters_digits_and_punctuation_become_half_width():
    assert normalize("ＡＢＣ１２３，好！？。") == "abc123,好!?."


def test_traditional_becomes_simplified():
    assert normalize("這個產品質量很好，發貨也快") == "这个产品质量很好,发货也快"


def test_batch_keeps_order_and_empty_texts():
    assert normalize_many(["體驗", "", "好"]) == ["体验", "", "好"]
