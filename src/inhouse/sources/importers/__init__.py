"""Importers for the data people already have: crawler exports and our own JSONL.

One folder per tool, all the same shape (``payloads.py`` with pure ``from_row``/``from_payload``
functions, a reader, and ``FORMATS`` in its ``__init__``). The registry below lists the folders;
formats load on first use so the CLI starts fast. ``import_file`` (in ``run``) drives them.
"""

from __future__ import annotations

from importlib import import_module

from inhouse.sources.importers.base import Format

# Folders holding a FORMATS tuple; add a new importer here (see docs/importers.md).
PACKAGES = ("jsonl", "mediacrawler", "weibo_crawler", "weibo_search", "mweibo")
_FORMATS: dict[str, Format] = {}


def formats() -> dict[str, Format]:
    """Every format by name, in registry order."""
    if not _FORMATS:
        for package in PACKAGES:
            for fmt in import_module(f"{__name__}.{package}").FORMATS:
                _FORMATS[fmt.name] = fmt
    return _FORMATS


def get_format(name: str) -> Format:
    try:
        return formats()[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (known: auto, {', '.join(formats())})") from None
