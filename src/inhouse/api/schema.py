"""The OpenAPI 3.1 description of /api/v1/, written by hand next to the views.

tests/api/test_schema.py fails when a route of the API is missing here, and the schemathesis
run checks that responses match what this says.
"""

from __future__ import annotations

from typing import Any

from inhouse.api.scopes import SCOPES
from inhouse.core.models import Intent, ItemKind, Sentiment
from inhouse.inbox.models import State as ConversationState
from inhouse.monitoring.models import IncidentState, Severity

MAX_PK = 2**63 - 1

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
WHEN = {"type": ["string", "null"], "format": "date-time"}
INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}


def _enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _obj(props: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["object", "null"] if nullable else "object", "properties": props,
            "required": list(props)}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


PK = {"name": "id", "in": "path", "required": True,
      "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PK}}
PAGING = [
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
           "Rows per page."),
    _query("cursor", STR, "next_cursor from the previous page."),
]
# Enumerations come from the models, so the schema cannot drift from what the views accept.
KINDS = tuple(ItemKind.values)
SENTIMENTS = tuple(Sentiment.values)
INTENTS = tuple(Intent.values)
INCIDENT_STATES = tuple(IncidentState.values)
SEVERITIES = tuple(Severity.values)
CONVERSATION_STATES = tuple(ConversationState.values)

ITEM = _obj({
    "id": INT, "platform": STR, "platform_id": STR, "kind": _enum(*KINDS), "text": STR,
    "created_at": WHEN, "author": _obj({"uid": STR, "screen_name": STR,
                                        "followers_count": NINT, "verified": {"type": "boolean"}},
                                       nullable=True),
    "parent_platform_id": STR, "root_platform_id": STR, "reposts_count": INT,
    "comments_count": INT, "likes_count": INT, "sentiment": STR,
    "p_positive": {"type": ["number", "null"]}, "emotion": STR, "intent": STR,
    "topics": {"type": "array", "items": STR},
})
ITEM_DETAIL = {"allOf": [_ref("Item"), {"type": "object", "required": ["raw"],
                                        "properties": {"raw": {}}}]}
INCIDENT = _obj({
    "id": INT, "title": STR, "title_text": STR,  # title_text: in the request's language
    "severity": _enum(*SEVERITIES), "state": _enum(*INCIDENT_STATES),
    "topic": _obj({"id": INT, "name": STR}), "owner": NSTR, "opened_at": WHEN,
    "last_signal_at": WHEN, "first_response_at": WHEN, "resolved_at": WHEN,
})
INCIDENT_DETAIL = {"allOf": [_ref("Incident"), _obj({
    "events": {"type": "array", "items": _obj({"kind": STR, "at": WHEN, "text": STR,
                                               "actor": NSTR})},
    "alerts": {"type": "array", "items": _obj({"kind": STR, "severity": STR, "reason": STR,
                                               "reason_text": STR, "detected_at": WHEN})},
})]}
CONVERSATION = _obj({
    "id": INT, "kind": STR, "state": STR, "intent": STR, "sentiment": STR, "preview": STR,
    "items_count": INT, "customer": _obj({"uid": STR, "screen_name": STR}, nullable=True),
    "assignee": NSTR, "opened_at": WHEN, "last_customer_at": WHEN, "sla_due_at": WHEN,
    "first_response_at": WHEN,
})
ME = _obj({
    "user": STR, "role": STR, "workspace": _obj({"id": INT, "name": STR, "slug": STR}),
    "permissions": {"type": "array", "items": STR},
    "token": _obj({"name": STR, "prefix": STR, "scopes": {"type": "array", "items": STR},
                   "created_at": WHEN, "last_used_at": WHEN}),
})
ERROR = _obj({"error": _obj({"code": STR, "message": STR, "field": NSTR})})


def _page_of(name: str) -> dict[str, Any]:
    return _obj({"results": {"type": "array", "items": _ref(name)}, "next_cursor": NSTR})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "A parameter is invalid; `field` names it.", 401: "No valid token.",
            403: "The token lacks the scope, or its user's role the permission.",
            404: "No such object in the token's workspace.",
            409: "The object is not in a state that allows this."}
    return {str(c): _json(_ref("Error"), text[c]) for c in (401, 403, *codes)}


def _op(op_id: str, summary: str, scope: str | None, ok: dict[str, Any], *,
        parameters: list[dict[str, Any]] = (), errors: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "operationId": op_id, "summary": summary, "parameters": list(parameters),
        "security": [{"bearer": [scope] if scope else []}],
        "responses": {"200": _json(ok, "OK"), **_errors(*errors)},
        **({"x-scope": scope} if scope else {}),
    }


def openapi_schema() -> dict[str, Any]:
    item_filters = [
        _query("kind", _enum(*KINDS), "Item kind; messages only for roles that may read them."),
        _query("sentiment", _enum(*SENTIMENTS), "Sentiment label."),
        _query("intent", _enum(*INTENTS), "Intent label."),
        _query("since", {"type": "string", "format": "date-time"}, "Event time at or after."),
        _query("until", {"type": "string", "format": "date-time"}, "Event time before."),
        _query("q", {"type": "string", "maxLength": 200}, "Words the text contains."),
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "inhouse API", "version": "1",
                 "description": "Read the desk's items, incidents and inbox; acknowledge "
                                "incidents. Bearer tokens are issued by the workspace owner."},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "Scopes: " + "; ".join(f"{k}: {v[1]}" for k, v in SCOPES.items()),
            }},
            "schemas": {"Item": ITEM, "ItemDetail": ITEM_DETAIL, "Incident": INCIDENT,
                        "IncidentDetail": INCIDENT_DETAIL, "Conversation": CONVERSATION,
                        "Me": ME, "Error": ERROR},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/me": {"get": _op("me", "Who the token acts as.", None, _ref("Me"))},
            "/api/v1/items": {"get": _op(
                "listItems", "Items, newest first.", "items:read", _page_of("Item"),
                parameters=[*item_filters, *PAGING], errors=(400,))},
            "/api/v1/items/{id}": {"get": _op(
                "getItem", "One item with its raw payload.", "items:read",
                _ref("ItemDetail"), parameters=[PK], errors=(404,))},
            "/api/v1/incidents": {"get": _op(
                "listIncidents", "Incidents, newest first.", "incidents:read",
                _page_of("Incident"), errors=(400,), parameters=[
                    _query("state", _enum(*INCIDENT_STATES, "open"),
                           "State; 'open' is anything not resolved."),
                    _query("severity", _enum(*SEVERITIES), "Severity."), *PAGING])},
            "/api/v1/incidents/{id}": {"get": _op(
                "getIncident", "One incident with its timeline and alerts.", "incidents:read",
                _ref("IncidentDetail"), parameters=[PK], errors=(404,))},
            "/api/v1/incidents/{id}/acknowledge": {"post": _op(
                "acknowledgeIncident", "Acknowledge a new incident (audited).",
                "incidents:write", _ref("IncidentDetail"), parameters=[PK],
                errors=(404, 409))},
            "/api/v1/conversations": {"get": _op(
                "listConversations", "Inbox conversations, latest customer words first.",
                "inbox:read", _page_of("Conversation"), errors=(400,), parameters=[
                    _query("state", _enum(*CONVERSATION_STATES), "Conversation state."),
                    _query("intent", _enum(*INTENTS), "Intent."),
                    _query("sentiment", _enum(*SENTIMENTS), "Sentiment."), *PAGING])},
        },
    }
