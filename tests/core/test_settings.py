"""Settings: documented, typed, and strict in production."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from inhouse import env

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_setting_the_code_reads_is_documented():
    import inhouse.settings  # noqa: F401 - importing records the names read

    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOC.read_text()))
    missing = sorted(env.READ - documented)
    assert not missing, f"settings read but not in docs/settings.md: {missing}"


def test_boolean_settings_reject_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(env.SettingError, match="SOME_FLAG='perhaps' is not a boolean"):
        env.env_bool("SOME_FLAG")


def test_file_variant_reads_secrets_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env.env_str("SOME_SECRET") == "from-a-file"


def test_production_refuses_the_placeholder_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import inhouse.settings"],
        env={"INHOUSE_PRODUCTION": "1", "PATH": "/usr/bin:/bin", "INHOUSE_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_djangos_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "inhouse", "check", "--deploy", "--fail-level", "WARNING"],
        env={"INHOUSE_PRODUCTION": "1", "SECRET_KEY": "k" * 20 + "Xy9!#q" * 8,
             "PATH": "/usr/bin:/bin", "INHOUSE_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
