"""`inhouse kb suggest`: files in, JSON lines out, no database, errors that say where."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

KB_CSV = (
    "id,question,answer,variants,extra\n"
    "repay,花呗怎么还款,在支付宝首页打开花呗还款,花呗如何还钱|花呗还款方式,x\n"
    "limit,借呗额度怎么提升,保持良好信用记录,,y\n"
    "price,鹿角脆多少钱,\"12.9元, 80g/袋\",,z\n"
)


def run(capsys, tmp_path, kb: str, questions: str, *args: str):
    (tmp_path / "kb.csv").write_text(kb, encoding="utf-8")
    (tmp_path / "q.jsonl").write_text(questions, encoding="utf-8")
    code = 0
    try:
        call_command("kb", "suggest", "--kb", str(tmp_path / "kb.csv"),
                     "--input", str(tmp_path / "q.jsonl"), *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_round_trip_best_first(capsys, tmp_path):
    questions = '{"id": 1, "text": "花呗怎么还款"}\n{"id": "q2", "text": "鹿角脆多少钱"}\n'
    code, out, err = run(capsys, tmp_path, KB_CSV, questions, "--top", "2")
    assert code == 0 and err == ""
    assert [o["id"] for o in out] == [1, "q2"]
    assert out[0]["suggestions"][0]["kb_id"] == "repay"
    assert out[1]["suggestions"][0]["kb_id"] == "price"
    for o in out:
        assert len(o["suggestions"]) <= 2
        scores = [s["score"] for s in o["suggestions"]]
        assert scores == sorted(scores, reverse=True)


def test_unrelated_question_gets_an_empty_list(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, KB_CSV, '{"id": 9, "text": "今天天气真好"}\n')
    assert code == 0 and out == [{"id": 9, "suggestions": []}]


def test_bad_lines_are_named_and_good_ones_still_answered(capsys, tmp_path):
    questions = ('{"id": 1, "text": "花呗怎么还款"}\n'
                 "not json\n"
                 '{"text": "no id"}\n'
                 '{"id": 4, "text": 5}\n'
                 "\n"
                 '{"id": 6, "text": "借呗额度怎么提升"}\n')
    code, out, err = run(capsys, tmp_path, KB_CSV, questions)
    assert code == 1
    assert [o["id"] for o in out] == [1, 6]
    assert "q.jsonl: line 2: not valid JSON" in err
    assert "q.jsonl: line 3: field 'id': missing" in err
    assert "q.jsonl: line 4: field 'text'" in err


def test_bad_csv_rows_are_named_and_skipped(capsys, tmp_path):
    kb = KB_CSV + "empty,,no question\nrepay,重复,dup\nlate,过期问题,答,,,\n"
    kb = "id,question,answer,variants,extra\n" + kb.split("\n", 1)[1]
    code, out, err = run(capsys, tmp_path, kb, '{"id": 1, "text": "鹿角脆多少钱"}\n')
    assert code == 1
    assert out[0]["suggestions"][0]["kb_id"] == "price"
    assert "kb.csv: line 5: field 'question': empty" in err
    assert "kb.csv: line 6: field 'id': 'repay' already used on line 2" in err
    assert "kb.csv: line 7:" in err and "fields" in err


def test_missing_columns_stop_with_a_clear_message(capsys, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no usable entry"):
        run(capsys, tmp_path, "id,text\n1,花呗\n", '{"id": 1, "text": "花呗"}\n')
    assert "missing column(s) question, answer" in capsys.readouterr().err


def test_missing_file_is_an_error_naming_it(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nope.csv"):
        call_command("kb", "suggest", "--kb", str(tmp_path / "nope.csv"), "--input", "-")
