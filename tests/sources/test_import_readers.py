"""Readers stream and keep line numbers; --format auto guesses from name, header or first object."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from inhouse.sources.importers.base import LineError, Row
from inhouse.sources.importers.detect import guess_format
from inhouse.sources.importers.jsonstream import JsonStream
from inhouse.sources.importers.readers import csv_rows, json_values, jsonl_lines

FIXTURES = Path(__file__).parent / "fixtures"


def read(reader, text: str) -> list:
    return list(reader(io.BytesIO(text.encode("utf-8"))))


def test_csv_rows_start_on_their_physical_line_even_after_multiline_fields():
    rows = read(csv_rows, '\ufeffid,text\n1,"two\nlines"\n\n2,plain\n3,a,b\n4,ok\n')
    assert [(r.line, type(r).__name__) for r in rows] == [(2, "Row"), (5, "Row"), (6, "LineError"), (7, "Row")]
    assert rows[0].data == {"id": "1", "text": "two\nlines"}
    assert rows[2].field == "(row)" and "3 fields" in rows[2].message


def test_jsonl_bad_line_is_reported_and_the_next_one_kept():
    rows = read(jsonl_lines, '{"a": 1}\n{"a": \n\n{"a": 3}\n')
    assert isinstance(rows[1], LineError) and rows[1].line == 2
    assert [r.data for r in rows if isinstance(r, Row)] == [{"a": 1}, {"a": 3}]
    assert rows[2].line == 4


def test_json_array_is_read_element_by_element_with_lines():
    text = '[\n    {\n        "a": 1\n    },\n    {\n        "a": 2\n    }\n]\n'
    rows = read(json_values, text)
    assert [(r.line, r.data) for r in rows] == [(2, {"a": 1}), (5, {"a": 2})]


def test_a_malformed_array_element_is_skipped_and_reading_resumes():
    text = '[\n    {"a": 1},\n    {"a": oops},\n    {"a": 3}\n]'
    rows = read(json_values, text)
    assert [type(r).__name__ for r in rows] == ["Row", "LineError", "Row"]
    assert rows[1].line == 3 and rows[2].data == {"a": 3}


def test_elements_larger_than_the_read_chunk_are_assembled():
    big = "鹿" * 50_000
    text = "[" + ",".join(f'{{"n": {i}, "t": "{big}"}}' for i in range(3)) + "]"
    stream = JsonStream(io.StringIO(text), chunk=1024)
    assert [row.data["n"] for row in stream.values()] == [0, 1, 2]


def test_a_truncated_array_says_so():
    rows = read(json_values, '[{"a": 1}, {"a": 2')
    assert isinstance(rows[-1], LineError)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("mediacrawler_contents_old.csv", "mediacrawler-csv"),
        ("mediacrawler_comments_new.csv", "mediacrawler-csv"),
        ("mediacrawler_contents_new.json", "mediacrawler-json"),
        ("mediacrawler_comments_old.jsonl", "mediacrawler-jsonl"),
        ("weibo_crawler/小鹿零食/1234567890.csv", "weibo-crawler-csv"),
        ("weibo_crawler/小鹿零食/1234567891.csv", "weibo-crawler-csv"),
        ("weibo_crawler/小鹿零食_comments.csv", "weibo-crawler-csv"),
        ("weibo_crawler_1234567890.json", "weibo-crawler-json"),
        ("weibo_search_new.csv", "weibo-search-csv"),
        ("mweibo_saved.jsonl", "mweibo-json"),
        ("records.jsonl", "jsonl"),
    ],
)
def test_auto_detection_names_the_format_and_why(path, expected):
    guess = guess_format(FIXTURES / path)
    assert guess.format == expected
    assert guess.reason


def test_auto_detection_gives_up_with_a_reason(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    guess = guess_format(path)
    assert guess.format is None and "a, b" in guess.reason
