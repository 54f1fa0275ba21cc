"""Pure mappings, one format at a time, over small rows written for these tests (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inhouse.pipeline.records import RecordError, parse_record
from inhouse.sources.importers import get_format
from inhouse.sources.importers.base import Context, Row
from inhouse.sources.importers.common import clean_id, strip_html, to_count, to_time

FIXTURES = Path(__file__).parent / "fixtures"


def records_of(format_name: str, path: Path, ctx: Context | None = None) -> list[dict]:
    fmt = get_format(format_name)
    ctx = ctx or Context(author=fmt.file_author(path))
    out: list[dict] = []
    with path.open("rb") as stream:
        for row in fmt.read(stream):
            assert isinstance(row, Row), row
            out.extend(fmt.from_row(row.data, ctx))
    for record in out:
        parse_record(record)  # every mapped record is one ingest accepts
    return out


def test_ids_stay_exact_strings_and_lose_the_trailing_tab():
    assert clean_id("5100000000000001\t", "id") == "5100000000000001"
    assert clean_id(4673860400318571, "id") == "4673860400318571"
    with pytest.raises(RecordError, match="floating-point"):
        clean_id(4.673860400318571e15, "id")
    with pytest.raises(RecordError, match="spreadsheet"):
        clean_id("4.67386E+15", "id")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-08-24 23:23", "2021-08-24T23:23:00+08:00"),
        ("2019-12-16", "2019-12-16T00:00:00+08:00"),
        (1705239240, "2024-01-14T13:34:00+00:00"),
        ("1705239240", "2024-01-14T13:34:00+00:00"),
        ("2024-01-14 21:34:00+08:00", "2024-01-14T21:34:00+08:00"),
        ("Sat Jul 04 10:20:30 +0800 2026", "2026-07-04T10:20:30+08:00"),
    ],
)
def test_times_the_tools_write_are_read_with_naive_times_in_beijing(value, expected):
    assert to_time(value, "t") == expected


def test_a_time_that_cannot_be_read_names_the_source_column():
    with pytest.raises(RecordError) as caught:
        to_time("5分钟前", "发布时间")
    assert caught.value.field == "发布时间"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 0), ("12", 12), (7, 7), ("1,234", 1234), ("1.2万", 12000), ("10万+", 100000), ("100+", 100), ("1亿", 100000000)],
)
def test_counts_as_the_tools_write_them(value, expected):
    assert to_count(value, "c") == expected


def test_html_of_m_weibo_keeps_emoticons_and_line_breaks():
    assert strip_html('好吃<img alt="[馋嘴]" src="x.png" /><br />推荐 <a href="#">#鹿角脆#</a>&amp;') == "好吃[馋嘴]\n推荐 #鹿角脆#&"


def test_mediacrawler_old_generation_contents_keep_the_user_id():
    first, second = records_of("mediacrawler-csv", FIXTURES / "mediacrawler_contents_old.csv")
    assert first["id"] == "5012345678901234" and first["kind"] == "post"
    assert first["text"] == "小鹿零食的鹿角脆到货了，\n还是熟悉的味道"
    assert first["created_at"] == "2024-01-14T13:34:00+00:00"
    assert first["author"] == {"uid": "6012345678", "screen_name": "吃货小王", "location": "北京"}
    assert (first["likes_count"], first["comments_count"], first["reposts_count"]) == (12, 3, 1)
    assert first["source"] == "mediacrawler-csv"
    assert first["raw"]["note_url"].endswith("5012345678901234")
    assert second["author"]["uid"] == "6098765432"


def test_mediacrawler_new_generation_comments_hash_the_author_and_tell_replies_apart():
    comment, reply, zero_parent = records_of("mediacrawler-csv", FIXTURES / "mediacrawler_comments_new.csv")
    assert comment["kind"] == "comment" and comment["parent_id"] == "5012345678905678"
    assert comment["author"] == {"uid": "h:3f2a9c0d1e4b5a67", "screen_name": "阿***强"}
    assert comment["comments_count"] == 1 and comment["likes_count"] == 4
    assert reply["kind"] == "reply"
    assert reply["parent_id"] == "5012345679000001" and reply["root_id"] == "5012345678905678"
    assert zero_parent["kind"] == "comment"  # parent_comment_id "0" means the note itself


def test_mediacrawler_json_array_of_the_new_generation():
    first, second = records_of("mediacrawler-json", FIXTURES / "mediacrawler_contents_new.json")
    assert first["likes_count"] == 12000 and first["reposts_count"] == 100000
    assert first["author"]["uid"] == "h:3f2a9c0d1e4b5a67"
    assert first["source"] == "mediacrawler-json"
    assert second["id"] == "5112345678905678"


def test_mediacrawler_jsonl_comments_of_the_old_generation():
    comment, reply = records_of("mediacrawler-jsonl", FIXTURES / "mediacrawler_comments_old.jsonl")
    assert comment["kind"] == "comment" and comment["author"]["uid"] == "6011112222"
    assert reply["kind"] == "reply" and reply["parent_id"] == "5012345679100001"


def test_mediacrawler_creators_record_is_refused_with_a_reason():
    fmt = get_format("mediacrawler-jsonl")
    with pytest.raises(RecordError, match="profile"):
        fmt.from_row({"user_id": "1", "nickname": "x", "fans": "3", "follows": "1"}, Context())


def test_weibo_crawler_2019_csv_takes_the_author_from_the_file_name():
    path = FIXTURES / "weibo_crawler" / "小鹿零食" / "1234567890.csv"
    first, second = records_of("weibo-crawler-csv", path)
    assert first["author"] == {"uid": "1234567890", "screen_name": "小鹿零食"}
    assert first["created_at"] == "2019-12-16T00:00:00+08:00"
    assert (first["likes_count"], first["comments_count"], first["reposts_count"]) == (120, 45, 300)
    assert first["raw"]["原始图片url"].startswith("https://")
    assert second["text"].startswith("冬天到了，\n")


def test_weibo_crawler_current_csv_strips_the_tab_and_stores_the_retweeted_original():
    path = FIXTURES / "weibo_crawler" / "小鹿零食" / "1234567891.csv"
    original_post, repost, retweeted = records_of("weibo-crawler-csv", path)
    assert original_post["id"] == "5100000000000001"
    assert original_post["created_at"] == "2026-06-20T10:00:00+08:00"  # 完整日期 beats 日期
    assert repost["kind"] == "repost" and repost["parent_id"] == "5099999999999999"
    assert retweeted["id"] == "5099999999999999" and retweeted["kind"] == "post"
    assert retweeted["author"] == {"uid": "2222222222", "screen_name": "零食测评君"}
    assert retweeted["likes_count"] == 10000


def test_weibo_crawler_file_name_as_renamed_by_people():
    fmt = get_format("weibo-crawler-csv")
    assert fmt.file_author(Path("weibo_crawler__保定早报_1400488302.csv")) == {"uid": "1400488302", "screen_name": "保定早报"}
    assert fmt.file_author(Path("export.csv")) is None


def test_weibo_crawler_json_completes_the_author_from_the_user_object():
    post, repost, original = records_of("weibo-crawler-json", FIXTURES / "weibo_crawler_1234567890.json")
    assert post["id"] == "5100000000000011" and post["created_at"] == "2026-06-22T12:00:00+08:00"
    assert post["author"]["followers_count"] == 583000 and post["author"]["friends_count"] == 210
    assert post["author"]["verified"] is True
    assert repost["kind"] == "repost" and repost["parent_id"] == "5100000000000009"
    assert original["author"] == {"uid": "3333333333", "screen_name": "福州美食地图"}


def test_weibo_search_current_columns_with_verification_and_a_retweet_row():
    fan, brand, repost = records_of("weibo-search-csv", FIXTURES / "weibo_search_new.csv")
    assert fan["author"] == {"uid": "5555555555", "screen_name": "鹿角脆爱好者", "location": "发布于 浙江",
                             "verified": False, "verified_type": -1}
    assert brand["author"]["verified"] is True and brand["author"]["verified_type"] == 2
    assert repost["kind"] == "repost"
    assert repost["parent_id"] == repost["root_id"] == "4900000000000002"
    assert fan["created_at"] == "2023-03-01T10:05:00+08:00"
    assert fan["raw"]["微博图片url"].startswith("['https://")


def test_mweibo_cards_and_mblogs_with_the_retweeted_original():
    records = records_of("mweibo-json", FIXTURES / "mweibo_saved.jsonl")
    by_id = {record["id"]: record for record in records}
    assert set(by_id) == {"5113000000000001", "5113000000000002", "5112999999999999", "5113000000000003"}
    first = by_id["5113000000000001"]
    assert first["text"] == "鹿角脆好吃[馋嘴]\n推荐给大家 #鹿角脆#"
    assert first["comments_count"] == 10000
    assert first["author"]["followers_count"] == 15000
    assert by_id["5113000000000002"]["kind"] == "repost"
    assert by_id["5113000000000002"]["parent_id"] == "5112999999999999"
    assert by_id["5112999999999999"]["author"]["uid"] == "1234567890"


def test_own_jsonl_passes_through_and_gains_a_source():
    post, comment = records_of("jsonl", FIXTURES / "records.jsonl", Context(account_uid="1234567890"))
    assert post["source"] == "jsonl" and post["account_uid"] == "1234567890"
    assert "source" not in post["raw"]
    assert comment["source"] == "demo"


def test_weibo_crawler_comments_csv_stores_comments_without_an_author():
    (comment,) = records_of("weibo-crawler-csv", FIXTURES / "weibo_crawler" / "小鹿零食_comments.csv")
    assert comment["kind"] == "comment" and comment["parent_id"] == "5100000000000001"
    assert "author" not in comment and comment["likes_count"] == 3
    assert comment["created_at"] == "2026-06-20T10:12:33+08:00"
