"""Typed helpers that read settings from the environment.

Every setting the project reads goes through one of these, so `docs/settings.md` can list
them all and a test can check that none is undocumented. ``NAME_FILE`` is honoured for every
setting, so secrets can come from mounted files (Docker/Kubernetes secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

# Names read through these helpers, collected so the docs test can compare them with docs.
READ: set[str] = set()


class SettingError(ValueError):
    """A setting from the environment cannot be used; the message names it."""


def _raw(name: str) -> str | None:
    READ.add(name)
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingError(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SettingError(f"{name}={value!r} is not a whole number") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]
