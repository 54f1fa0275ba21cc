"""The `inhouse` command: the project's own commands and Django's, against DATABASE_URL."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["inhouse", *(sys.argv[1:] if argv is None else argv)])
