"""Retention: archive items older than a cutoff (by event time) to gzip JSONL, then delete them.

One archive per workspace per month, ``<dir>/<slug>/<slug>-YYYY-MM.jsonl.gz``, in inhouse's
own record format (inhouse.pipeline.records), so ``inhouse import FILE --format jsonl`` brings
the items back (gunzip first). Nothing is deleted before it is in an archive on disk:

1. the month's existing archive (if any) is copied byte for byte to a temporary file and the
   new records are appended as a further gzip member (gzip readers read members in order);
2. the temporary file is flushed, fsynced, read back and its records counted against what was
   expected, then renamed over the archive (atomic) and the folder fsynced;
3. only then the archived items are deleted, in batches, by primary key.

A run interrupted anywhere leaves either the old archive (nothing deleted) or the new archive
with some items still in the database; the next run skips records already in the archive (by
platform and id), so no line is written twice.

Items still in use are kept whatever their age: those of open conversations (and the post they
hang under), the evidence of open incidents (and the threads under it), and items carrying an
operator's correction (they are training labels).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery import shared_task
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from inhouse.core.models import Item, Workspace

DELETE_BATCH = 1000
READ_CHUNK = 2000


class RetentionError(RuntimeError):
    """An archive could not be written or verified; nothing was deleted."""


@dataclass
class MonthResult:
    month: str  # YYYY-MM
    archive: str
    archived: int = 0  # records newly written to the archive
    already_archived: int = 0  # records found in the archive from an interrupted run
    deleted: int = 0


@dataclass
class RetentionResult:
    workspace: str
    cutoff: dt.datetime
    dry_run: bool
    kept: int = 0  # old items kept because something open refers to them
    months: list[MonthResult] = field(default_factory=list)

    @property
    def deleted(self) -> int:
        return sum(m.deleted for m in self.months)

    @property
    def archived(self) -> int:
        return sum(m.archived for m in self.months)

    def as_dict(self) -> dict[str, Any]:
        return {"workspace": self.workspace, "cutoff": self.cutoff.isoformat(),
                "dry_run": self.dry_run, "kept": self.kept, "archived": self.archived,
                "deleted": self.deleted,
                "months": [m.__dict__ for m in self.months]}


def archive_path(directory: Path, workspace: Workspace, month: str) -> Path:
    return directory / workspace.slug / f"{workspace.slug}-{month}.jsonl.gz"


def kept_filter(workspace: Workspace) -> Q:
    """Items that must stay whatever their age. When in doubt, keep."""
    from inhouse.inbox.models import OPEN_STATES, Conversation, ConversationItem
    from inhouse.monitoring.models import Alert, IncidentState
    from inhouse.pipeline.models import Correction

    conv_items = ConversationItem.objects.filter(
        conversation__workspace=workspace, conversation__state__in=OPEN_STATES).values("item_id")
    conv_roots = [r for r in Conversation.objects.filter(
        workspace=workspace, state__in=OPEN_STATES).exclude(root_platform_id="")
        .values_list("root_platform_id", flat=True)]
    evidence: set[str] = set()
    for ids, data in Alert.objects.filter(workspace=workspace, incident__isnull=False).exclude(
            incident__state=IncidentState.RESOLVED).values_list("item_ids", "data"):
        evidence.update(str(i) for i in ids or [])
        evidence.update(str(i) for i in (data or {}).get("key_reposters", []) or [])
    corrected = Correction.objects.filter(workspace=workspace).values("item_id")
    ids = sorted(evidence | set(conv_roots))
    return (Q(id__in=conv_items) | Q(id__in=corrected) | Q(platform_id__in=ids)
            | Q(root_platform_id__in=sorted(evidence)))


def candidates(workspace: Workspace, cutoff: dt.datetime) -> QuerySet[Item]:
    return Item.objects.filter(workspace=workspace, created_at__lt=cutoff).exclude(
        kept_filter(workspace))


def to_record(item: Item) -> dict[str, Any]:
    """The item in the importer's record format; the analysis goes along for reference."""
    record: dict[str, Any] = {
        "id": item.platform_id, "platform": item.platform, "kind": item.kind,
        "created_at": item.created_at.isoformat(), "text": item.text,
        "parent_id": item.parent_platform_id, "root_id": item.root_platform_id,
        "reposts_count": item.reposts_count, "comments_count": item.comments_count,
        "likes_count": item.likes_count, "source": item.source, "raw": item.raw,
    }
    if item.account_id:
        record["account_uid"] = item.account.platform_uid
    if item.author_id:
        a = item.author
        record["author"] = {
            "uid": a.uid, "screen_name": a.screen_name, "followers_count": a.followers_count,
            "friends_count": a.friends_count, "statuses_count": a.statuses_count,
            "verified": a.verified, "verified_type": a.verified_type, "location": a.location,
            "description": a.description,
            "created_at": a.created_at.isoformat() if a.created_at else None,
        }
    if item.analyzed_at:
        record["analysis"] = {
            "sentiment": item.sentiment, "p_positive": item.p_positive, "emotion": item.emotion,
            "intent": item.intent, "topics": item.topics, "version": item.analysis_version,
            "analyzed_at": item.analyzed_at.isoformat()}
    return record


def read_archive(path: Path) -> Iterator[dict[str, Any]]:
    """The records of an archive; a damaged archive raises RetentionError naming the line."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise RetentionError(f"{path}:{n}: not a JSON record ({exc.msg})") from None
    except (OSError, EOFError) as exc:
        raise RetentionError(f"{path}: unreadable archive ({exc}); move it aside and re-run") from None


def _key(record: dict[str, Any]) -> tuple[str, str]:
    return (str(record.get("platform") or "weibo"), str(record["id"]))


def apply_retention(
    workspace: Workspace,
    older_than_days: int,
    archive_dir: Path,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    after_archive: Callable[[MonthResult], None] | None = None,
) -> RetentionResult:
    """Archive then delete ``workspace``'s items older than ``older_than_days`` (event time).

    ``after_archive`` runs once a month's archive is on disk, before its items are deleted
    (tests use it to interrupt a run at the worst moment).
    """
    if older_than_days < 1:
        raise ValueError(f"older_than_days must be at least 1, got {older_than_days}")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    result = RetentionResult(workspace=workspace.slug, cutoff=cutoff, dry_run=dry_run)
    old = Item.objects.filter(workspace=workspace, created_at__lt=cutoff)
    todo = candidates(workspace, cutoff)
    result.kept = old.count() - todo.count()
    months = sorted({m for m in todo.annotate(m=TruncMonth("created_at", tzinfo=dt.UTC))
                     .values_list("m", flat=True).distinct().order_by()})
    for start in months:
        end = (start + dt.timedelta(days=32)).replace(day=1)
        month = start.strftime("%Y-%m")
        path = archive_path(archive_dir, workspace, month)
        batch = todo.filter(created_at__gte=start, created_at__lt=end)
        month_result = MonthResult(month=month, archive=str(path))
        result.months.append(month_result)
        if dry_run:
            month_result.archived = batch.count()
            continue
        ids = _archive_month(batch, path, month_result)
        if after_archive:
            after_archive(month_result)
        month_result.deleted = _delete(ids)
    return result


def _archive_month(batch: QuerySet[Item], path: Path, result: MonthResult) -> array:
    """Write the month's new records next to the archive, verify, rename; return the pks."""
    existing: set[tuple[str, str]] = set()
    if path.exists():
        existing = {_key(r) for r in read_archive(path)}
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = array("q")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if path.exists():
                with path.open("rb") as old:  # the compressed bytes as they are
                    while chunk := old.read(1 << 20):
                        out.write(chunk)
            with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
                rows = batch.select_related("author", "account").order_by("id")
                for item in rows.iterator(chunk_size=READ_CHUNK):
                    ids.append(item.pk)
                    record = to_record(item)
                    if _key(record) in existing:
                        result.already_archived += 1
                        continue
                    gz.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
                    result.archived += 1
            out.flush()
            os.fsync(out.fileno())
        expected = len(existing) + result.archived
        found = {_key(r) for r in read_archive(tmp)}
        if len(found) != expected:
            raise RetentionError(f"{tmp}: {len(found)} distinct records read back, {expected} "
                                 "expected; the archive was not replaced and nothing deleted")
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return ids


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _delete(ids: array) -> int:
    deleted = 0
    for i in range(0, len(ids), DELETE_BATCH):
        with transaction.atomic():
            _, per_model = Item.objects.filter(pk__in=list(ids[i:i + DELETE_BATCH])).delete()
        deleted += per_model.get(Item._meta.label, 0)
    return deleted


def run_configured(archive_dir: Path, days: int) -> list[RetentionResult]:
    """Every workspace, as the daily beat task runs it."""
    return [apply_retention(ws, days, archive_dir) for ws in Workspace.objects.order_by("slug")]


@shared_task(name="core.retention")
def retention_daily() -> int:
    """Beat runs this once a day; it does nothing while INHOUSE_RETENTION_DAYS is 0."""
    from django.conf import settings

    if settings.RETENTION_DAYS <= 0:
        return 0
    results = run_configured(Path(settings.RETENTION_ARCHIVE_DIR), settings.RETENTION_DAYS)
    return sum(r.deleted for r in results)
