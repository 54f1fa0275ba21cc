"""A small adapter over the knowledge window, so the inbox works with or without it.

The knowledge app offers ``suggest_for(workspace, text, top=3)`` (entries with scores, a
threshold already applied) and an action to add an entry. Until it lands, or when it
fails to import, the inbox simply shows no suggestion and hides "add to knowledge base".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from inhouse.core.models import Workspace

log = logging.getLogger(__name__)
_MODULES = ("inhouse.knowledge.suggest", "inhouse.knowledge.queries",
            "inhouse.knowledge.actions", "inhouse.knowledge")


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    question: str
    answer: str
    score: float


def _find(name: str) -> Callable[..., Any] | None:
    for module_name in _MODULES:
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, name, None)
        if callable(found):
            return found
    return None


def _field(obj: Any, *names: str, default: Any = "") -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def suggest(workspace: Workspace, text: str, top: int = 3) -> list[Suggestion]:
    """Suggested authoritative answers for ``text``, best first; [] without a knowledge base."""
    suggest_for = _find("suggest_for")
    if suggest_for is None or not text.strip():
        return []
    try:
        found = suggest_for(workspace, text, top=top)
    except Exception:  # a broken suggester must not take the conversation page down
        log.exception("knowledge suggest_for failed for workspace %s", workspace.pk)
        return []
    out = []
    for hit in found or []:
        entry = _field(hit, "entry", default=hit)
        out.append(Suggestion(
            entry_id=str(_field(entry, "pk", "id", "entry_id", default=_field(hit, "entry_id"))),
            question=str(_field(entry, "question")),
            answer=str(_field(entry, "answer")),
            score=float(_field(hit, "score", default=0.0)),
        ))
    return out


def can_add_entries() -> bool:
    return _find("create_entry") is not None


def add_entry(workspace: Workspace, question: str, answer: str, *,
              by: AbstractBaseUser) -> str | None:
    """Add an expert's answer to the knowledge base through the knowledge app's action;
    returns the entry's id, or None when there is no knowledge base yet."""
    create_entry = _find("create_entry")
    if create_entry is None:
        return None
    entry = create_entry(workspace, question=question, answer=answer, by=by)
    return str(_field(entry, "pk", "id", default=""))
