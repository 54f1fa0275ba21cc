"""Every importer, on arbitrary and damaged files: rows or line errors, never a crash.

Readers turn any bytes into ``Row``/``LineError`` (a decoding failure mid-file surfaces as
UnicodeDecodeError, which ``import_file`` reports as a line error); ``from_row`` raises only
``RecordError`` naming a field; what it returns passes ``parse_record`` or fails it with a
``RecordError``. Valid generated rows come back with the values they were written with.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inhouse.pipeline.records import RecordError, parse_record
from inhouse.sources.importers import formats, get_format
from inhouse.sources.importers.base import Context, LineError, Row

from .fuzz import FUZZ, dump_csv, dump_jsonl, json_values, mutated, objects_with, text_rows

FIXTURES = Path(__file__).parent.parent / "sources" / "fixtures"
SAMPLES = {
    "mediacrawler-csv": ["mediacrawler_contents_old.csv", "mediacrawler_comments_new.csv"],
    "mediacrawler-json": ["mediacrawler_contents_new.json"],
    "mediacrawler-jsonl": ["mediacrawler_comments_old.jsonl"],
    "mweibo-json": ["mweibo_saved.jsonl"],
    "jsonl": ["records.jsonl"],
    "weibo-crawler-json": ["weibo_crawler_1234567890.json"],
    "weibo-crawler-csv": ["weibo_crawler/小鹿零食/1234567890.csv", "weibo_crawler/小鹿零食_comments.csv"],
    "weibo-search-csv": ["weibo_search_new.csv"],
}
# The columns/keys each family reads, so generated rows reach past the first check.
KEYS = {
    "mediacrawler": ["note_id", "comment_id", "content", "create_time", "create_date_time", "liked_count",
                     "comments_count", "shared_count", "user_id", "nickname", "ip_location", "creator_hash",
                     "parent_comment_id", "sub_comment_count", "comment_like_count", "fans"],
    "weibo-crawler-csv": ["id", "正文", "日期", "完整日期", "转发数", "评论数", "点赞数", "是否原创", "源微博id",
                          "源微博日期", "源微博完整日期", "源微博正文", "源用户id", "源用户昵称", "源微博转发数",
                          "weibo_id", "user_screen_name", "created_at", "text", "like_count"],
    "weibo-search-csv": ["id", "user_id", "用户昵称", "微博正文", "转发数", "评论数", "点赞数", "发布时间",
                         "retweet_id", "ip", "user_authentication"],
    "mweibo-json": ["mblog", "cards", "card_group", "data", "ok", "created_at", "mid", "idstr", "id", "text",
                    "raw_text", "longText", "user", "retweeted_status", "reposts_count", "comments_count",
                    "attitudes_count"],
    "jsonl": ["id", "kind", "created_at", "text", "author", "parent_id", "root_id", "reposts_count",
              "comments_count", "likes_count", "account_uid", "source", "raw", "platform"],
}
KEYS["weibo-crawler-json"] = ["id", "user_id", "screen_name", "text", "created_at", "full_created_at",
                              "reposts_count", "comments_count", "attitudes_count", "retweet"]
CONTEXTS = st.sampled_from([Context(), Context(account_uid="1234567890"),
                            Context(author={"uid": "1234567890", "screen_name": "小鹿零食"})])


def read_all(name: str, data: bytes) -> list[Row | LineError]:
    """What import_file sees: rows and line errors (a decoding stop counts as one)."""
    out: list[Row | LineError] = []
    try:
        for row in get_format(name).read(io.BytesIO(data)):
            assert isinstance(row, Row | LineError), row
            out.append(row)
    except UnicodeDecodeError:
        pass
    return out


def assert_clear(error: LineError) -> None:
    assert error.line >= 1 and error.field and error.message.strip()


def map_row(name: str, row: Row, ctx: Context) -> None:
    """from_row then parse_record: each step either works or raises RecordError naming a field."""
    try:
        records = get_format(name).from_row(row.data, ctx)
    except RecordError as exc:
        assert exc.field and exc.message
        return
    for record in records:
        try:
            parse_record(record)
        except RecordError as exc:
            assert exc.field and exc.message


def test_every_registered_format_has_a_suite():
    assert set(formats()) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@given(data=st.data())
@FUZZ
def test_damaged_files_give_rows_or_line_errors(name, data):
    sample = (FIXTURES / data.draw(st.sampled_from(SAMPLES[name]))).read_bytes()
    damaged = data.draw(mutated(sample))
    ctx = data.draw(CONTEXTS)
    for row in read_all(name, damaged):
        if isinstance(row, LineError):
            assert_clear(row)
        else:
            map_row(name, row, ctx)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@given(raw=st.binary(max_size=300))
@FUZZ
def test_arbitrary_bytes_give_rows_or_line_errors(name, raw):
    for row in read_all(name, raw):
        if isinstance(row, LineError):
            assert_clear(row)
        else:
            map_row(name, row, Context())


def _family(name: str) -> str:
    return "mediacrawler" if name.startswith("mediacrawler") else name


@pytest.mark.parametrize("name", ["mediacrawler-json", "mediacrawler-jsonl", "mweibo-json", "jsonl"])
@given(data=st.data())
@FUZZ
def test_any_json_object_maps_or_names_the_field(name, data):
    value = data.draw(st.one_of(objects_with(KEYS[_family(name)]), json_values))
    map_row(name, Row(1, value), data.draw(CONTEXTS))
    for row in read_all(name, dump_jsonl([value])):
        assert isinstance(row, Row) or row.field


@pytest.mark.parametrize("name", ["mediacrawler-csv", "weibo-crawler-csv", "weibo-search-csv"])
@given(data=st.data())
@FUZZ
def test_any_csv_row_maps_or_names_the_column(name, data):
    row = data.draw(text_rows(KEYS[_family(name)]))
    map_row(name, Row(2, row), data.draw(CONTEXTS))


@given(data=st.data())
@FUZZ
def test_any_weibo_crawler_post_maps_or_names_the_field(data):
    user = data.draw(st.one_of(st.none(), objects_with(["id", "screen_name", "followers_count", "verified"])))
    post = data.draw(st.one_of(objects_with(KEYS["weibo-crawler-json"]), json_values))
    map_row("weibo-crawler-json", Row(1, {"user": user, "weibo": post}), data.draw(CONTEXTS))


# --- round trips: valid rows come back as written ---------------------------------------------
ids = st.integers(min_value=10**15, max_value=2**63 - 1).map(str)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
counts = st.integers(min_value=0, max_value=10**7)
epochs = st.integers(min_value=1_300_000_000, max_value=1_900_000_000)


@given(rows=st.lists(st.tuples(ids, texts, epochs, counts, counts, counts, ids), min_size=1, max_size=5))
@FUZZ
def test_weibo_search_csv_round_trips(rows):
    import datetime as dt

    header = ["id", "user_id", "用户昵称", "微博正文", "转发数", "评论数", "点赞数", "发布时间"]
    shanghai = dt.timezone(dt.timedelta(hours=8))
    lines = [[i, uid, "某人", text, str(r), str(c), str(lk),
              dt.datetime.fromtimestamp(t, shanghai).strftime("%Y-%m-%d %H:%M")]
             for i, text, t, r, c, lk, uid in rows]
    read = read_all("weibo-search-csv", dump_csv(header, lines))
    assert all(isinstance(row, Row) for row in read) and len(read) == len(rows)
    for row, (i, text, t, r, c, lk, uid) in zip(read, rows, strict=True):
        [record] = get_format("weibo-search-csv").from_row(row.data, Context())
        item = parse_record(record)
        assert (item.platform_id, item.author.uid) == (i, uid)
        assert item.text == text and (item.reposts_count, item.comments_count, item.likes_count) == (r, c, lk)
        assert int(item.created_at.timestamp()) == t - t % 60


@given(rows=st.lists(st.tuples(ids, texts, epochs, counts, ids), min_size=1, max_size=5))
@FUZZ
def test_mediacrawler_jsonl_and_csv_round_trip(rows):
    objects = [{"note_id": i, "content": text, "create_time": t, "liked_count": likes, "user_id": uid,
                "nickname": "n"} for i, text, t, likes, uid in rows]
    csv_bytes = dump_csv(list(objects[0]), [[str(v) for v in o.values()] for o in objects])
    for name, data in (("mediacrawler-jsonl", dump_jsonl(objects)), ("mediacrawler-csv", csv_bytes)):
        read = read_all(name, data)
        assert [type(r) for r in read] == [Row] * len(rows)
        for row, (i, text, t, likes, uid) in zip(read, rows, strict=True):
            [record] = get_format(name).from_row(row.data, Context())
            item = parse_record(record)
            assert (item.platform_id, item.text, item.likes_count, item.author.uid) == (i, text, likes, uid)
            assert item.created_at.timestamp() == t


@given(records=st.lists(st.fixed_dictionaries({
    "id": ids, "kind": st.just("post"), "text": texts, "created_at": epochs,
    "likes_count": counts, "author": st.fixed_dictionaries({"uid": ids})}), min_size=1, max_size=5))
@FUZZ
def test_own_jsonl_round_trips(records):
    read = read_all("jsonl", dump_jsonl(records))
    for row, original in zip(read, records, strict=True):
        [record] = get_format("jsonl").from_row(row.data, Context())
        item = parse_record(record)
        assert (item.platform_id, item.text, item.likes_count) == (original["id"], original["text"], original["likes_count"])
        assert item.created_at.timestamp() == original["created_at"]


@pytest.mark.parametrize("name", ["mediacrawler-csv", "weibo-crawler-csv", "weibo-search-csv"])
@given(data=st.data())
@FUZZ
def test_a_field_over_the_csv_limit_is_a_line_error(name, data):
    """The readers raise csv's limit to 16 MiB; past it (here lowered to 64 characters, so
    small examples reach it), header or row, the file still reads as rows and line errors."""
    import csv

    sample = (FIXTURES / data.draw(st.sampled_from(SAMPLES[name]))).read_bytes()
    damaged = data.draw(st.one_of(st.just(sample), mutated(sample)))
    limit = csv.field_size_limit(64)
    try:
        read = read_all(name, damaged)
    finally:
        csv.field_size_limit(limit)
    for row in read:
        if isinstance(row, LineError):
            assert_clear(row)
