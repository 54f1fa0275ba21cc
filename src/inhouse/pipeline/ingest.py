"""Ingest stage: store parsed records, idempotently.

Contract: ``ingest(workspace, records)`` parses every record, rejects bad ones with a message
naming the record and field, and upserts the good ones keyed by (workspace, platform, id):
the same batch twice stores each item once. Counts, text and the raw payload are refreshed on
a repeat; an item whose text changed is queued for analysis again. Authors are upserted by
(platform, uid) and keep the profile from the newest item that mentions them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from inhouse.core.models import Account, Author, Item, Workspace
from inhouse.pipeline.records import ParsedAuthor, ParsedItem, RejectedRecord, parse_batch

CHUNK = 1000
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

    def merge(self, other: IngestReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.item_ids.extend(other.item_ids)
        self.rejected.extend(other.rejected)


def ingest(workspace: Workspace, records: Sequence[Any], first_position: int = 1) -> IngestReport:
    """Parse and store a batch of records; see the module docstring."""
    parsed, rejected = parse_batch(list(records), first_position)
    report = store(workspace, parsed)
    report.rejected = rejected
    return report


def store(workspace: Workspace, items: Iterable[ParsedItem]) -> IngestReport:
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
    report = IngestReport()
    for start in range(0, len(ordered), CHUNK):
        report.merge(_store_chunk(workspace, ordered[start : start + CHUNK], accounts))
    return report


def _store_chunk(
    workspace: Workspace, chunk: list[ParsedItem], accounts: dict[tuple[str, str], int]
) -> IngestReport:
    with transaction.atomic():
        author_ids = _upsert_authors(chunk)
        keys_by_platform: dict[str, list[str]] = {}
        for item in chunk:
            keys_by_platform.setdefault(item.platform, []).append(item.platform_id)
        existing: dict[tuple[str, str], Item] = {}
        for platform, ids in keys_by_platform.items():
            for row in Item.objects.filter(
                workspace=workspace, platform=platform, platform_id__in=ids
            ).only("id", "platform", "platform_id", "text"):
                existing[(row.platform, row.platform_id)] = row

        rows: list[Item] = []
        reanalyse: list[Item] = []
        created = 0
        for parsed in chunk:
            key = (parsed.platform, parsed.platform_id)
            author_id = author_ids.get((parsed.author.platform, parsed.author.uid)) if parsed.author else None
            account_id = accounts.get((parsed.platform, parsed.account_uid)) if parsed.account_uid else None
            row = Item(
                workspace=workspace, platform=parsed.platform, platform_id=parsed.platform_id,
                kind=parsed.kind, text=parsed.text, author_id=author_id, account_id=account_id,
                created_at=parsed.created_at, parent_platform_id=parsed.parent_platform_id,
                root_platform_id=parsed.root_platform_id, reposts_count=parsed.reposts_count,
                comments_count=parsed.comments_count, likes_count=parsed.likes_count,
                source=parsed.source, raw=parsed.raw, analyzed_at=None,
            )
            before = existing.get(key)
            if before is None:
                created += 1
                rows.append(row)
            elif before.text != parsed.text:
                reanalyse.append(row)  # analyse the new wording again
            else:
                rows.append(row)
        # One INSERT .. ON CONFLICT DO UPDATE per group: Django's bulk_update builds a CASE
        # expression per field and row, hundreds of times slower. A concurrent worker that
        # inserted the same id meanwhile is simply updated.
        unique = ["workspace", "platform", "platform_id"]
        if rows:
            Item.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                     unique_fields=unique, update_fields=_ITEM_REFRESH)
        if reanalyse:
            Item.objects.bulk_create(reanalyse, batch_size=500, update_conflicts=True,
                                     unique_fields=unique,
                                     update_fields=[*_ITEM_REFRESH, "analyzed_at"])
        ids: list[int] = []
        for platform, pids in keys_by_platform.items():
            ids.extend(
                Item.objects.filter(
                    workspace=workspace, platform=platform, platform_id__in=pids
                ).values_list("id", flat=True)
            )
    return IngestReport(created=created, updated=len(chunk) - created, item_ids=ids)


def _upsert_authors(chunk: list[ParsedItem]) -> dict[tuple[str, str], int]:
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

    def fetch() -> dict[tuple[str, str], Author]:
        found: dict[tuple[str, str], Author] = {}
        for platform, uids in by_platform.items():
            for author in Author.objects.filter(platform=platform, uid__in=uids):
                found[(author.platform, author.uid)] = author
        return found

    existing = fetch()
    # Only new authors and changed profiles are written: refreshing last_seen_at on every
    # sighting would rewrite most rows of every chunk. So last_seen_at is the time of the
    # newest sighting that changed the profile, which is what guards against old replays.
    changed: list[Author] = []
    for key, (parsed, seen_at) in newest.items():
        values = _author_values(parsed, seen_at)
        author = existing.get(key)
        if author is None:
            changed.append(Author(platform=parsed.platform, uid=parsed.uid, **values))
        elif (author.last_seen_at is None or seen_at >= author.last_seen_at) and any(
            getattr(author, name) != value for name, value in values.items() if name != "last_seen_at"
        ):
            changed.append(Author(platform=parsed.platform, uid=parsed.uid, **values))
    if changed:
        Author.objects.bulk_create(changed, batch_size=500, update_conflicts=True,
                                   unique_fields=["platform", "uid"], update_fields=_AUTHOR_FIELDS)
        existing = fetch()
    return {key: author.pk for key, author in existing.items()}


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
