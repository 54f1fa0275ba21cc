"""Every change to the knowledge base: permission checked, versioned, audited.

Who may edit: roles holding ``Perm.KNOWLEDGE_EDIT`` (owner, operator, expert); an expert only
the entries they own (and new entries become theirs). Views, the CSV import and any future
API call these functions, never the models directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inhouse.access.actions import audit, role_of
from inhouse.access.models import Membership, Role
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Workspace
from inhouse.knowledge.models import Entry, EntryVersion
from inhouse.knowledge.retrieval.files import RowError, read_kb_csv

EDITABLE = ("question", "variants", "answer", "tags", "owner", "valid_until", "active")


def can_edit(user: AbstractBaseUser, workspace: Workspace, entry: Entry | None = None) -> bool:
    role = role_of(user, workspace)
    if not role_has(role, Perm.KNOWLEDGE_EDIT):
        return False
    return role != Role.EXPERT or entry is None or entry.owner_id == user.pk


def _require(user: AbstractBaseUser, workspace: Workspace, entry: Entry | None = None) -> str:
    role = role_of(user, workspace)
    if not role_has(role, Perm.KNOWLEDGE_EDIT):
        raise PermissionDenied("your role may not edit the knowledge base")
    if role == Role.EXPERT and entry is not None and entry.owner_id != user.pk:
        raise PermissionDenied("an expert may edit only the entries they own")
    return role


def _clean_list(values: Iterable[str] | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values or () if v and v.strip()))


def _validate(entry: Entry) -> None:
    if not entry.question.strip():
        raise ValidationError({"question": "a question is required"})
    if not entry.answer.strip():
        raise ValidationError({"answer": "an answer is required"})
    if entry.owner_id and not Membership.objects.filter(workspace=entry.workspace, user_id=entry.owner_id).exists():
        raise ValidationError({"owner": "the owner must be a member of this workspace"})


def _record(entry: Entry, user: AbstractBaseUser | None, change: str, before: dict | None) -> None:
    EntryVersion.objects.create(entry=entry, number=entry.version, snapshot=entry.snapshot(),
                                change=change, author=user if user and user.is_authenticated else None)
    audit(entry.workspace, user, f"knowledge.{change}", f"kb_entry:{entry.pk}",
          before=before, after=entry.snapshot())


@transaction.atomic
def create_entry(workspace: Workspace, user: AbstractBaseUser, *, question: str, answer: str,
                 variants: Sequence[str] = (), tags: Sequence[str] = (),
                 owner: AbstractBaseUser | None = None, valid_until: dt.date | None = None,
                 external_id: str = "", change: str = "created") -> Entry:
    role = _require(user, workspace)
    if role == Role.EXPERT:
        if owner is not None and owner.pk != user.pk:
            raise PermissionDenied("an expert may create entries only for themselves")
        owner = user
    entry = Entry(workspace=workspace, question=question.strip(), answer=answer.strip(),
                  variants=_clean_list(variants), tags=_clean_list(tags), owner=owner,
                  valid_until=valid_until, external_id=external_id.strip())
    _validate(entry)
    entry.save()
    _record(entry, user, change, None)
    return entry


@transaction.atomic
def update_entry(entry: Entry, user: AbstractBaseUser, *, change: str = "updated", **changes) -> Entry:
    """Change the given fields (see ``EDITABLE``); nothing is written when nothing changed."""
    _require(user, entry.workspace, entry)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    if "owner" in changes and role_of(user, entry.workspace) == Role.EXPERT:
        new_owner = changes["owner"]
        if new_owner is None or new_owner.pk != user.pk:
            raise PermissionDenied("an expert may not hand an entry to someone else")
    before = entry.snapshot()
    for name, value in changes.items():
        if name in ("variants", "tags"):
            value = _clean_list(value)
        elif name in ("question", "answer"):
            value = (value or "").strip()
        setattr(entry, name, value)
    if entry.snapshot() == before:
        return entry
    _validate(entry)
    entry.version += 1
    entry.save()
    _record(entry, user, change, before)
    return entry


def retire_entry(entry: Entry, user: AbstractBaseUser) -> Entry:
    """Take an entry out of suggestions; its history stays."""
    return update_entry(entry, user, active=False, change="retired")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_entries_csv(workspace: Workspace, user: AbstractBaseUser, lines: Iterable[str],
                       source: str = "upload.csv") -> ImportReport:
    """Create or update entries from a KB CSV (the format of ``inhouse kb suggest``), keyed by
    its ``id`` column. Bad rows are reported by line and skipped; good rows are stored."""
    role = _require(user, workspace)
    rows, errors = read_kb_csv(lines, source)
    report = ImportReport(errors=list(errors))
    existing = {e.external_id: e for e in Entry.objects.filter(
        workspace=workspace, external_id__in=[r.entry.id for r in rows])}
    for row in rows:
        e = row.entry
        fields = {"question": e.question, "answer": e.answer, "variants": list(e.variants),
                  "tags": list(e.tags), "valid_until": row.valid_until}
        current = existing.get(e.id)
        try:
            if current is None:
                create_entry(workspace, user, external_id=e.id, change="imported", **fields)
                report.created += 1
            elif role == Role.EXPERT and current.owner_id != user.pk:
                report.errors.append(RowError(source, row.line, "id", f"{e.id!r} belongs to another "
                                              "expert; ask its owner or an operator to change it"))
            else:
                version = current.version
                update_entry(current, user, change="imported", **fields)
                if current.version == version:
                    report.unchanged += 1
                else:
                    report.updated += 1
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            report.errors.append(RowError(source, row.line, name, "; ".join(messages)))
    report.errors.sort(key=lambda r: r.line)
    return report
