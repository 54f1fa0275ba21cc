"""Actions of the partner radar: the directory, its CSV import, and every move of a card.

One function per change; each checks the role (DIRECTORY_MANAGE: the owner and operators),
writes the audit entry and does the work. Views, the demo and the CLI call these. Cards are
opened by the pipeline (``intake.py``), in the system's name, and audited there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.models import Membership, Role
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Workspace
from inhouse.partners.models import (
    CardEvent,
    CardState,
    Category,
    Contact,
    Opportunity,
    Radar,
)


class Refused(Exception):
    """The change is not possible as asked; the message says why and what to do."""


def _require(user: AbstractBaseUser | None, workspace: Workspace, perm: Perm = Perm.DIRECTORY_MANAGE) -> None:
    if user is None or not role_has(role_of(user, workspace), perm):
        raise PermissionDenied(f"{getattr(user, 'username', user)} may not {perm.value} in {workspace}")


def _member(workspace: Workspace, user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    if user is not None and not Membership.objects.filter(workspace=workspace, user=user).exists():
        raise Refused(f"{user} is not a member of {workspace}; an owner must be someone on the team")
    return user


# --- the directory ---------------------------------------------------------------------------

def _clean_contact(workspace: Workspace, values: Mapping, exclude_pk: int | None = None) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise Refused("name: give the organisation's or person's name")
    category = (values.get("category") or "").strip()
    if category not in Category.values:
        raise Refused(f"category: {category!r} is not one of {', '.join(Category.values)}")
    uid = (values.get("weibo_uid") or "").strip()
    if uid and not uid.isdigit():
        raise Refused(f"weibo_uid: {uid!r} is not a Weibo uid (digits only)")
    if uid and Contact.objects.filter(workspace=workspace, weibo_uid=uid).exclude(pk=exclude_pk).exists():
        raise Refused(f"weibo_uid: {uid} is already in the directory")
    return {"name": name, "category": category, "weibo_uid": uid,
            "weibo_name": (values.get("weibo_name") or "").strip().lstrip("@"),
            "owner": _member(workspace, values.get("owner")),
            "notes": (values.get("notes") or "").strip()}


@transaction.atomic
def add_contact(workspace: Workspace, user: AbstractBaseUser, **values) -> Contact:
    _require(user, workspace)
    contact = Contact.objects.create(workspace=workspace, **_clean_contact(workspace, values))
    audit(workspace, user, "partners.contact.add", f"contact:{contact.pk}", after=contact.snapshot())
    return contact


@transaction.atomic
def update_contact(contact: Contact, user: AbstractBaseUser, **values) -> Contact:
    _require(user, contact.workspace)
    before = contact.snapshot()
    for name, value in _clean_contact(contact.workspace, values, exclude_pk=contact.pk).items():
        setattr(contact, name, value)
    contact.save()
    audit(contact.workspace, user, "partners.contact.update", f"contact:{contact.pk}",
          before=before, after=contact.snapshot())
    return contact


@transaction.atomic
def remove_contact(contact: Contact, user: AbstractBaseUser) -> None:
    """Remove from the directory; its cards stay (they lose the link, not their history)."""
    _require(user, contact.workspace)
    before = contact.snapshot()
    audit(contact.workspace, user, "partners.contact.remove", f"contact:{contact.pk}", before=before)
    contact.delete()


CSV_COLUMNS = ("name", "category", "weibo_uid", "weibo_name", "owner", "notes")


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)  # "line 4, category: ..."


def import_contacts_csv(workspace: Workspace, user: AbstractBaseUser, text: str,
                        source: str = "upload") -> ImportReport:
    """Add or update contacts from CSV (header: name, category[, weibo_uid, weibo_name,
    owner (a username), notes]). A row with a known uid updates that contact. All or nothing:
    any bad row rejects the file, each error naming its line and field."""
    _require(user, workspace)
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "category") if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if missing or unknown:
        report.errors.append(f"{source} line 1 (header): "
                             + (f"missing column(s) {', '.join(missing)}" if missing else "")
                             + ("; " if missing and unknown else "")
                             + (f"unknown column(s) {', '.join(unknown)}" if unknown else "")
                             + f"; expected {', '.join(CSV_COLUMNS)}")
        return report
    users = {u.username: u for u in get_user_model().objects.filter(memberships__workspace=workspace)}
    rows: list[tuple[int, dict]] = []
    seen_uids: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        owner_name = values.pop("owner", "")
        if owner_name and owner_name not in users:
            report.errors.append(f"{source} line {line}, owner: {owner_name!r} is not a member of this workspace")
            continue
        values["owner"] = users.get(owner_name)
        uid = values.get("weibo_uid", "")
        if uid and uid in seen_uids:
            report.errors.append(f"{source} line {line}, weibo_uid: {uid} repeats line {seen_uids[uid]}")
            continue
        if uid:
            seen_uids[uid] = line
        rows.append((line, values))
    with transaction.atomic():
        for line, values in rows:
            existing = Contact.objects.filter(workspace=workspace, weibo_uid=values["weibo_uid"]).first() \
                if values.get("weibo_uid") else None
            try:
                if existing is None:
                    _clean_contact(workspace, values)
                else:
                    _clean_contact(workspace, values, exclude_pk=existing.pk)
            except Refused as error:
                field_name, _, why = str(error).partition(": ")
                report.errors.append(f"{source} line {line}, {field_name}: {why}")
        if report.errors:
            report.errors.sort(key=lambda e: int(e.split(" line ", 1)[1].split(",", 1)[0]))
            return report
        for _line, values in rows:
            existing = Contact.objects.filter(workspace=workspace, weibo_uid=values["weibo_uid"]).first() \
                if values.get("weibo_uid") else None
            if existing is None:
                add_contact(workspace, user, **values)
                report.added += 1
            else:
                update_contact(existing, user, **values)
                report.updated += 1
    return report


@transaction.atomic
def set_default_owner(workspace: Workspace, user: AbstractBaseUser,
                      owner: AbstractBaseUser | None) -> Radar:
    """Who gets the cards of authors not in the directory (or whose contact has no owner)."""
    _require(user, workspace)
    radar, _ = Radar.objects.get_or_create(workspace=workspace)
    before = radar.default_owner_id
    radar.default_owner = _member(workspace, owner)
    radar.save()
    audit(workspace, user, "partners.radar.default_owner", f"radar:{radar.pk}",
          before={"default_owner": before}, after={"default_owner": radar.default_owner_id})
    return radar


def default_owner(workspace: Workspace) -> AbstractBaseUser | None:
    """The radar's default owner; failing that, the workspace's first owner."""
    radar = Radar.objects.filter(workspace=workspace).select_related("default_owner").first()
    if radar and radar.default_owner:
        return radar.default_owner
    first = (Membership.objects.filter(workspace=workspace, role=Role.OWNER)
             .select_related("user").order_by("id").first())
    return first.user if first else None


# --- cards -----------------------------------------------------------------------------------

# Which moves a card allows; won and dropped may be reopened (a lead comes back).
MOVES: dict[str, tuple[str, ...]] = {
    CardState.NEW: (CardState.CONTACTED, CardState.IN_PROGRESS, CardState.DROPPED),
    CardState.CONTACTED: (CardState.IN_PROGRESS, CardState.WON, CardState.DROPPED),
    CardState.IN_PROGRESS: (CardState.WON, CardState.DROPPED),
    CardState.WON: (CardState.IN_PROGRESS,),
    CardState.DROPPED: (CardState.IN_PROGRESS,),
}


@transaction.atomic
def move_card(card: Opportunity, user: AbstractBaseUser, to_state: str, note: str = "") -> Opportunity:
    """Move a card (new → contacted → in progress → won | dropped), audited; dropping needs a note."""
    _require(user, card.workspace)
    card = Opportunity.objects.select_for_update().get(pk=card.pk)
    if to_state not in MOVES.get(card.state, ()):
        allowed = ", ".join(str(CardState(s).label) for s in MOVES.get(card.state, ()))
        raise Refused(f"a {CardState(card.state).label} card cannot become "
                      f"{CardState(to_state).label if to_state in CardState.values else to_state!r}; "
                      f"it can become: {allowed}")
    if to_state == CardState.DROPPED and not note.strip():
        raise Refused("say why the opportunity is dropped")
    from_state, card.state = card.state, to_state
    card.save(update_fields=["state", "updated_at"])
    CardEvent.objects.create(opportunity=card, actor=user, action="move", from_state=from_state,
                             to_state=to_state, note=note.strip())
    audit(card.workspace, user, f"partners.card.{to_state}", f"opportunity:{card.pk}",
          before={"state": from_state}, after={"state": to_state, "note": note.strip()})
    return card


def mark_contacted(card: Opportunity, user: AbstractBaseUser, note: str = "") -> Opportunity:
    return move_card(card, user, CardState.CONTACTED, note)


def start_work(card: Opportunity, user: AbstractBaseUser, note: str = "") -> Opportunity:
    return move_card(card, user, CardState.IN_PROGRESS, note)


def mark_won(card: Opportunity, user: AbstractBaseUser, note: str = "") -> Opportunity:
    return move_card(card, user, CardState.WON, note)


def drop_card(card: Opportunity, user: AbstractBaseUser, reason: str) -> Opportunity:
    return move_card(card, user, CardState.DROPPED, reason)


@transaction.atomic
def assign_card(card: Opportunity, user: AbstractBaseUser, owner: AbstractBaseUser | None) -> Opportunity:
    _require(user, card.workspace)
    before = card.owner_id
    card.owner = _member(card.workspace, owner)
    card.seen_at = None  # a new owner has a new card to read
    card.save(update_fields=["owner", "seen_at", "updated_at"])
    CardEvent.objects.create(opportunity=card, actor=user, action="assign",
                             note=getattr(owner, "username", ""))
    audit(card.workspace, user, "partners.card.assign", f"opportunity:{card.pk}",
          before={"owner": before}, after={"owner": card.owner_id})
    return card


def mark_seen(card: Opportunity, user: AbstractBaseUser) -> None:
    """The owner opened the card: the in-desk notification is read (not audited: no change)."""
    if card.owner_id == user.pk and card.seen_at is None:
        Opportunity.objects.filter(pk=card.pk).update(seen_at=timezone.now())
