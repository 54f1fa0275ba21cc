"""Analyze stage: fill each item's sentiment, emotion, intent and near-duplicate cluster.

Contract: ``analyze_items(ids)`` reads the items, runs the pure text functions of
``inhouse.nlp`` over their texts in one batch (with the workspace's dictionary), and writes
the results back with ``analyzed_at`` set. It is idempotent: running it twice gives the
same fields. ``analyze_pending`` picks up whatever ingest left unanalysed.

The live path (``pipeline.process_records``) analyses a batch before it is stored instead:
``ingest(..., analyze=True)`` calls ``analysis_fields`` on the parsed texts and inserts each
new item with its analysis, so the row is written once. An UPDATE of every new row right
after its INSERT cost the database server more than the insert itself (a new version of a
wide row and an entry in each of the table's indexes), and the server shares the cores with
the workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from inhouse import nlp
from inhouse.core.models import Item, Workspace
from inhouse.pipeline.learning import apply_learning

_FIELDS = (
    "sentiment", "p_positive", "emotion", "intent", "dup_cluster", "analysis_version",
    "analyzed_at",
)
_UPDATE_ROWS = 1000  # rows per UPDATE statement on PostgreSQL (9,000 parameters)


def analyze_items(item_ids: Sequence[int], chunk: int = 2000) -> int:
    """Analyse the given items; returns how many were written."""
    done = 0
    for start in range(0, len(item_ids), chunk):
        done += _analyze_chunk(list(item_ids[start : start + chunk]))
    return done


def analyze_pending(limit: int = 5000, chunk: int = 500) -> list[int]:
    """Analyse items that have not been analysed yet (oldest first); returns their ids.

    On PostgreSQL each chunk is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and held
    while it is analysed, so several workers running this at once share the backlog instead
    of analysing the same items. SQLite has one writer anyway: it takes chunks in turn."""
    if not connection.features.has_select_for_update_skip_locked:
        ids = list(Item.objects.filter(analyzed_at__isnull=True).order_by("id")
                   .values_list("id", flat=True)[:limit])
        analyze_items(ids)
        return ids
    done: list[int] = []
    while len(done) < limit:
        with transaction.atomic():
            ids = list(Item.objects.filter(analyzed_at__isnull=True).order_by("id")
                       .select_for_update(skip_locked=True)
                       .values_list("id", flat=True)[:min(chunk, limit - len(done))])
            if not ids:
                break
            analyze_items(ids)
        done += ids
    return done


def analysis_fields(workspace_id: int, dictionary: Sequence[str], texts: Sequence[str],
                    item_ids: Sequence[int] = ()) -> list[dict[str, Any]]:
    """The stored analysis of each text, as ``{field: value}`` for the fields in ``_FIELDS``.

    ``item_ids`` (stored items, same order) brings in their operators' corrections; items not
    stored yet have none."""
    now = timezone.now()
    # analysis and duplicate keys in one pass: the batch is normalised once
    results, clusters = nlp.analyze_batch(list(texts), dictionary=dictionary)
    # the workspace's learned model and its operators' corrections (pipeline.learning)
    results = apply_learning(workspace_id, list(item_ids), texts, results)
    return [{"sentiment": r.sentiment, "p_positive": r.p_positive, "emotion": r.emotion,
             "intent": r.intent, "dup_cluster": cluster, "analysis_version": r.version,
             "analyzed_at": now}
            for r, cluster in zip(results, clusters, strict=True)]


def _analyze_chunk(ids: list[int]) -> int:
    items = list(Item.objects.filter(id__in=ids).only("id", "workspace_id", "text"))
    by_workspace: dict[int, list[Item]] = {}
    for item in items:
        by_workspace.setdefault(item.workspace_id, []).append(item)
    for workspace_id, group in by_workspace.items():
        dictionary = Workspace.objects.filter(pk=workspace_id).values_list("dictionary", flat=True).first() or []
        fields = analysis_fields(workspace_id, dictionary, [item.text for item in group],
                                 [item.pk for item in group])
        for item, values in zip(group, fields, strict=True):
            for name, value in values.items():
                setattr(item, name, value)
    _write(items)
    return len(items)


def _write(items: list[Item]) -> None:
    """Store the results. On PostgreSQL one ``UPDATE ... FROM (VALUES ...)`` per chunk: a
    single statement to parse and plan, where an UPDATE per item cost the server twice as
    much. Elsewhere one parameterised UPDATE per item, sent as a batch. (``bulk_update``
    builds a CASE expression per field and row: it cost ten times the analysis itself.)"""
    fields = [Item._meta.get_field(name) for name in _FIELDS]
    quote = connection.ops.quote_name
    table, pk = quote(Item._meta.db_table), quote(Item._meta.pk.column)
    rows = [[f.get_db_prep_save(getattr(item, f.attname), connection) for f in fields] + [item.pk]
            for item in items]
    if connection.vendor == "postgresql":
        # The values arrive untyped (client-side binding): each is cast to its column's type,
        # strings to text (a cast to varchar(n) would cut; the assignment checks the length).
        sets = ", ".join(
            f"{quote(f.column)} = v.c{n}::"
            + ("text" if f.get_internal_type() == "CharField" else f.db_type(connection))
            for n, f in enumerate(fields))
        names = ", ".join(f"c{n}" for n in range(len(fields)))
        row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), _UPDATE_ROWS):
                chunk = rows[start:start + _UPDATE_ROWS]
                cursor.execute(
                    f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row_sql] * len(chunk))})"
                    f" AS v({names}, id) WHERE {table}.{pk} = v.id::bigint",
                    [value for row in chunk for value in row])
        return
    sql = "UPDATE {table} SET {sets} WHERE {pk} = %s".format(
        table=table, sets=", ".join(f"{quote(f.column)} = %s" for f in fields), pk=pk)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
