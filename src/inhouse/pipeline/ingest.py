"""Ingest stage: store parsed records, idempotently.

Contract: ``ingest(workspace, records)`` parses every record, rejects bad ones with a message
naming the record and field, and upserts the good ones keyed by (workspace, platform, id):
the same batch twice stores each item once. Counts, text and the raw payload are refreshed on
a repeat; an item whose text changed is queued for analysis again. Authors are upserted by
(platform, uid) and keep the profile from the newest item that mentions them.
"""

from __future__ import annotations

import datetime as dt
import operator
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from inhouse.core.models import Account, Author, Item, Workspace
from inhouse.pipeline.records import ParsedAuthor, ParsedItem, RejectedRecord, parse_batch

CHUNK = 10000  # items per transaction: fewer commits, fewer rewrites of the same index pages
_ITEM_REFRESH = [
    "text", "kind", "author", "account", "created_at", "parent_platform_id", "root_platform_id",
    "reposts_count", "comments_count", "likes_count", "source", "raw", "updated_at",
]
_AUTHOR_FIELDS = [
    "screen_name", "followers_count", "friends_count", "statuses_count", "verified",
    "verified_type", "location", "description", "created_at", "last_seen_at",
]


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    item_ids: list[int] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)
    # Stored items still waiting for the analyze stage: every new one unless ingest analysed
    # the batch itself, and those whose text changed (ingest clears their analysis).
    unanalyzed: list[int] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.item_ids.extend(other.item_ids)
        self.rejected.extend(other.rejected)
        self.unanalyzed.extend(other.unanalyzed)


def ingest(workspace: Workspace, records: Sequence[Any], first_position: int = 1,
           analyze: bool = False) -> IngestReport:
    """Parse and store a batch of records; see the module docstring.

    ``analyze``: new items are stored with their analysis (``pipeline.analyze``), one write
    per row; ``report.unanalyzed`` then holds only stored items whose text changed."""
    parsed, rejected = parse_batch(list(records), first_position)
    report = store(workspace, parsed, analyze=analyze)
    report.rejected = rejected
    return report


def store(workspace: Workspace, items: Iterable[ParsedItem], analyze: bool = False) -> IngestReport:
    """Upsert parsed items (and their authors) in chunks, each chunk in one transaction."""
    # Last copy of an id in the batch wins, as if the records had arrived one by one.
    unique: dict[tuple[str, str], ParsedItem] = {}
    for item in items:
        unique.pop((item.platform, item.platform_id), None)
        unique[(item.platform, item.platform_id)] = item
    ordered = list(unique.values())
    accounts = {
        (a.platform, a.platform_uid): a.pk for a in Account.objects.filter(workspace=workspace)
    }
    analysis: list[dict[str, Any]] | None = None
    if analyze and ordered:
        from inhouse.pipeline.analyze import analysis_fields

        analysis = analysis_fields(workspace.pk, workspace.dictionary or [],
                                   [item.text for item in ordered])
    report = IngestReport()
    for start in range(0, len(ordered), CHUNK):
        report.merge(_store_chunk(workspace, ordered[start : start + CHUNK], accounts,
                                  None if analysis is None else analysis[start : start + CHUNK]))
    return report


def _store_chunk(
    workspace: Workspace, chunk: list[ParsedItem], accounts: dict[tuple[str, str], int],
    analysis: list[dict[str, Any]] | None = None,
) -> IngestReport:
    now = timezone.now()
    conn = connections[router.db_for_write(Item)]
    with transaction.atomic(using=conn.alias):
        author_ids = _upsert_authors(chunk, now)
        rows = []
        for parsed in chunk:
            author_id = author_ids.get((parsed.author.platform, parsed.author.uid)) if parsed.author else None
            account_id = accounts.get((parsed.platform, parsed.account_uid)) if parsed.account_uid else None
            rows.append({
                "workspace": workspace.pk, "platform": parsed.platform,
                "platform_id": parsed.platform_id, "kind": parsed.kind, "text": parsed.text,
                "author": author_id, "account": account_id, "created_at": parsed.created_at,
                "parent_platform_id": parsed.parent_platform_id,
                "root_platform_id": parsed.root_platform_id,
                "reposts_count": parsed.reposts_count, "comments_count": parsed.comments_count,
                "likes_count": parsed.likes_count, "source": parsed.source, "raw": parsed.raw,
                "ingested_at": now, "updated_at": now, "analyzed_at": None,
            })
        if analysis is not None:
            # A new row goes in analysed. A stored one keeps its analysis (and its operators'
            # corrections) when its text is unchanged, else it is cleared for analyze_items:
            # the upsert's DO UPDATE sets none of these fields but analyzed_at.
            for row, values in zip(rows, analysis, strict=True):
                row.update(values)
        if conn.vendor == "postgresql":
            # One COPY and one INSERT .. SELECT .. RETURNING: the ids, whether each row was
            # inserted (xmax = 0) or updated, and whether it awaits analysis come back from
            # the upsert itself.
            returned = _ITEM_UPSERT.run(rows, returning=["id", "(xmax = 0)", "analyzed_at IS NULL"])
            created = sum(1 for _, inserted, _ in returned if inserted)
            return IngestReport(created=created, updated=len(chunk) - created,
                                item_ids=[pk for pk, _, _ in returned],
                                unanalyzed=[pk for pk, _, pending in returned if pending])
        keys_by_platform: dict[str, list[str]] = {}
        for item in chunk:
            keys_by_platform.setdefault(item.platform, []).append(item.platform_id)
        existing: set[tuple[str, str]] = set()
        for platform, pids in keys_by_platform.items():
            existing.update((platform, pid) for pid, _, _ in _item_ids(workspace, platform, pids))
        fresh = [row for row in rows if (row["platform"], row["platform_id"]) not in existing]
        if len(fresh) == len(rows):
            _ITEM_UPSERT.run(rows, new=True)
        else:
            _ITEM_UPSERT.run(fresh, new=True)
            _ITEM_UPSERT.run([row for row in rows if (row["platform"], row["platform_id"]) in existing])
        created = len(fresh)
        ids: list[int] = []
        unanalyzed: list[int] = []
        for platform, pids in keys_by_platform.items():
            for _, pk, analyzed_at in _item_ids(workspace, platform, pids):
                ids.append(pk)
                if analyzed_at is None:
                    unanalyzed.append(pk)
    return IngestReport(created=created, updated=len(chunk) - created, item_ids=ids,
                        unanalyzed=unanalyzed)


def _item_ids(workspace: Workspace, platform: str, pids: list[str]) -> list[tuple[str, int, Any]]:
    """(platform id, row id, analyzed_at) of the stored items among ``pids``."""
    conn = connections[router.db_for_write(Item)]  # inside the chunk's transaction
    return _select_in(conn, Item, ["platform_id", "id", "analyzed_at"],
                      {"workspace_id": workspace.pk, "platform": platform}, "platform_id", pids)


def _select_in(conn: Any, model: type[models.Model], columns: list[str], equal: dict[str, Any],
               in_column: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of ``columns`` (raw database values) where each of ``equal`` holds and
    ``in_column`` is among ``values``: plain SQL, since compiling an ORM ``__in`` of a
    thousand values, and converting every value of the answer, costs more than running it."""
    quote = conn.ops.quote_name
    where = " AND ".join(f"{quote(column)} = %s" for column in equal)
    head = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE {where} AND "
    found: list[tuple[Any, ...]] = []
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(head + f"{quote(in_column)} = ANY(%s)", [*equal.values(), list(values)])
            return list(cursor.fetchall())
        step = 900  # under SQLite's historical 999 parameters
        for start in range(0, len(values), step):
            part = values[start : start + step]
            cursor.execute(head + f"{quote(in_column)} IN ({', '.join(['%s'] * len(part))})",
                           [*equal.values(), *part])
            found.extend(cursor.fetchall())
    return found


def _read_back_time(conn: Any) -> Any:
    """An aware datetime as the driver returns the stored value: Django's SQLite connection
    turns datetime columns into naive datetimes in the connection's zone."""
    if conn.vendor == "sqlite" and settings.USE_TZ:
        zone = conn.timezone
        return lambda value: value.astimezone(zone).replace(tzinfo=None)
    return lambda value: value


def _time_adapter(conn: Any) -> Any:
    """An aware datetime as the backend stores it, exactly as Django's adapter writes it."""
    if conn.vendor == "postgresql":
        return lambda value: value  # psycopg sends aware datetimes itself
    if conn.vendor == "sqlite" and settings.USE_TZ:
        zone = conn.timezone

        # Django's SQLite adapter (naive in the connection's zone, then str) without its
        # checks: a tenth of the cost, and the values are aware datetimes already.
        def to_text(value: dt.datetime) -> str:
            return str(value.astimezone(zone).replace(tzinfo=None))

        return to_text
    return conn.ops.adapt_datetimefield_value


class _Upsert:
    """``INSERT .. ON CONFLICT (key) DO UPDATE`` of plain dicts through the DB-API cursor.

    Django's ``bulk_create(update_conflicts=True)`` builds the same statement but prepares every
    value of every field through the field API, which cost two thirds of an import's time.
    Here only datetimes and JSON go through their field (so SQLite and PostgreSQL store exactly
    what the ORM would); every other column of the model gets its field default, prepared once,
    so a column another app adds to the table keeps working.

    SQLite (>= 3.24) runs the statement once per row (``executemany`` reuses one prepared
    statement in-process, which is cheap). On PostgreSQL that was one parse, plan and execution
    per row on the server, most of a large import's time: there the rows are streamed with
    ``COPY`` into a temporary table and stored by one ``INSERT .. SELECT .. ON CONFLICT``, in
    key order (so two writers lock rows in the same order), returning what is asked.
    """

    def __init__(self, model: type[models.Model], key: list[str], refresh: list[str],
                 extra_set: dict[str, str] | None = None):
        self.model, self.key, self.refresh, self.extra_set = model, key, refresh, extra_set or {}
        self._sql: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, list[Any], list[tuple[int, str | None, str | None]], list[str]]] = {}

    def _build(self, sample: dict[str, Any], conn: Any, returning: tuple[str, ...]
               ) -> tuple[str, list[Any], list[tuple[int, str | None, str | None]], list[str]]:
        vendor = conn.vendor
        # Rows with and without the analysis fields make different statements.
        cache_key = (vendor, returning, tuple(sample))
        cached = self._sql.get(cache_key)
        if cached is not None:
            return cached
        meta, quote = self.model._meta, conn.ops.quote_name
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        # The columns the rows give first, then those taking their default: each row's values
        # are then one itemgetter call plus a fixed tail.
        fields = [f for f in fields if f.name in sample] + [f for f in fields if f.name not in sample]
        columns: list[str] = []
        template: list[str] = []
        plan: list[tuple[int, str | None, str | None]] = []
        defaults: list[Any] = []
        for index, f in enumerate(fields):
            kind = f.get_internal_type()
            if kind == "JSONField" and getattr(f, "encoder", None) is not None:
                raise ValueError(f"{f}: a JSON encoder is not supported by the bulk upsert")
            columns.append(quote(f.column))
            template.append("%s")
            defaults.append(None if f.name in sample else f.get_db_prep_save(f.get_default(), conn))
            adapted = kind if kind in ("JSONField", "DateTimeField") else None
            plan.append((index, f.name if f.name in sample else None, adapted))
        table = quote(meta.db_table)
        by_name = {f.name: f.column for f in fields}
        key = ", ".join(quote(by_name[k]) for k in self.key)
        updates = [f"{quote(by_name[n])} = {sql.format(table=table)}" for n, sql in self.extra_set.items()]
        updates += [f"{quote(by_name[n])} = EXCLUDED.{quote(by_name[n])}" for n in self.refresh]
        conflict = f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(updates)}"
        if vendor == "postgresql":
            # The staging table's name carries the column list, so a table that gained a
            # column since this connection made it gets a fresh one.
            stage = quote(f"inhouse_stage_{meta.db_table}_{zlib.crc32(','.join(columns).encode()):08x}")
            statement = (
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} "
                f"FROM {stage} ORDER BY {key} {conflict}"
                + (f" RETURNING {', '.join(returning)}" if returning else "")
            )
            extra = [
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
                f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA",
                # Rows of an earlier call in the same (outer) transaction must not come back
                # (normally it is empty: ON COMMIT DELETE ROWS).
                f"DELETE FROM {stage}",
                f"COPY {stage} ({', '.join(columns)}) FROM STDIN",
            ]
        else:
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(template)})"
            statement = f"{insert} {conflict}"
            extra = [insert]
        self._sql[cache_key] = (statement, defaults, plan, extra)
        return self._sql[cache_key]

    def run(self, rows: list[dict[str, Any]], returning: list[str] | None = None,
            new: bool = False) -> list[tuple[Any, ...]]:
        """Upsert ``rows``; on PostgreSQL return the ``returning`` expressions of each stored
        row (in key order), elsewhere an empty list.

        ``new``: the caller has checked, in this transaction, that no row exists yet (on SQLite
        the transaction holds the one write lock since its BEGIN IMMEDIATE, so nobody can add
        one meanwhile): SQLite then runs a plain INSERT. Its upsert of a row whose DO UPDATE
        sets foreign-key columns costs 2.5 times the plain INSERT even when nothing conflicts
        (foreign-key bookkeeping for the possible update: 4.9 s against 1.9 s for 100,000 items).
        """
        if not rows:
            return []
        conn = connections[router.db_for_write(self.model)]
        statement, defaults, plan, stage = self._build(rows[0], conn, tuple(returning or ()))
        postgres = conn.vendor == "postgresql"
        adapt_time, adapt_json = _time_adapter(conn), conn.ops.adapt_json_value
        # Per row: each column's value (or its default), then datetimes and JSON through the
        # backend's adapter (values are aware datetimes and plain JSON, already checked).
        present = [name for _, name, _ in plan if name is not None]
        get = operator.itemgetter(*present)
        tail = [defaults[index] for index, name, _ in plan if name is None]
        time_columns = [i for i, (_, name, kind) in enumerate(plan) if name and kind == "DateTimeField"]
        json_columns = [i for i, (_, name, kind) in enumerate(plan) if name and kind == "JSONField"]
        # ingested_at/updated_at are one value per batch: adapted once, found by identity.
        last_time: Any = None
        last_adapted: Any = None
        params = []
        for row in rows:
            values = [*get(row), *tail]
            for i in time_columns:
                value = values[i]
                if value is last_time:
                    values[i] = last_adapted
                elif value is not None:
                    last_time, last_adapted = value, adapt_time(value)
                    values[i] = last_adapted
            for i in json_columns:
                value = values[i]
                if value is not None:
                    values[i] = adapt_json(value, None)
            params.append(values)
        with conn.cursor() as cursor:
            if not postgres:
                cursor.executemany(stage[0] if new else statement, params)
                return []
            create, clear, copy_sql = stage
            cursor.execute(create)
            cursor.execute(clear)
            with cursor.cursor.copy(copy_sql) as copy:
                for values in params:
                    copy.write_row(values)
            cursor.execute(statement)
            return cursor.fetchall() if returning else []


# Foreign keys go by their field name ("author"), holding the id.
_ITEM_UPSERT = _Upsert(
    Item, ["workspace", "platform", "platform_id"], _ITEM_REFRESH,
    # Changed wording is analysed again (evaluated against the row before the update).
    extra_set={"analyzed_at": "CASE WHEN {table}.\"text\" = EXCLUDED.\"text\" THEN {table}.\"analyzed_at\" ELSE NULL END"},
)
_AUTHOR_UPSERT = _Upsert(Author, ["platform", "uid"], _AUTHOR_FIELDS)


def _upsert_authors(chunk: list[ParsedItem], now: dt.datetime) -> dict[tuple[str, str], int]:
    """Create unknown authors and refresh known ones from newer sightings; return their ids."""
    newest: dict[tuple[str, str], tuple[ParsedAuthor, dt.datetime]] = {}
    for item in chunk:
        if item.author is None:
            continue
        key = (item.author.platform, item.author.uid)
        seen = newest.get(key)
        if seen is None or item.created_at >= seen[1]:
            newest[key] = (item.author, item.created_at)
    if not newest:
        return {}
    by_platform: dict[str, list[str]] = {}
    for platform, uid in newest:
        by_platform.setdefault(platform, []).append(uid)

    compared = _AUTHOR_FIELDS[:-1]  # all but last_seen_at
    conn = connections[router.db_for_write(Author)]
    # Plain SQL (the ORM's per-row conversions cost more than the query): stored values are
    # compared with the new ones as the driver returns them (SQLite: naive datetimes).
    to_db = _read_back_time(conn)
    ids: dict[tuple[str, str], int] = {}
    current: dict[tuple[str, str], tuple[Any, ...]] = {}
    for platform, uids in by_platform.items():
        for pk, uid, last_seen, *values in _select_in(
                conn, Author, ["id", "uid", "last_seen_at", *compared], {"platform": platform}, "uid", uids):
            ids[(platform, uid)] = pk
            current[(platform, uid)] = (last_seen, tuple(values))
    # Only new authors and changed profiles are written: refreshing last_seen_at on every
    # sighting would rewrite most rows of every chunk. So last_seen_at is the time of the
    # newest sighting that changed the profile, which is what guards against old replays.
    changed: list[dict[str, Any]] = []
    for key, (parsed, seen_at) in newest.items():
        before = current.get(key)
        if before is not None:
            last_seen, stored = before
            if last_seen is not None and to_db(seen_at) < last_seen:
                continue  # an older sighting than the profile's: keep the profile
            created = parsed.created_at
            # In the order of ``compared``.
            if stored == (parsed.screen_name, parsed.followers_count, parsed.friends_count,
                          parsed.statuses_count, parsed.verified, parsed.verified_type,
                          parsed.location, parsed.description,
                          None if created is None else to_db(created)):
                continue
        changed.append({"platform": parsed.platform, "uid": parsed.uid, **_author_values(parsed, seen_at)})
    if changed:
        # One order for every writer: two workers upserting overlapping authors in different
        # orders deadlock on PostgreSQL (seen with two Celery workers in bench_scale).
        changed.sort(key=lambda row: (row["platform"], row["uid"]))
        if conn.vendor == "postgresql":
            returned = _AUTHOR_UPSERT.run(changed, returning=["id", "platform", "uid"])
            ids.update(((platform, uid), pk) for pk, platform, uid in returned)
            return ids
        _AUTHOR_UPSERT.run(changed)
        new = {}
        for row in changed:
            if (row["platform"], row["uid"]) not in ids:
                new.setdefault(row["platform"], []).append(row["uid"])
        for platform, uids in new.items():
            ids.update(((platform, uid), pk) for pk, uid in _select_in(
                conn, Author, ["id", "uid"], {"platform": platform}, "uid", uids))
    return ids


def _author_values(parsed: ParsedAuthor, seen_at: dt.datetime) -> dict[str, Any]:
    return dict(
        screen_name=parsed.screen_name,
        followers_count=parsed.followers_count,
        friends_count=parsed.friends_count,
        statuses_count=parsed.statuses_count,
        verified=parsed.verified,
        verified_type=parsed.verified_type,
        location=parsed.location,
        description=parsed.description,
        created_at=parsed.created_at,
        last_seen_at=seen_at,
    )
