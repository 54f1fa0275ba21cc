"""Action functions for API tokens: issue, revoke, and find the token behind a request."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.api.models import ApiToken
from inhouse.api.scopes import SCOPES
from inhouse.core.models import Workspace

TOKEN_PREFIX = "ih_"
# last_used_at is written at most this often per token, so reads do not become writes.
LAST_USED_GRANULARITY_S = 60


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _require_manager(by: AbstractBaseUser | None, workspace: Workspace) -> None:
    if by is None or not role_has(role_of(by, workspace), Perm.TOKENS_MANAGE):
        raise PermissionDenied(f"{by} may not manage API tokens in {workspace}")


def issue(user: AbstractBaseUser, workspace: Workspace, scopes: Iterable[str], *,
          by: AbstractBaseUser | None, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (a member of ``workspace``); returns it and the raw secret,
    which is never stored and cannot be shown again."""
    _require_manager(by, workspace)
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise ValidationError({"scopes": f"unknown scopes {unknown}; known: {sorted(SCOPES)}"})
    if not scopes:
        raise ValidationError({"scopes": "choose at least one scope"})
    if role_of(user, workspace) is None:
        raise ValidationError({"user": f"{user} is not a member of {workspace}"})
    if not name.strip():
        raise ValidationError({"name": "name the token after what will use it"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(workspace=workspace, user=user, name=name.strip()[:100],
                                    prefix=raw[:10], digest=digest(raw), scopes=scopes,
                                    created_by=by)
    audit(workspace, by, "token.create", f"api_token:{token.pk}",
          after={"user": user.get_username(), "name": token.name, "scopes": scopes})
    return token, raw


def revoke(token: ApiToken, *, by: AbstractBaseUser | None) -> ApiToken:
    _require_manager(by, token.workspace)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(token.workspace, by, "token.revoke", f"api_token:{token.pk}",
              before={"scopes": token.scopes}, after=None)
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The live token for this secret, its last use recorded; None if unknown or revoked."""
    token = (ApiToken.objects.select_related("user", "workspace")
             .filter(digest=digest(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if (token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_GRANULARITY_S):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
