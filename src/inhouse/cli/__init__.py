"""The `inhouse` command: the project's own commands and Django's, against DATABASE_URL."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["kb", "suggest"]:
        # Files in, JSON lines out: no database or settings needed, so skip Django's set-up
        # (about 0.5 s of every run; docs/knowledge.md).
        from inhouse.knowledge.retrieval.command import main as kb_suggest

        sys.exit(kb_suggest(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inhouse.settings")
    from django.core.management import execute_from_command_line

    # Django names commands after modules (fake_weibo); people type fake-weibo.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["inhouse", *args])
