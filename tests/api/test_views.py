"""The /api/v1/ endpoints: filters, pagination, scopes against roles, JSON errors."""

from __future__ import annotations

import pytest

from inhouse.access.models import AuditEntry


def test_no_token_or_a_wrong_one_is_401_in_json(api):
    for token in (None, "ih_not-a-real-token"):
        response = api(token).get("/api/v1/items")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json()["error"]) == {"code", "message", "field"}


def test_me_says_who_the_token_acts_as(api, token_for):
    body = api(token_for("viewer", "items:read")).get("/api/v1/me").json()
    assert body["role"] == "viewer" and body["user"] == "viewer"
    assert body["token"]["scopes"] == ["items:read"]
    assert "messages.view" not in body["permissions"]


def test_items_filter_and_hide_private_messages_from_a_viewer(api, token_for, desk):
    owner, viewer = api(token_for("owner")), api(token_for("viewer", "items:read"))
    kinds = {i["kind"] for i in owner.get("/api/v1/items", limit=200).json()["results"]}
    assert "message" in kinds
    seen = viewer.get("/api/v1/items", limit=200).json()["results"]
    assert seen and all(i["kind"] != "message" for i in seen)
    assert viewer.get(f"/api/v1/items/{desk.message.pk}").status_code == 404
    found = owner.get("/api/v1/items", intent="consultation", q="花生").json()["results"]
    assert [i["id"] for i in found] == [desk.comment.pk]
    assert owner.get("/api/v1/items", kind="message").json()["results"][0]["id"] == desk.message.pk


def test_items_since_and_until_bound_event_time(api, token_for, desk):
    owner = api(token_for("owner"))
    at = desk.comment.created_at.isoformat()
    since = owner.get("/api/v1/items", since=at, kind="comment").json()["results"]
    until = owner.get("/api/v1/items", until=at, kind="comment").json()["results"]
    assert desk.comment.pk in [i["id"] for i in since]
    assert desk.comment.pk not in [i["id"] for i in until]


def test_cursor_pagination_walks_every_item_once(api, token_for, desk):
    owner = api(token_for("owner"))
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        body = owner.get("/api/v1/items", **params).json()
        seen += [i["id"] for i in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    total = owner.get("/api/v1/items", limit=200).json()["results"]
    assert len(seen) == len(set(seen)) == len(total) > 7


@pytest.mark.parametrize(("params", "field"), [
    ({"kind": "tweet"}, "kind"), ({"since": "yesterday"}, "since"),
    ({"until": "2026-13-40"}, "until"), ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"),
    ({"cursor": "garbage!"}, "cursor"), ({"q": "长" * 201}, "q"), ({"q": "a\x00b"}, "q"),
    ({"since": "0001-01-01T00:00:00+23:00"}, "since"),
])
def test_bad_input_is_a_400_naming_the_field(api, token_for, params, field):
    response = api(token_for("owner")).get("/api/v1/items", **params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_an_absurd_id_is_a_404_not_a_crash(api, token_for):
    response = api(token_for("owner")).get(f"/api/v1/items/{2**70}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_token_without_the_scope_is_refused_even_for_the_owner(api, token_for, desk):
    response = api(token_for("owner", "items:read")).get("/api/v1/incidents")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"


@pytest.mark.parametrize("role", ["expert", "agency"])
def test_a_scope_never_widens_a_role(api, token_for, role, desk):
    for path in ("/api/v1/items", "/api/v1/incidents", "/api/v1/conversations"):
        response = api(token_for(role)).get(path)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "role_forbids"


def test_incidents_list_detail_and_filters(api, token_for, desk):
    viewer = api(token_for("viewer", "incidents:read"))
    listed = viewer.get("/api/v1/incidents", state="open").json()["results"]
    assert [i["id"] for i in listed] == [desk.incident.pk]
    assert viewer.get("/api/v1/incidents", state="resolved").json()["results"] == []
    detail = viewer.get(f"/api/v1/incidents/{desk.incident.pk}").json()
    assert detail["alerts"] and detail["topic"]["name"] == "brand"
    # The timeline's alert lines are worded like the alerts, in the reader's language.
    alert_lines = [e["text"] for e in detail["events"] if e["kind"] == "alert"]
    assert alert_lines == [a["reason_text"] for a in detail["alerts"]]
    english = viewer.get(f"/api/v1/incidents/{desk.incident.pk}",
                         language="en").json()
    en_lines = [e["text"] for e in english["events"] if e["kind"] == "alert"]
    assert en_lines == [a["reason_text"] for a in english["alerts"]]
    assert en_lines != alert_lines  # the default language is Chinese


def test_acknowledge_goes_through_the_action_and_is_audited(api, token_for, desk, cast):
    operator = api(token_for("operator", "incidents:write", "incidents:read"))
    response = operator.post(f"/api/v1/incidents/{desk.incident.pk}/acknowledge")
    assert response.status_code == 200
    assert response.json()["state"] == "acknowledged"
    assert response.json()["owner"] == "operator"
    entry = AuditEntry.objects.get(action="incident.acknowledged")
    assert entry.actor == cast["operator"]
    again = operator.post(f"/api/v1/incidents/{desk.incident.pk}/acknowledge")
    assert again.status_code == 409 and again.json()["error"]["field"] == "state"


def test_a_viewer_cannot_acknowledge_and_nothing_changes(api, token_for, desk):
    response = api(token_for("viewer")).post(f"/api/v1/incidents/{desk.incident.pk}/acknowledge")
    assert response.status_code == 403
    desk.incident.refresh_from_db()
    assert desk.incident.state == "new"


def test_wrong_method_is_405_in_json(api, token_for, desk):
    response = api(token_for("owner")).get(f"/api/v1/incidents/{desk.incident.pk}/acknowledge")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_conversations_hide_private_messages_as_the_desk_does(api, token_for, desk):
    owner = api(token_for("owner")).get("/api/v1/conversations").json()["results"]
    viewer = api(token_for("viewer")).get("/api/v1/conversations").json()["results"]
    assert {c["kind"] for c in owner} > {c["kind"] for c in viewer}
    assert all(c["kind"] != "message" for c in viewer)


@pytest.mark.parametrize("path", ["/api/v1/items", "/api/v1/incidents", "/api/v1/conversations"])
def test_lists_run_a_bounded_number_of_queries(api, token_for, desk, path,
                                               django_assert_max_num_queries):
    owner = api(token_for("owner"))
    owner.get("/api/v1/me")  # records last use, so the measured call does not write
    with django_assert_max_num_queries(4):  # token, role, page (+ a spare)
        assert owner.get(path, limit=200).status_code == 200
