"""The fake's OAuth2: authorize auto-approves as the scenario's owner (or ``uid=``), codes are
single-use, tokens live ``config.token_lifetime`` seconds of scenario time."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from inhouse.sources.fake_weibo.app import ApiError

if TYPE_CHECKING:
    from inhouse.sources.fake_weibo.app import FakeWeibo, Request


def authorize(fake: FakeWeibo, request: Request) -> tuple[str, list[tuple[str, str]], bytes]:
    params = request.params
    if params.get("client_id") != fake.config.client_id:
        raise ApiError(21324)
    if not params.get("redirect_uri"):
        raise ApiError(21322)
    code = secrets.token_hex(16)
    fake.codes[code] = int(params.get("uid") or fake.scenario.owner_uid)
    query = {"code": code}
    if params.get("state"):
        query["state"] = params["state"]
    separator = "&" if "?" in params["redirect_uri"] else "?"
    return "302 Found", [("Location", params["redirect_uri"] + separator + urlencode(query))], b""


def access_token(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    params = request.params
    if (params.get("client_id"), params.get("client_secret")) != (fake.config.client_id,
                                                                   fake.config.client_secret):
        raise ApiError(21324)
    if params.get("grant_type") != "authorization_code":
        raise ApiError(21328)
    uid = fake.codes.pop(params.get("code", ""), None)
    if uid is None:
        raise ApiError(21325)
    token = fake.issue_token(uid, token="2.00" + secrets.token_hex(14))
    lifetime = fake.config.token_lifetime
    return {"access_token": token, "remind_in": str(lifetime), "expires_in": lifetime,
            "uid": str(uid), "isRealName": "true"}


def get_token_info(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    state = fake.tokens.get(request.token or request.params.get("access_token", ""))
    if state is None or state.revoked:
        raise ApiError(21332)
    now = fake.clock.now()
    return {"uid": state.uid, "appkey": fake.config.client_id, "scope": None,
            "create_at": int(state.created_at.timestamp()),
            "expire_in": int((state.expires_at - now).total_seconds())}


def revoke(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    state = fake.tokens.get(request.token)
    if state is None:
        raise ApiError(21332)
    state.revoked = True
    return {"result": "true"}


ROUTES = {
    "/oauth2/authorize": ("ANY", authorize, False, False),
    "/oauth2/access_token": ("POST", access_token, False, False),
    "/oauth2/get_token_info": ("POST", get_token_info, False, False),
    "/oauth2/revokeoauth2": ("ANY", revoke, False, False),
}
