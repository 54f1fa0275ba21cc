"""Segmentation keeps the workspace's names whole without touching jieba's global dictionary."""

from inhouse.nlp.segmenter import segment, segment_many


def test_dictionary_names_are_never_split():
    tokens = segment("小鹿零食的鹿角脆真好吃,小鹿零食旗舰店发货快", ["小鹿零食", "鹿角脆"])
    assert tokens.count("小鹿零食") == 2
    assert "鹿角脆" in tokens


def test_without_dictionary_jieba_would_split_them():
    assert "鹿角脆" not in segment("小鹿零食的鹿角脆真好吃")


def test_longest_name_wins_and_names_with_latin_and_spaces_stay_whole():
    tokens = segment("我买了小鹿零食旗舰店的Deer Crisp 2", ["小鹿零食", "小鹿零食旗舰店", "deer crisp 2"])
    assert "小鹿零食旗舰店" in tokens
    assert "deer crisp 2" in tokens


def test_one_workspace_dictionary_does_not_leak_into_another():
    segment("鹿角脆", ["鹿角脆"])
    assert "鹿角脆" not in segment_many(["鹿角脆真好吃"])[0]
    import jieba

    assert "鹿角脆" not in jieba.dt.FREQ  # the process-wide dictionary is untouched
