"""Which workspace a request works in: membership, the switcher, and no membership at all."""

from __future__ import annotations

from inhouse.access.models import Membership
from inhouse.core.models import Workspace


def test_a_user_without_membership_sees_a_clear_page(client, django_user_model, workspace):
    lonely = django_user_model.objects.create_user(username="lonely", password="x")
    client.force_login(lonely)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert b"You are not in a workspace yet" in page.content
    assert client.get("/items/").status_code == 403


def test_the_role_shows_in_the_user_menu(client, cast):
    client.force_login(cast["expert"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"role-expert" in page.content
    assert b"expert" in page.content


def test_a_member_of_two_workspaces_can_switch(client, cast, workspace):
    other = Workspace.objects.create(name="鹿鹿饮品", slug="drinks")
    Membership.objects.create(workspace=other, user=cast["operator"], role="viewer")
    client.force_login(cast["operator"])
    page = client.get("/")
    assert page.wsgi_request.desk.workspace == workspace  # by name: 小鹿零食 sorts first
    assert b'name="workspace"' in page.content

    response = client.post("/workspace/", {"workspace": other.pk})
    assert response.status_code == 302
    page = client.get("/")
    assert page.wsgi_request.desk.workspace == other
    assert page.wsgi_request.desk.role == "viewer"
    assert "鹿鹿饮品" in page.content.decode()


def test_cannot_switch_into_a_workspace_one_is_not_in(client, cast):
    other = Workspace.objects.create(name="别家", slug="other")
    client.force_login(cast["owner"])
    assert client.post("/workspace/", {"workspace": other.pk}).status_code == 404
    assert client.post("/workspace/", {"workspace": "x"}).status_code == 404
    assert client.get("/workspace/").status_code == 405
