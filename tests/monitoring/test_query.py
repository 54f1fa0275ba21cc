"""The listening-rule language: parsing, clear errors, and matching on segmented Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inhouse.monitoring.query import All, And, Matcher, Not, Or, QueryError, Term, parse, terms
from inhouse.monitoring.segment import Segmenter

DICTIONARY = ["小鹿零食", "鹿角脆"]


@pytest.fixture(scope="module")
def seg():
    return Segmenter(DICTIONARY)


def match(query: str, text: str, seg) -> bool:
    return Matcher(query, seg).matches(text)


def test_juxtaposition_means_and_and_or_binds_looser():
    assert parse("a b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))


def test_not_minus_parentheses_phrases_and_star():
    assert parse('-a NOT (b OR "c d")') == And((Not(Term("a")), Not(Or((Term("b"), Term("cd", True))))))
    assert parse("*") == All()
    assert parse("wi-fi") == Term("wi-fi")


def test_terms_lists_every_literal():
    assert terms(parse('小鹿 (苍蝇 OR "异物") -广告')) == ["小鹿", "苍蝇", "异物", "广告"]


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("", 1, "a word"),
        ("小鹿 AND", 7, "a word"),
        ("(小鹿 OR 苍蝇", 10, "')' to close the '(' at position 1"),
        ('小鹿 "苍蝇', 4, "a closing quote"),
        ("小鹿 )", 4, "'AND', 'OR' or end of query"),
        ("OR 小鹿", 1, "a word"),
    ],
)
def test_parse_errors_name_the_position_and_what_was_expected(query, position, expected):
    with pytest.raises(QueryError) as err:
        parse(query)
    assert err.value.position == position
    assert expected in str(err.value)
    assert str(err.value).startswith(f"position {position}:")


@given(st.text(alphabet=st.sampled_from(list('ab 小鹿()"-*ANDORT“”\t')), max_size=30))
@settings(max_examples=400, deadline=None)
def test_any_query_parses_or_raises_the_clear_error(source):
    try:
        parse(source)
    except QueryError as err:
        assert 1 <= err.position <= len(source) + 1
        assert err.expected


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_arbitrary_unicode_parses_or_raises_the_clear_error(source):
    try:
        parse(source)
    except QueryError:
        pass


def test_product_name_inside_a_longer_word_is_found(seg):
    assert match("鹿角脆", "新出的鹿角脆片太好吃", seg)
    assert match("鹿角脆", "鹿角脆Pro新品上市", seg)
    assert match("小鹿", "小鹿零食里吃出苍蝇", seg)  # the brand is a workspace word


def test_unrelated_words_merely_containing_the_name_are_not(seg):
    assert not match("小米", "早上喝了一碗小米粥", seg)
    assert not match("华为", "中华为民族复兴", seg)
    assert match("小米", "小米发布了新手机", seg)


def test_boolean_operators_and_exclusions(seg):
    text = "小鹿零食的袋子里有苍蝇"
    assert match("小鹿零食 苍蝇", text, seg)
    assert match("小鹿零食 AND (异物 OR 苍蝇)", text, seg)
    assert not match("小鹿零食 -苍蝇", text, seg)
    assert not match("小鹿零食 NOT 苍蝇", text, seg)
    assert match('"小鹿 零食"', text, seg)
    assert match("*", "", seg)


def test_matching_is_case_and_width_insensitive(seg):
    assert match("pro", "鹿角脆ＰＲＯ", seg)
    assert match("PRO", "鹿角脆pro", seg)
