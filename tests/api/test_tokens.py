"""Tokens: issued by the owner only, stored hashed, shown once, revocable, audited."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inhouse.access.actions import set_role
from inhouse.access.models import AuditEntry
from inhouse.api import tokens
from inhouse.api.models import ApiToken


def test_a_token_is_stored_only_as_its_sha256(workspace, cast):
    token, raw = tokens.issue(cast["operator"], workspace, ["items:read"], by=cast["owner"],
                              name="BI export")
    assert raw.startswith("ih_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert raw not in str(AuditEntry.objects.get(action="token.create").after)


@pytest.mark.parametrize("role", ["operator", "expert", "agency", "viewer"])
def test_only_the_owner_issues_tokens(workspace, cast, role):
    with pytest.raises(PermissionDenied):
        tokens.issue(cast[role], workspace, ["items:read"], by=cast[role], name="mine")


def test_unknown_scopes_and_non_members_are_refused_clearly(workspace, cast, django_user_model):
    with pytest.raises(ValidationError, match="unknown scopes"):
        tokens.issue(cast["viewer"], workspace, ["items:write"], by=cast["owner"], name="x")
    stranger = django_user_model.objects.create_user("stranger", password="pw-stranger-2026")
    with pytest.raises(ValidationError, match="not a member"):
        tokens.issue(stranger, workspace, ["items:read"], by=cast["owner"], name="x")


def test_a_revoked_token_no_longer_authenticates_and_the_revocation_is_audited(
        workspace, cast, api):
    token, raw = tokens.issue(cast["viewer"], workspace, ["items:read"], by=cast["owner"],
                              name="x")
    assert api(raw).get("/api/v1/me").status_code == 200
    tokens.revoke(token, by=cast["owner"])
    response = api(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert AuditEntry.objects.filter(action="token.revoke", target=f"api_token:{token.pk}").exists()


def test_use_records_last_used_time(workspace, cast, api):
    token, raw = tokens.issue(cast["viewer"], workspace, ["items:read"], by=cast["owner"],
                              name="x")
    assert token.last_used_at is None
    api(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_owner_issues_on_the_page_sees_the_secret_once_and_revokes(client, workspace, cast):
    client.force_login(cast["owner"])
    page = client.post("/api/tokens/", {"name": "Dashboard", "user": cast["viewer"].pk,
                                        "scopes": ["items:read", "incidents:read"]})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.scopes == ["incidents:read", "items:read"]
    assert secret not in client.get("/api/tokens/").content.decode()
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_demoting_a_member_narrows_their_tokens_at_once(workspace, cast, api, desk):
    _token, raw = tokens.issue(cast["operator"], workspace, ["incidents:write"],
                               by=cast["owner"], name="x")
    set_role(workspace, cast["operator"], "viewer", by=cast["owner"])
    response = api(raw).post(f"/api/v1/incidents/{desk.incident.pk}/acknowledge")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_forbids"
