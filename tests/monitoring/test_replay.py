"""`inhouse monitor replay`: JSONL in, JSONL alerts out, no database; clear errors."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from inhouse.monitoring.replay import RulesError, StreamError, load_rules, read_stream, replay

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)

RULES = """
dictionary: [小鹿零食, 鹿角脆]
topics:
  - name: brand
    query: 小鹿零食 OR 鹿角脆
    viral: {window_minutes: 30, threshold: 20, min_reposts: 10}
  - name: everything
    query: "*"
    detectors: [viral]
"""


def viral_stream() -> list[str]:
    lines = [{"id": "p1", "kind": "post", "text": "小鹿零食的鹿角脆里有苍蝇！",
              "created_at": T0.isoformat(),
              "author": {"id": "9", "screen_name": "吃货小王", "followers_count": 800,
                         "verified": False}, "sentiment": "negative"}]
    for i in range(40):
        when = T0 + dt.timedelta(seconds=30 * (i + 1))
        lines.append({"id": f"r{i}", "kind": "repost", "text": "转发微博",
                      "created_at": when.isoformat(), "parent_id": "p1", "root_id": "p1",
                      "author": {"id": f"u{i}", "screen_name": f"网友{i}",
                                 "followers_count": 100 + i, "verified": i == 7},
                      "sentiment": "negative"})
    return [json.dumps(x, ensure_ascii=False) for x in lines]


def negative_is_never(texts):
    return [False] * len(texts)


def test_replay_writes_one_json_line_per_alert_with_the_spreading_post_first():
    out = io.StringIO()
    n = replay(RULES, viral_stream(), out, sentiment=negative_is_never)
    alerts = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(alerts) == 1  # the * topic's default threshold is higher than brand's
    alert = alerts[0]
    assert set(alert) == {"topic", "kind", "detected_at", "severity", "reason", "item_ids"}
    assert alert["topic"] == "brand" and alert["kind"] == "viral"
    assert alert["item_ids"][0] == "p1"
    assert dt.datetime.fromisoformat(alert["detected_at"]).utcoffset() == dt.timedelta(hours=8)


def test_replay_gives_the_same_alerts_twice():
    runs = []
    for _ in range(2):
        out = io.StringIO()
        replay(RULES, viral_stream(), out, sentiment=negative_is_never)
        runs.append(out.getvalue())
    assert runs[0] == runs[1] != ""


def test_the_command_reads_and_writes_files(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    stream = tmp_path / "stream.jsonl"
    stream.write_text("\n".join(viral_stream()) + "\n", encoding="utf-8")
    out = tmp_path / "alerts.jsonl"
    call_command("monitor", "replay", "--rules", str(rules), "--input", str(stream),
                 "--output", str(out), stderr=io.StringIO())
    alerts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [a["kind"] for a in alerts] == ["viral"]


def test_the_command_names_the_bad_line_and_field(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    stream = tmp_path / "stream.jsonl"
    lines = viral_stream()
    lines[3] = json.dumps({"id": "x", "kind": "repost", "created_at": "yesterday"})
    stream.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 4: field 'created_at'"):
        call_command("monitor", "replay", "--rules", str(rules), "--input", str(stream),
                     "--output", str(tmp_path / "o.jsonl"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("topics: [{name: a}]", "'query' is missing"),
        ("topics: [{name: a, query: '小鹿 AND'}]", "position 7"),
        ("topics: [{name: a, query: x, burst: {alpah: 1}}]", "unknown parameter 'alpah'"),
        ("topics: [{name: a, query: x, detectors: [rumour]}]", "unknown detector 'rumour'"),
        ("nothing: here", "expected a mapping with 'topics:'"),
    ],
)
def test_rules_errors_say_what_is_wrong(text, message):
    with pytest.raises(RulesError, match=message):
        load_rules(text)


def test_rules_parameters_are_read_by_type():
    specs, _ = load_rules("topics: [{name: a, query: x, burst: {alpha: 1e-6, min_count: 4}}]")
    assert specs[0].burst.alpha == 1e-6 and specs[0].burst.min_count == 4


def test_a_stream_out_of_order_by_more_than_five_minutes_is_refused():
    lines = [json.dumps({"id": "a", "created_at": T0.isoformat()}),
             json.dumps({"id": "b", "created_at": (T0 - dt.timedelta(minutes=1)).isoformat()}),
             json.dumps({"id": "c", "created_at": (T0 - dt.timedelta(hours=1)).isoformat()})]
    with pytest.raises(StreamError, match="line 3"):
        list(read_stream(lines))
