"""The fake Weibo Open API as a plain WSGI application (no Django, no framework).

``FakeWeibo(scenario)`` is the app: serve it with waitress (``inhouse fake-weibo``) or hand it
to ``httpx.WSGITransport`` in tests. Its state — clock, tokens, rate counters, faults and the
writes it received — is plain attributes a test can read and change.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from inhouse.sources.fake_weibo.clock import ScenarioClock
from inhouse.sources.fake_weibo.faults import Faults
from inhouse.sources.fake_weibo.scenario import Scenario

# Error texts as Weibo writes them.
TEXTS = {
    10001: "system error!", 10006: "source paramter(appkey) is missing",
    10014: "Insufficient app permissions!", 10016: "miss required parameter (%s) , see doc for more info.",
    10017: "parameter (%s)'s value invalid,expect (%s) , but get (%s) , see doc for more info.",
    10022: "IP requests out of rate limit!", 10023: "User requests out of rate limit!",
    20003: "User does not exists!", 20012: "Text too long, please input text less than 140 characters!",
    20016: "Out of limit!", 20018: "Contain illegal website!", 20019: "Repeat content!",
    20101: "Target weibo does not exist!", 20201: "Target weibo comment does not exist!",
    21324: "invalid_client", 21325: "invalid_grant", 21327: "expired_token",
    21332: "invalid_access_token", 21322: "redirect_uri_mismatch",
    26403: "reply time out or already replied",
}
HTTP_FOR = {10022: 403, 10023: 403, 10014: 403, 21327: 401, 21332: 401, 10006: 401,
            10001: 500}


class ApiError(Exception):
    def __init__(self, code: int, *args: str, http: int | None = None):
        text = TEXTS.get(code, "error")
        super().__init__(text % args if args and "%s" in text else text)
        self.code = code
        self.http = http or HTTP_FOR.get(code, 400)


@dataclass
class FakeConfig:
    """Switches for the restrictions of the "later" doc revisions (reference §11)."""

    timeline_limit: int | None = 5  # user_timeline shows only the latest 5 posts
    owner_only_timeline: bool = True  # user_timeline only for the token's own uid
    authorised_only: bool = False  # mentions/to_me/reposts only from authorised users
    authorised_uids: set[int] = field(default_factory=set)
    withhold_profiles: bool = True  # users/show hides counts of unauthorised users
    user_limit: int = 150  # calls per user per app per hour
    ip_limit: int = 10_000
    biz_ip_limit: int = 50_000
    post_limit: int = 30  # writes per user per hour (20016)
    text_limit: int = 140
    rip_required: bool = True  # for statuses/share, statuses/update and biz writes
    safe_domain: str | None = None  # statuses/share needs a URL under it when set
    enterprise: bool = True  # the owner may call the biz endpoints
    token_lifetime: int = 157_679_999  # seconds; 86_400 (test app) or 604_800 (normal)
    slow_seconds: float = 15.0  # how long a "slow" fault holds the answer
    message_window_hours: float = 72  # messages/reply answers 26403 after it (ref §8)
    client_id: str = "fake-app-key"
    client_secret: str = "fake-app-secret"


@dataclass
class TokenState:
    uid: int
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked: bool = False


@dataclass
class Request:
    method: str
    path: str  # as Weibo names it in error bodies: /2/comments/to_me.json
    api: str  # comments/to_me
    biz: bool
    params: dict[str, str]
    token: str
    ip: str
    uid: int = 0
    dup: bool = False


Handler = Callable[["FakeWeibo", Request], Any]
Route = tuple[str, Handler, bool, bool]  # method, handler, is a listing, has a biz variant


class FakeWeibo:
    def __init__(self, scenario: Scenario, *, clock: ScenarioClock | None = None,
                 config: FakeConfig | None = None, faults: Faults | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        # The handlers register their routes.
        from inhouse.sources.fake_weibo import endpoints, messages, oauth

        self.scenario = scenario
        start = min((e.created_at for e in [*scenario.statuses.values(), *scenario.comments.values()]),
                    default=dt.datetime.now(dt.UTC))
        self.clock = clock or ScenarioClock(start, speed=0)
        self.config = config or FakeConfig()
        self.faults = faults or Faults()
        self.sleep = sleep
        self.tokens: dict[str, TokenState] = {}
        self.codes: dict[str, int] = {}
        self.hits: Counter[tuple[str, str, int]] = Counter()
        self.writes: list[dict[str, Any]] = []
        self.requests: list[str] = []  # every API path served, for tests
        self._lock = threading.RLock()
        self.routes: dict[str, Route] = {**endpoints.ROUTES, **messages.ROUTES, **oauth.ROUTES}

    # --- tokens ---------------------------------------------------------------------------

    def issue_token(self, uid: int | None = None, token: str | None = None,
                    lifetime: int | None = None) -> str:
        """Register a token (tests and the command line use this directly)."""
        now = self.clock.now()
        token = token or f"2.00fake{len(self.tokens) + 1:04d}{uid or self.scenario.owner_uid}"
        lifetime = self.config.token_lifetime if lifetime is None else lifetime
        self.tokens[token] = TokenState(uid or self.scenario.owner_uid, now,
                                        now + dt.timedelta(seconds=lifetime))
        return token

    def expire_token(self, token: str) -> None:
        self.tokens[token].expires_at = self.clock.now() - dt.timedelta(seconds=1)

    def _authenticate(self, request: Request) -> None:
        if not request.token:
            raise ApiError(10006)
        state = self.tokens.get(request.token)
        if state is None or state.revoked:
            raise ApiError(21332)
        if state.expires_at <= self.clock.now():
            raise ApiError(21327)
        request.uid = state.uid

    # --- rate limits ----------------------------------------------------------------------

    def window(self) -> int:
        return int(self.clock.now().timestamp() // 3600)

    def count_hit(self, request: Request) -> None:
        hour = self.window()
        ip_key, ip_limit = ("biz-ip", self.config.biz_ip_limit) if request.biz else ("ip", self.config.ip_limit)
        if self.hits[(ip_key, request.ip, hour)] >= ip_limit:
            raise ApiError(10022)
        if not request.biz and self.hits[("user", request.token, hour)] >= self.config.user_limit:
            raise ApiError(10023)
        self.hits[(ip_key, request.ip, hour)] += 1
        self.hits[("user", request.token, hour)] += 1

    def seconds_to_reset(self) -> float:
        now = self.clock.now().timestamp()
        return (self.window() + 1) * 3600 - now

    # --- WSGI -----------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = self._parse(environ)
        with self._lock:
            status, headers, body, fault = self._handle(request)
        if fault == "slow":
            # The work is done (a write is stored); only the answer is late.
            self.sleep(self.clock.real_seconds(self.config.slow_seconds))
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        if fault == "drop":
            # Promise the whole body, send half: the client sees the connection drop.
            return [body[: len(body) // 2]]
        return [body]

    def _parse(self, environ: dict[str, Any]) -> Request:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "/")
        params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            if "multipart" not in environ.get("CONTENT_TYPE", ""):
                params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        token = params.pop("access_token", "")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if not token and auth.startswith("OAuth2 "):
            token = auth[7:].strip()
        api = path.removeprefix("/2/").removesuffix(".json")
        biz = api.endswith("/biz")
        api = api.removesuffix("/biz")
        return Request(method, path, api, biz, params, token,
                       environ.get("REMOTE_ADDR", "127.0.0.1"))

    def _handle(self, request: Request) -> tuple[str, list[tuple[str, str]], bytes, str | None]:
        route = self.routes.get(request.path) or self.routes.get(request.api)
        if (route is None or (request.biz and not route[3])
                or not request.path.startswith(("/2/", "/oauth2/"))):
            return _json(404, {"error": "Request Api not found!", "error_code": 10020,
                               "request": request.path}) + (None,)
        method, handler, listing, _ = route
        fault = None
        try:
            if method not in ("ANY", request.method):
                raise ApiError(10021, http=405)
            if request.path.startswith("/oauth2/"):
                result = handler(self, request)
                if isinstance(result, tuple):  # a redirect
                    return result + (None,)
                return _json(200, result) + (None,)
            if request.biz and not self.config.enterprise:
                raise ApiError(10014)
            self._authenticate(request)
            if request.api != "account/rate_limit_status":  # not itself limited
                fault = self.faults.draw(request.path, listing=listing)
                if fault == "expired_token":
                    self.expire_token(request.token)
                    raise ApiError(21327)
                if fault == "rate_limit":
                    raise ApiError(10023)
                if fault == "5xx":
                    if self.faults.rng.random() < 0.5:
                        return ("502 Bad Gateway", [("Content-Type", "text/html")],
                                b"<html><body>502 Bad Gateway</body></html>", None)
                    raise ApiError(10001)
                self.count_hit(request)
            request.dup = fault == "dup_pages"
            self.requests.append(request.path)
            result = handler(self, request)
        except ApiError as error:
            return _json(error.http, {"error": str(error), "error_code": error.code,
                                      "request": request.path}) + (fault,)
        return _json(200, result) + (fault,)


def _json(status: int, body: Any) -> tuple[str, list[tuple[str, str]], bytes]:
    reasons = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
               404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}
    # ensure_ascii=False: Weibo sends UTF-8 Chinese, not \\u escapes.
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return f"{status} {reasons.get(status, 'Error')}", [("Content-Type", "application/json;charset=UTF-8")], data
