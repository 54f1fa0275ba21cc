"""The members page: the owner changes roles through set_role, which audits the change."""

from __future__ import annotations

import pytest

from inhouse.access.models import AuditEntry, Membership
from inhouse.core.models import Workspace

pytestmark = pytest.mark.usefixtures("access_routed")


def test_the_owner_changes_a_role_and_it_is_audited(client, workspace, cast):
    client.force_login(cast["owner"])
    viewer = Membership.objects.get(user=cast["viewer"])
    assert "viewer" in client.get("/access/members/").content.decode()
    response = client.post(f"/access/members/{viewer.pk}/role/", {"role": "operator"})
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == "operator"
    entry = AuditEntry.objects.get(action="role.set")
    assert (entry.actor, entry.before, entry.after) == (cast["owner"], "viewer", "operator")


def test_the_last_owner_cannot_be_demoted(client, workspace, cast):
    client.force_login(cast["owner"])
    owner = Membership.objects.get(user=cast["owner"])
    client.post(f"/access/members/{owner.pk}/role/", {"role": "viewer"})
    owner.refresh_from_db()
    assert owner.role == "owner"
    assert not AuditEntry.objects.filter(action="role.set").exists()


def test_an_unknown_role_or_another_workspace_member_changes_nothing(
        client, workspace, cast, django_user_model):
    client.force_login(cast["owner"])
    viewer = Membership.objects.get(user=cast["viewer"])
    client.post(f"/access/members/{viewer.pk}/role/", {"role": "admin"})
    viewer.refresh_from_db()
    assert viewer.role == "viewer"
    elsewhere = Membership.objects.create(
        workspace=Workspace.objects.create(name="别家", slug="other"), role="viewer",
        user=django_user_model.objects.create_user("outsider", password="pw-outsider-2026"))
    assert client.post(f"/access/members/{elsewhere.pk}/role/",
                       {"role": "owner"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "viewer"
