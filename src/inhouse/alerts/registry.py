"""The channel kinds, loaded on first use so importing the registry costs nothing.

Add a kind: copy the nearest folder, then list it in KINDS (docs/alerts.md has the checklist).
"""

from __future__ import annotations

from importlib import import_module

from inhouse.alerts.base import Transport

KINDS: tuple[str, ...] = ("wecom", "dingtalk", "feishu", "email", "webhook")
_LOADED: dict[str, type[Transport]] = {}


def transport_class(kind: str) -> type[Transport]:
    """The Transport subclass of ``kind``; KeyError naming the known kinds otherwise."""
    if kind not in KINDS:
        raise KeyError(f"unknown channel kind {kind!r} (known: {', '.join(KINDS)})")
    if kind not in _LOADED:
        _LOADED[kind] = import_module(f"inhouse.alerts.{kind}.transport").TRANSPORT
    return _LOADED[kind]


def choices() -> list[tuple[str, str]]:
    """(kind, label) pairs for forms."""
    return [(kind, transport_class(kind).label) for kind in KINDS]
