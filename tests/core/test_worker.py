"""The Celery app knows every task and schedules the periodic ones."""

from inhouse.worker import app


def test_beat_schedules_analysis_and_account_sync():
    app.loader.import_default_modules()
    app.finalize()
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"pipeline.analyze_pending", "pipeline.sync_accounts", "analytics.refresh_stale"} <= tasks
    assert {"pipeline.process_records", "pipeline.sync_account"} <= set(app.tasks)


def test_hyphenated_command_names_reach_their_command(capsys):
    import pytest

    from inhouse.cli import main

    with pytest.raises(SystemExit):
        main(["fake-weibo", "--help"])
    assert "usage: inhouse fake_weibo" in capsys.readouterr().out
