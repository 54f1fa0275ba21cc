"""The JSONL command line: round trip, errors per line, the same order, exit codes."""

import io
import json
import os
import subprocess
import sys

from inhouse.nlp.cli import main


def _run(argv, lines):
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO("".join(lines)), stdout=out)
    return code, [json.loads(x) for x in out.getvalue().splitlines()]


def test_analyze_round_trip_keeps_ids_and_order():
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
             for i, t in enumerate(["太好吃了,推荐!", "质量太差,要退款", "请问有货吗?"])]
    code, rows = _run(["analyze"], lines)
    assert code == 0 and [r["id"] for r in rows] == [0, 1, 2]
    assert set(rows[0]) >= {"id", "sentiment", "p_positive", "emotion", "intent", "dup_key", "dup_of"}
    assert rows[1]["sentiment"] == "negative" and rows[2]["intent"] == "consultation"


def test_bad_lines_get_an_error_with_their_line_number_and_the_run_goes_on():
    lines = ['{"id": "a", "text": "好"}\n', "not json\n", '{"id": "c"}\n', "\n", '{"id": "d", "text": "坏"}\n']
    code, rows = _run(["analyze", "--batch", "2"], lines)
    assert code == 1
    assert [r["id"] for r in rows] == ["a", None, "c", "d"]
    assert rows[1]["error"].startswith("line 2: not valid JSON")
    assert rows[2]["error"] == "line 3: no string field 'text'"
    assert "sentiment" in rows[3]


def test_duplicates_point_at_the_first_copy_across_batches():
    text = "关注我领取小鹿零食免费试吃大礼包,名额有限先到先得"
    lines = [json.dumps({"id": f"p{i}", "text": text + f" @用户{i}"}, ensure_ascii=False) + "\n"
             for i in range(3)]
    _, rows = _run(["analyze", "--batch", "1"], lines)
    assert [r["dup_of"] for r in rows] == [None, "p0", "p0"]


def test_segment_keeps_dictionary_names():
    code, rows = _run(["segment", "--dictionary", "鹿角脆,小鹿零食"],
                      ['{"id": 1, "text": "小鹿零食的鹿角脆"}\n'])
    assert code == 0 and rows == [{"id": 1, "tokens": ["小鹿零食", "的", "鹿角脆"]}]


def test_inhouse_nlp_command_runs_through_django(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    proc = subprocess.run([sys.executable, "-m", "inhouse", "nlp", "analyze"],
                          input='{"id": 7, "text": "好吃"}\n', capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == 7


def test_inhouse_analyze_top_level_command_over_a_file(tmp_path):
    src = tmp_path / "posts.jsonl"
    src.write_text('{"id": "a", "text": "质量太差了,要退款[怒]"}\n{"id": "b"\n'
                   '{"id": "c", "text": "#新品# 请问什么时候有货?"}\n', encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    proc = subprocess.run([sys.executable, "-m", "inhouse", "analyze", "--input", str(src)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1, proc.stderr  # line 2 failed, the others were analysed
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c"]
    assert rows[0]["sentiment"] == "negative" and 0 <= rows[0]["p_positive"] < 0.5
    assert set(rows[0]) >= {"id", "sentiment", "p_positive", "emotion", "intent", "topics", "dup_of"}
    assert rows[1]["error"].startswith("line 2: not valid JSON")
    assert rows[2]["topics"] == ["新品"] and rows[2]["intent"] == "consultation"
    assert not (tmp_path / "none.db").exists()  # no database touched


def test_inhouse_analyze_exits_0_when_every_line_is_good(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    proc = subprocess.run([sys.executable, "-m", "inhouse", "analyze"],
                          input='{"id": 1, "text": "好吃"}\n{"id": 2, "text": "好吃"}\n',
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["dup_of"] for x in proc.stdout.splitlines()] == [None, None]
