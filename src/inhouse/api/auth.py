"""Bearer-token authentication for /api/v1/ and the JSON error shape every endpoint shares.

``api_view(scope=...)`` wraps a view: it answers 401 without a valid token, 403 when the token
lacks the scope or its user's role lacks the scope's permission, 405 for other methods, and
turns an :class:`ApiError` raised inside the view into its JSON body.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from inhouse.access.actions import role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.api.models import ApiToken
from inhouse.api.scopes import SCOPES
from inhouse.api.tokens import authenticate
from inhouse.core.models import Workspace


class ApiError(Exception):
    """An error the client can act on: HTTP status, a stable code, a message, the field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message, self.field)


def error_response(status: int, code: str, message: str, field: str | None = None
                   ) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message, "field": field}},
                            status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="inhouse"'
    return response


@dataclass(frozen=True)
class ApiCaller:
    token: ApiToken
    role: str

    @property
    def workspace(self) -> Workspace:
        return self.token.workspace

    def can(self, perm: Perm) -> bool:
        return role_has(self.role, perm)


def _token_from(request: HttpRequest) -> ApiToken | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, raw = header.partition(" ")
    if kind.lower() != "bearer" or not raw.strip():
        return None
    return authenticate(raw.strip())


def api_view(*, scope: str | None, methods: tuple[str, ...] = ("GET",)
             ) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Token required; ``scope`` (None: any valid token) and its role permission checked."""
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # bearer tokens are not ambient credentials: no CSRF exposure
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = error_response(405, "method_not_allowed",
                                          f"use {' or '.join(methods)} on this endpoint")
                response["Allow"] = ", ".join(methods)
                return response
            token = _token_from(request)
            if token is None:
                return error_response(401, "unauthenticated",
                                      "send a valid, unrevoked token as 'Authorization: Bearer "
                                      "<token>'; the owner issues tokens on the API tokens page")
            role = role_of(token.user, token.workspace)
            caller = ApiCaller(token=token, role=role or "")
            if scope is not None:
                if scope not in token.scopes:
                    return error_response(403, "scope_missing",
                                          f"this token lacks the scope {scope!r}")
                if not caller.can(SCOPES[scope][0]):
                    return error_response(403, "role_forbids",
                                          f"the token's user ({role or 'no role'}) may not "
                                          f"{SCOPES[scope][1].lower().rstrip('.')}")
            elif role is None:
                return error_response(403, "role_forbids",
                                      "the token's user is no longer a member of the workspace")
            request.api = caller
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return exc.response()

        return wrapped

    return decorate
