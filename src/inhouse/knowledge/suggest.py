"""Suggested answers for a workspace: one retrieval index per workspace, rebuilt when its
entries, its dictionary or the date change (expired entries must drop out at midnight).

The cache key is read from the database, so an edit made by another process (a worker, a
second web server) is seen on the next call without any signal between them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from inhouse.core.models import Workspace
from inhouse.knowledge.models import Entry

_cache: dict[int, tuple[tuple, object, dict[str, Entry]]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class EntrySuggestion:
    entry: Entry
    score: float  # confidence in [0, 1]


def current_entries(workspace: Workspace):
    today = timezone.localdate()
    return Entry.objects.filter(workspace=workspace, active=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def _stamp(workspace: Workspace) -> tuple:
    agg = Entry.objects.filter(workspace=workspace).aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"], timezone.localdate(), tuple(workspace.dictionary or ()))


def index_for(workspace: Workspace):
    """The workspace's index and its entries by id, built on first use and after changes."""
    from inhouse.knowledge.retrieval import Index, KbEntry  # lazy: numpy, scipy, jieba

    stamp = _stamp(workspace)
    cached = _cache.get(workspace.pk)
    if cached and cached[0] == stamp:
        return cached[1], cached[2]
    with _lock:
        entries = {str(e.pk): e for e in current_entries(workspace)}
        index = Index([KbEntry(k, e.question, e.answer, tuple(e.variants), tuple(e.tags))
                       for k, e in entries.items()], workspace.dictionary or ())
        _cache[workspace.pk] = (stamp, index, entries)
    return index, entries


def suggest_for(workspace: Workspace, text: str, top: int = 3) -> list[EntrySuggestion]:
    """Current entries answering ``text``, best first, none under the confidence threshold."""
    index, entries = index_for(workspace)
    if not len(index):
        return []
    return [EntrySuggestion(entries[s.entry_id], s.score) for s in index.suggest(text, top=top)]
