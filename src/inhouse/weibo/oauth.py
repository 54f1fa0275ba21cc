"""OAuth2 with the Weibo Open Platform: the authorize URL (with a CSRF state), the code
exchange, and token info. No database: the caller stores the token (encrypted) and the
expiry these functions return."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from inhouse.weibo.errors import TransportError, WeiboError, error_from_body


@dataclass(frozen=True)
class Token:
    access_token: str
    uid: str
    expires_at: dt.datetime | None  # None when Weibo did not say


def new_state() -> str:
    """A random state to store in the session and compare on the callback (CSRF)."""
    return secrets.token_urlsafe(24)


def authorize_url(base_url: str, client_id: str, redirect_uri: str, state: str, *,
                  scope: str = "", display: str = "default", forcelogin: bool = False) -> str:
    """Where to send the owner's browser; Weibo redirects back with ``code`` and ``state``."""
    params = {"client_id": client_id, "redirect_uri": redirect_uri, "state": state,
              "response_type": "code", "display": display}
    if scope:
        params["scope"] = scope
    if forcelogin:
        params["forcelogin"] = "true"
    return f"{base_url.rstrip('/')}/oauth2/authorize?{urlencode(params)}"


def _post(http: httpx.Client, url: str, data: dict[str, Any]) -> dict[str, Any]:
    request = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    try:
        response = http.post(url, data=data)
    except httpx.HTTPError as exc:
        raise TransportError(f"OAuth call failed: {exc}", request=request) from exc
    try:
        body = response.json()
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        raise TransportError(f"unreadable OAuth answer (HTTP {response.status_code})",
                             request=request, http_status=response.status_code) from None
    error = error_from_body(body, request=request, http_status=response.status_code)
    if error is not None:
        raise error
    if not isinstance(body, dict):
        raise WeiboError("unexpected OAuth answer", request=request)
    return body


def exchange_code(http: httpx.Client, base_url: str, client_id: str, client_secret: str,
                  code: str, redirect_uri: str, *, now: dt.datetime | None = None) -> Token:
    """Trade the callback's ``code`` for an access token (POST oauth2/access_token)."""
    body = _post(http, f"{base_url.rstrip('/')}/oauth2/access_token", {
        "client_id": client_id, "client_secret": client_secret,
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
    now = now or dt.datetime.now(dt.UTC)
    request = "/oauth2/access_token"
    if body.get("access_token") in (None, "") or isinstance(body["access_token"], dict | list):
        raise WeiboError("the OAuth answer has no access_token", request=request)
    expires_in = body.get("expires_in")
    try:
        expires_at = now + dt.timedelta(seconds=int(expires_in)) if expires_in not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        raise WeiboError(f"the OAuth answer's expires_in {str(expires_in)[:40]!r} is not a number of seconds",
                         request=request) from None
    return Token(access_token=str(body["access_token"]), uid=str(body.get("uid") or ""),
                 expires_at=expires_at)


def token_info(http: httpx.Client, base_url: str, access_token: str) -> dict[str, Any]:
    """``uid``, ``appkey``, ``scope``, ``create_at`` and ``expire_in`` (seconds left; negative
    means expired). Raises the OAuth error when the token is invalid."""
    return _post(http, f"{base_url.rstrip('/')}/oauth2/get_token_info",
                 {"access_token": access_token})
