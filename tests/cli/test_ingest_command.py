"""`inhouse ingest FILE.jsonl`: line numbers in errors, good lines kept, non-zero exit."""

import json

import pytest
from django.core.management import CommandError, call_command

from inhouse.core.models import Item
from tests.pipeline.factories import record

pytestmark = pytest.mark.django_db


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_lines_are_stored_and_bad_ones_named_by_line_and_field(workspace, tmp_path, capsys):
    good = [record(), record()]
    path = _write(tmp_path / "in.jsonl", [
        json.dumps(good[0], ensure_ascii=False),
        "{not json",
        "",
        json.dumps(record(created_at="tomorrow-ish"), ensure_ascii=False),
        json.dumps(good[1], ensure_ascii=False),
    ])
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(path))
    assert exit_info.value.code == 1
    err = capsys.readouterr()
    assert f"{path}: line 2: field '(json)': not valid JSON" in err.err
    assert f"{path}: line 4 (id " in err.err and "field 'created_at'" in err.err
    assert "2 created, 0 updated, 2 rejected" in err.out
    assert Item.objects.filter(workspace=workspace).count() == 2
    assert Item.objects.filter(analyzed_at__isnull=True).count() == 0


def test_a_clean_file_exits_zero_and_a_second_run_updates(workspace, tmp_path, capsys):
    path = _write(tmp_path / "in.jsonl", [json.dumps(record(), ensure_ascii=False) for _ in range(3)])
    call_command("ingest", str(path))
    call_command("ingest", str(path))
    out = capsys.readouterr().out
    assert "3 created, 0 updated, 0 rejected" in out
    assert "0 created, 3 updated, 0 rejected" in out


def test_a_missing_file_is_a_clear_error(workspace, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", str(tmp_path / "nope.jsonl"))


def test_an_unknown_workspace_names_the_known_ones(workspace, tmp_path):
    with pytest.raises(CommandError, match="no workspace 'acme' \\(known: xiaolu\\)"):
        call_command("ingest", str(tmp_path / "x.jsonl"), workspace="acme")
