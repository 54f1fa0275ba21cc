"""A small adapter over the knowledge window, so the inbox works with or without it.

The knowledge app offers ``suggest_for(workspace, text, top=3)`` (entries with confidence
scores, its threshold already applied) and the ``create_entry`` action. Should it be
missing or fail, the inbox shows no suggestion and hides "add to knowledge base" rather
than failing the conversation page.
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


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    question: str
    answer: str
    score: float


def _find(module: str, name: str) -> Callable[..., Any] | None:
    try:
        return getattr(import_module(module), name, None)
    except ImportError:
        return None


def suggest(workspace: Workspace, text: str, top: int = 3) -> list[Suggestion]:
    """Suggested authoritative answers for ``text``, best first; [] without a knowledge base."""
    suggest_for = _find("inhouse.knowledge.suggest", "suggest_for")
    if suggest_for is None or not text.strip():
        return []
    try:
        found = suggest_for(workspace, text, top=top)
    except Exception:  # a broken suggester must not take the conversation page down
        log.exception("knowledge suggest_for failed for workspace %s", workspace.pk)
        return []
    return [Suggestion(str(hit.entry.pk), hit.entry.question, hit.entry.answer, float(hit.score))
            for hit in found]


def can_add_entries() -> bool:
    return _find("inhouse.knowledge.actions", "create_entry") is not None


def add_entry(workspace: Workspace, question: str, answer: str, *,
              by: AbstractBaseUser) -> str | None:
    """Add an expert's answer to the knowledge base through the knowledge app's action
    (which checks the role and versions the entry); None when there is no knowledge base."""
    create_entry = _find("inhouse.knowledge.actions", "create_entry")
    if create_entry is None:
        return None
    return str(create_entry(workspace, by, question=question, answer=answer).pk)
