"""`inhouse import` end to end on a real database: counts, bad lines, re-import, --json, samples."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from inhouse.core.models import Account, Item

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = "crawler_samples"


def run_import(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, "--no-analyze", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def summary_of(*args: str) -> tuple[int, dict, str]:
    code, out, err = run_import(*args, "--json")
    return code, json.loads(out), err


def test_json_output_is_exactly_one_object_with_the_format_it_guessed(workspace):
    code, summary, err = summary_of(str(FIXTURES / "weibo_search_new.csv"))
    assert code == 0
    assert summary == {"format": "weibo-search-csv", "read": 3, "created": 3, "updated": 0,
                       "skipped": 0, "errors": []}
    assert "weibo-search-csv (guessed" in err


def test_reimporting_updates_and_never_duplicates(workspace):
    path = str(FIXTURES / "mediacrawler_comments_new.csv")
    summary_of(path, "--format", "mediacrawler-csv")
    code, again, _ = summary_of(path, "--format", "mediacrawler-csv")
    assert code == 0 and (again["created"], again["updated"]) == (0, 3)
    assert Item.objects.filter(workspace=workspace).count() == 3


def test_bad_lines_are_reported_with_line_and_field_and_good_lines_stored(workspace, tmp_path):
    path = tmp_path / "search.csv"
    path.write_text(
        "\ufeffid,bid,user_id,用户昵称,微博正文,头条文章url,发布位置,艾特用户,话题,转发数,评论数,点赞数,发布时间,发布工具,微博图片url,微博视频url,retweet_id\n"
        '4900000000000001,a,5555555555,甲,"第一行\n第二行",,,,,0,1,2,2023-03-01 10:05,,,,\n'
        "4900000000000002,b,5555555555,甲,时间坏了,,,,,0,0,0,昨天,,,,\n"
        "4900000000000003,c,5555555555,甲,多了一列,,,,,0,0,0,2023-03-01 10:07,,,,,x\n"
        "4900000000000004,d,5555555555,甲,数不对,,,,,很多,0,0,2023-03-01 10:08,,,,\n"
        "4900000000000005,e,5555555555,甲,好的,,,,,0,0,0,2023-03-01 10:09,,,,\n",
        encoding="utf-8",
    )
    code, summary, err = summary_of(str(path))
    assert code == 1
    assert summary["errors"] == [
        {"line": 4, "field": "发布时间", "message": summary["errors"][0]["message"]},
        {"line": 5, "field": "(row)", "message": "has 18 fields, the header has 17"},
        {"line": 6, "field": "转发数", "message": "cannot read '很多' as a count"},
    ]
    assert (summary["read"], summary["created"], summary["skipped"]) == (5, 2, 3)
    assert set(Item.objects.values_list("platform_id", flat=True)) == {"4900000000000001", "4900000000000005"}
    assert f"{path}:4: field '发布时间'" in err


def test_records_rejected_by_ingest_are_reported_at_their_line(workspace, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"id": "1", "kind": "post", "created_at": "2026-01-01T00:00:00+08:00"}\n'
        '{"id": "2", "kind": "tweet", "created_at": "2026-01-01T00:00:00+08:00"}\n'
        "not json\n"
        '{"id": "3", "kind": "comment", "created_at": "2026-01-01T00:00:00+08:00"}\n',
        encoding="utf-8",
    )
    code, summary, _ = summary_of(str(path), "--format", "jsonl")
    assert code == 1
    assert [(e["line"], e["field"]) for e in summary["errors"]] == [(2, "kind"), (3, "(json)"), (4, "parent_id")]
    assert summary["created"] == 1


def test_account_option_links_items_to_the_official_account(workspace):
    account = Account.objects.create(workspace=workspace, platform_uid="1234567890", screen_name="小鹿零食")
    summary_of(str(FIXTURES / "mweibo_saved.jsonl"), "--account", "1234567890")
    assert Item.objects.filter(account=account).count() == 4


def test_weibo_crawler_timeline_of_a_known_account_is_linked_without_the_option(workspace):
    account = Account.objects.create(workspace=workspace, platform_uid="1234567890", screen_name="小鹿零食")
    summary_of(str(FIXTURES / "weibo_crawler" / "小鹿零食" / "1234567890.csv"))
    assert Item.objects.filter(account=account).count() == 2


def test_weibo_crawler_timeline_of_another_account_is_not_linked(workspace):
    summary_of(str(FIXTURES / "weibo_crawler" / "小鹿零食" / "1234567890.csv"))
    assert Item.objects.filter(account__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [
        ("mediacrawler_contents_old.csv", "mediacrawler-csv", 2),
        ("mediacrawler_contents_new.json", "mediacrawler-json", 2),
        ("mediacrawler_comments_old.jsonl", "mediacrawler-jsonl", 2),
        ("weibo_crawler_1234567890.json", "weibo-crawler-json", 3),
        ("records.jsonl", "jsonl", 2),
    ],
)
def test_every_format_imports_its_fixture(workspace, name, fmt, count):
    code, summary, _ = summary_of(str(FIXTURES / name), "--format", fmt)
    assert code == 0 and summary["errors"] == []
    assert summary["created"] == count


def test_import_hands_the_stored_items_to_analysis_and_routing(workspace, monkeypatch):
    # The stages themselves are tested in tests/pipeline; here only that import calls them.
    calls: dict[str, list[int]] = {}
    monkeypatch.setattr("inhouse.pipeline.analyze.analyze_items", lambda ids: calls.setdefault("analyze", list(ids)))
    monkeypatch.setattr("inhouse.pipeline.route.route_items", lambda ids: calls.setdefault("route", list(ids)))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(FIXTURES / "weibo_search_new.csv"), stdout=out, stderr=err)
    assert "3 read, 3 created" in out.getvalue()
    stored = sorted(Item.objects.values_list("id", flat=True))
    assert sorted(calls["analyze"]) == sorted(calls["route"]) == stored


@pytest.mark.data
@pytest.mark.parametrize(
    ("name", "fmt", "read", "items", "reposts"),
    [
        ("weibo_search__TCL电视.csv", "weibo-search-csv", 181, 161, 30),
        ("weibo_search__比亚迪.csv", "weibo-search-csv", 47, 47, 0),
        ("weibo_crawler__保定早报_1400488302.csv", "weibo-crawler-csv", 2677, 2677, 0),
    ],
)
def test_real_crawler_samples_import_with_zero_errors_and_their_counts(
    workspace, shared_data, name, fmt, read, items, reposts
):
    path = shared_data / SAMPLES / name
    code, summary, err = summary_of(str(path))
    assert code == 0, err
    assert summary["format"] == fmt
    assert summary["errors"] == []
    assert summary["read"] == read
    assert summary["created"] == items
    assert Item.objects.filter(workspace=workspace).count() == items
    assert Item.objects.filter(kind="repost").count() == reposts
    # Re-import: the same items, refreshed.
    _, again, _ = summary_of(str(path))
    assert (again["created"], again["updated"]) == (0, items)
    assert Item.objects.filter(workspace=workspace).count() == items


@pytest.mark.data
def test_real_retweet_rows_point_at_originals_stored_from_their_own_rows(workspace, shared_data):
    summary_of(str(shared_data / SAMPLES / "weibo_search__TCL电视.csv"))
    reposts = Item.objects.filter(kind="repost")
    parents = set(reposts.values_list("parent_platform_id", flat=True))
    assert parents and parents <= set(Item.objects.filter(kind="post").values_list("platform_id", flat=True))
    assert all(r.root_platform_id == r.parent_platform_id for r in reposts)


@pytest.mark.data
def test_real_timeline_belongs_to_the_account_named_by_the_file(workspace, shared_data):
    summary_of(str(shared_data / SAMPLES / "weibo_crawler__保定早报_1400488302.csv"))
    authors = set(Item.objects.values_list("author__uid", "author__screen_name"))
    assert authors == {("1400488302", "保定早报")}
    first = Item.objects.order_by("created_at").first()
    assert first.created_at.isoformat() == "2011-05-26T16:00:00+00:00"  # 2011-05-27 in Beijing


def test_nul_characters_are_dropped_and_every_line_kept(workspace, tmp_path):
    """PostgreSQL cannot store NUL in text or JSON: it is dropped from every field, so the
    line and the lines stored in the same chunk are kept, on every backend."""
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"id": "1", "kind": "post", "created_at": "2026-01-01T00:00:00+08:00", "text": "好"}\n'
        '{"id": "2", "kind": "post", "created_at": "2026-01-01T00:00:00+08:00", "text": "a\\u0000b"}\n'
        '{"id": "3", "kind": "post", "created_at": "2026-01-01T00:00:00+08:00", "text": "ok",'
        ' "author": {"uid": "77", "screen_name": "x\\u0000"}}\n'
        '{"id": "4", "kind": "post", "created_at": "2026-01-01T00:00:00+08:00", "text": "ok",'
        ' "raw": {"pics": [{"url": "\\u0000"}]}}\n',
        encoding="utf-8",
    )
    code, summary, _ = summary_of(str(path), "--format", "jsonl")
    assert code == 0 and summary["errors"] == [] and summary["created"] == 4
    assert Item.objects.get(platform_id="2").text == "ab"
    assert Item.objects.get(platform_id="3").author.screen_name == "x"
    assert Item.objects.get(platform_id="4").raw == {"pics": [{"url": ""}]}
