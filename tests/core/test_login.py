"""Sign-ins are audited and repeated failures lock the username out."""

import pytest

from inhouse.access.models import AuditEntry

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_a_successful_login_is_audited(client, cast):
    response = _login(client, "owner", "pw-owner-2026")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login")
    assert (entry.actor, entry.target) == (cast["owner"], "user:owner")


def test_five_failures_lock_the_username_even_with_the_right_password(client, cast):
    for _ in range(5):
        assert _login(client, "operator", "wrong").status_code == 200
    assert AuditEntry.objects.filter(action="login.failed", target="user:operator").count() == 5
    response = client.post("/login/", {"username": "operator", "password": "pw-operator-2026"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"][0].startswith("Too many failed sign-in attempts")


def test_other_users_are_not_locked_by_someone_elses_failures(client, cast):
    for _ in range(5):
        _login(client, "operator", "wrong")
    assert _login(client, "viewer", "pw-viewer-2026").status_code == 302


def test_audit_entries_cannot_be_changed_or_deleted(cast):
    from inhouse.access.actions import audit

    entry = audit(None, cast["owner"], "test.action", "x")
    entry.action = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
