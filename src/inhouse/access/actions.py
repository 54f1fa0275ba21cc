"""Action functions of the access app: membership changes and the audit write they share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from inhouse.access.models import AuditEntry, Membership, Role
from inhouse.core.models import Workspace


def audit(
    workspace: Workspace | None,
    actor: AbstractBaseUser | None,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the audit log."""
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "username", "") if actor is not None else "system",
        action=action,
        target=target,
        before=before,
        after=after,
    )


def role_of(user: AbstractBaseUser, workspace: Workspace) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, workspace=workspace).first()
    return membership.role if membership else None


def set_role(
    workspace: Workspace, user: AbstractBaseUser, role: str, *, by: AbstractBaseUser | None
) -> Membership:
    """Give ``user`` ``role`` in ``workspace`` (creating the membership), audited."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    membership, _ = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    before = membership.role if membership.role != role else None
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit(workspace, by, "role.set", f"user:{user.pk}", before=before, after=role)
    return membership
