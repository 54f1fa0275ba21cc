"""The /api/v1/ endpoints: plain Django views returning JSON, read mostly.

Each view is thin: the token and scope are checked by ``api_view``, query strings parsed by
``params``, and the one write (acknowledge) goes through the monitoring action function.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse

from inhouse.access.permissions import Perm
from inhouse.api import params
from inhouse.api.auth import ApiError, api_view
from inhouse.api.schema import openapi_schema
from inhouse.core.models import Author, Intent, Item, ItemKind, Sentiment
from inhouse.inbox.models import Conversation, ConversationKind
from inhouse.inbox.models import State as ConversationState
from inhouse.monitoring import actions as monitoring
from inhouse.monitoring import wording
from inhouse.monitoring.models import Incident, IncidentState, Severity

_DIGITS = re.compile(r"[0-9]{1,19}")


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _author(author: Author | None) -> dict[str, Any] | None:
    if author is None:
        return None
    return {"uid": author.uid, "screen_name": author.screen_name,
            "followers_count": author.followers_count, "verified": author.verified}


def item_json(item: Item, *, full: bool = False) -> dict[str, Any]:
    data = {
        "id": item.pk, "platform": item.platform, "platform_id": item.platform_id,
        "kind": item.kind, "text": item.text, "created_at": _when(item.created_at),
        "author": _author(item.author), "parent_platform_id": item.parent_platform_id,
        "root_platform_id": item.root_platform_id, "reposts_count": item.reposts_count,
        "comments_count": item.comments_count, "likes_count": item.likes_count,
        "sentiment": item.sentiment, "p_positive": item.p_positive, "emotion": item.emotion,
        "intent": item.intent, "topics": list(item.topics or []),
    }
    if full:
        data["raw"] = item.raw
    return data


def incident_json(incident: Incident, *, full: bool = False) -> dict[str, Any]:
    data = {
        "id": incident.pk, "title": incident.title,
        "title_text": wording.incident_title(incident),  # in the request's language
        "severity": incident.severity,
        "state": incident.state, "topic": {"id": incident.topic_id, "name": incident.topic.name},
        "owner": incident.owner.get_username() if incident.owner else None,
        "opened_at": _when(incident.opened_at), "last_signal_at": _when(incident.last_signal_at),
        "first_response_at": _when(incident.first_response_at),
        "resolved_at": _when(incident.resolved_at),
    }
    if full:
        # An alert's line is worded in the reader's language, like the alert itself.
        data["events"] = [{"kind": e.kind, "at": _when(e.at),
                           "text": wording.alert_reason(e.alert) if e.alert else e.text,
                           "actor": e.actor.get_username() if e.actor else None}
                          for e in incident.events.select_related("actor", "alert")
                          .order_by("at", "id")]
        data["alerts"] = [{"kind": a.kind, "severity": a.severity, "reason": a.reason,
                           "reason_text": wording.alert_reason(a),
                           "detected_at": _when(a.detected_at)}
                          for a in incident.alerts.order_by("detected_at", "id")]
    return data


def conversation_json(conv: Conversation) -> dict[str, Any]:
    return {
        "id": conv.pk, "kind": conv.kind, "state": conv.state, "intent": conv.intent,
        "sentiment": conv.sentiment, "preview": conv.preview, "items_count": conv.items_count,
        "customer": ({"uid": conv.customer.uid, "screen_name": conv.customer.screen_name}
                     if conv.customer else None),
        "assignee": conv.assignee.get_username() if conv.assignee else None,
        "opened_at": _when(conv.opened_at), "last_customer_at": _when(conv.last_customer_at),
        "sla_due_at": _when(conv.sla_due_at), "first_response_at": _when(conv.first_response_at),
    }


def _listing(rows: list[Any], cursor: str | None, render) -> JsonResponse:
    return JsonResponse({"results": [render(r) for r in rows], "next_cursor": cursor})


def _pk(raw: str) -> int:
    """The id in the URL, or a JSON 404 for anything that cannot be one."""
    if not _DIGITS.fullmatch(raw) or not 0 < int(raw) <= params.MAX_PK:
        raise ApiError(404, "not_found", f"no object {raw!r} in this workspace")
    return int(raw)


@api_view(scope=None)
def me(request: HttpRequest) -> JsonResponse:
    caller = request.api
    token, ws = caller.token, caller.workspace
    return JsonResponse({
        "user": token.user.get_username(), "role": caller.role,
        "workspace": {"id": ws.pk, "name": ws.name, "slug": ws.slug},
        "permissions": sorted(p.value for p in Perm if caller.can(p)),
        "token": {"name": token.name, "prefix": token.prefix, "scopes": token.scopes,
                  "created_at": _when(token.created_at),
                  "last_used_at": _when(token.last_used_at)},
    })


def _visible_items(request: HttpRequest):
    found = Item.objects.filter(workspace=request.api.workspace).select_related("author")
    if not request.api.can(Perm.MESSAGES_VIEW):
        found = found.exclude(kind=ItemKind.MESSAGE)
    return found


@api_view(scope="items:read")
def item_list(request: HttpRequest) -> JsonResponse:
    q = request.GET
    found = _visible_items(request)
    for name, choices in (("kind", ItemKind.values), ("sentiment", Sentiment.values),
                          ("intent", Intent.values)):
        value = params.choice(q, name, choices)
        if value:
            found = found.filter(**{name: value})
    since, until = params.moment(q, "since"), params.moment(q, "until")
    if since:
        found = found.filter(created_at__gte=since)
    if until:
        found = found.filter(created_at__lt=until)
    words = params.text(q, "q")
    if words:
        found = found.filter(text__icontains=words)
    rows, cursor = params.page(found, q, "created_at")
    return _listing(rows, cursor, item_json)


@api_view(scope="items:read")
def item_detail(request: HttpRequest, pk: str) -> JsonResponse:
    item = _visible_items(request).filter(pk=_pk(pk)).first()
    if item is None:
        raise ApiError(404, "not_found", f"no item {pk} in this workspace")
    return JsonResponse(item_json(item, full=True))


def _incidents(request: HttpRequest):
    return (Incident.objects.filter(workspace=request.api.workspace)
            .select_related("topic", "owner"))


def _incident(request: HttpRequest, pk: str) -> Incident:
    incident = _incidents(request).filter(pk=_pk(pk)).first()
    if incident is None:
        raise ApiError(404, "not_found", f"no incident {pk} in this workspace")
    return incident


@api_view(scope="incidents:read")
def incident_list(request: HttpRequest) -> JsonResponse:
    q = request.GET
    found = _incidents(request)
    state = params.choice(q, "state", [*IncidentState.values, "open"])
    if state == "open":
        found = found.exclude(state=IncidentState.RESOLVED)
    elif state:
        found = found.filter(state=state)
    severity = params.choice(q, "severity", Severity.values)
    if severity:
        found = found.filter(severity=severity)
    rows, cursor = params.page(found, q, "opened_at")
    return _listing(rows, cursor, incident_json)


@api_view(scope="incidents:read")
def incident_detail(request: HttpRequest, pk: str) -> JsonResponse:
    return JsonResponse(incident_json(_incident(request, pk), full=True))


@api_view(scope="incidents:write", methods=("POST",))
def incident_acknowledge(request: HttpRequest, pk: str) -> JsonResponse:
    incident = _incident(request, pk)
    try:
        incident = monitoring.acknowledge_incident(incident, request.api.token.user)
    except PermissionDenied as exc:
        raise ApiError(403, "role_forbids", str(exc) or "not allowed") from None
    except ValidationError as exc:
        raise ApiError(409, "conflict", " ".join(exc.messages), "state") from None
    return JsonResponse(incident_json(incident, full=True))


@api_view(scope="inbox:read")
def conversation_list(request: HttpRequest) -> JsonResponse:
    q = request.GET
    found = (Conversation.objects.filter(workspace=request.api.workspace)
             .select_related("customer", "assignee"))
    # As on the desk: private messages only for roles that may read them.
    if not request.api.can(Perm.MESSAGES_VIEW):
        found = found.exclude(kind=ConversationKind.MESSAGE)
    for name, choices in (("state", ConversationState.values), ("intent", Intent.values),
                          ("sentiment", Sentiment.values)):
        value = params.choice(q, name, choices)
        if value:
            found = found.filter(**{name: value})
    rows, cursor = params.page(found, q, "last_customer_at")
    return _listing(rows, cursor, conversation_json)


def openapi(request: HttpRequest) -> JsonResponse:
    """The schema is public: it describes the API, it grants nothing."""
    return JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, exception: Exception | None = None):
    """The project's 404 handler: JSON under /api/ (a path no route matches, e.g. an id with a
    line break in it), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        from inhouse.api.auth import error_response

        return error_response(404, "not_found", "no such API route")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
