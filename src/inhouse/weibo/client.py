"""The Weibo Open API v2 client: HTTP and JSON only, no database, no Django.

The caller passes the base URL (from ``settings.WEIBO_API_BASE``) and the account's token.
Enterprise (blue-V) accounts read comments and mentions and reply through the commercial
``.../biz.json`` endpoints, served from ``c.api.weibo.com`` on the real platform and from the
same host everywhere else (the fake, a user's proxy).

Reads retry by the :class:`RetryPolicy`. Writes retry only when Weibo refused them (rate
limit, error body): after a timeout or a dropped connection the post may exist, so
:class:`OutcomeUnknown` is raised and :mod:`inhouse.weibo.idempotency` settles it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from inhouse.weibo.errors import Category, TransportError, WeiboError, error_from_body
from inhouse.weibo.retry import RetryPolicy

REAL_HOST = "://api.weibo.com"
DEFAULT_TIMEOUT = 10.0


class OutcomeUnknown(TransportError):
    """A write got no answer: it may or may not have been applied."""


def biz_base_for(base_url: str) -> str:
    """The commercial API's base for a v2 base: c.api.weibo.com for the real host."""
    return base_url.replace(REAL_HOST, "://c.api.weibo.com") if REAL_HOST in base_url else base_url


def messages_base_for(base_url: str) -> str:
    """The Fan Service Platform's base: m.api.weibo.com for the real host (ref §1)."""
    return base_url.replace(REAL_HOST, "://m.api.weibo.com") if REAL_HOST in base_url else base_url


class WeiboClient:
    """One account's view of the API. ``http`` may be any httpx.Client (tests pass one with
    a WSGI transport serving the fake)."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str,
        biz_base_url: str | None = None,
        enterprise: bool = False,
        rip: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        http: httpx.Client | None = None,
        on_token_error: Callable[[WeiboError], None] | None = None,
    ):
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.biz_base_url = (biz_base_url or biz_base_for(self.base_url)).rstrip("/")
        self.messages_base_url = messages_base_for(self.base_url)
        self.enterprise = enterprise
        self.rip = rip  # the operator's real IP, sent on writes ("rip")
        self.retry = retry or RetryPolicy()
        self._own_http = http is None
        self.http = http or httpx.Client(timeout=timeout)
        self.calls = 0  # attempts made, for reports and tests
        # Called when Weibo says the token expired or was revoked, on any read or write, so
        # the caller can ask the owner to re-authorise (the desk marks the account).
        self.on_token_error = on_token_error

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> WeiboClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport ------------------------------------------------------------------------

    def _url(self, path: str, biz: bool) -> str:
        if path.startswith("messages/"):
            return f"{self.messages_base_url}/2/{path}.json"
        if biz:
            return f"{self.biz_base_url}/2/{path}/biz.json"
        return f"{self.base_url}/2/{path}.json"

    def request_once(self, method: str, path: str, params: dict[str, Any] | None = None,
                     *, biz: bool = False) -> Any:
        """One attempt; raises WeiboError (TransportError when there was no usable answer)."""
        url = self._url(path, biz)
        request = "/" + url.split("://", 1)[-1].split("/", 1)[-1]  # as Weibo names it
        fields = {k: v for k, v in (params or {}).items() if v is not None}
        fields["access_token"] = self.token
        self.calls += 1
        try:
            if method == "GET":
                response = self.http.get(url, params=fields)
            else:
                response = self.http.post(url, data=fields)
        except httpx.TimeoutException as exc:
            raise TransportError(f"no answer in time ({type(exc).__name__})", request=request) from exc
        except httpx.TransportError as exc:
            raise TransportError(f"connection failed or dropped: {exc}", request=request) from exc
        try:
            return self._decode(response, request)
        except WeiboError as error:
            if error.category == Category.TOKEN_EXPIRED and self.on_token_error is not None:
                self.on_token_error(error)
            raise

    @staticmethod
    def _decode(response: httpx.Response, request: str) -> Any:
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deeply
            body = None
        error = error_from_body(body, request=request, http_status=response.status_code)
        if error is not None:
            raise error
        if body is None:
            # A body cut short (connection dropped mid-answer) or a proxy's HTML error page.
            raise TransportError(
                f"unreadable answer (HTTP {response.status_code}, {len(response.content)} bytes)",
                request=request, http_status=response.status_code)
        if response.status_code >= 500:
            raise TransportError(f"HTTP {response.status_code}", request=request,
                                 http_status=response.status_code)
        return body

    def _with_reset(self, error: WeiboError) -> None:
        """Fill ``retry_after`` for hourly limits from account/rate_limit_status, which is not
        itself rate limited; a failure here just leaves the policy's default wait."""
        if error.code not in (10022, 10023, 10024):
            return
        try:
            status = self.request_once("GET", "account/rate_limit_status")
            error.retry_after = float(status.get("reset_time_in_seconds"))
        except (WeiboError, TypeError, ValueError):
            pass

    def read(self, path: str, params: dict[str, Any] | None = None, *, biz: bool = False) -> Any:
        """GET with retries (backoff on transient failures, wait out rate limits)."""

        def attempt() -> Any:
            try:
                return self.request_once("GET", path, params, biz=biz)
            except WeiboError as error:
                if error.category == Category.RATE_LIMITED:
                    self._with_reset(error)
                raise

        return self.retry.run(attempt)

    def write(self, path: str, params: dict[str, Any], *, biz: bool = False) -> Any:
        """POST; retried only when Weibo answered with a refusal worth retrying."""

        def attempt() -> Any:
            try:
                return self.request_once("POST", path, params, biz=biz)
            except TransportError as error:
                # Not retried here: the write may have been applied.
                unknown = OutcomeUnknown(error.message, request=error.request,
                                         http_status=error.http_status)
                raise _Stop(unknown) from error
            except WeiboError as error:
                if error.category == Category.RATE_LIMITED:
                    self._with_reset(error)
                raise

        try:
            return self.retry.run(attempt)
        except _Stop as stop:
            raise stop.error from stop.__cause__

    # --- reads ---------------------------------------------------------------------------

    @staticmethod
    def _paging(since_id: int, max_id: int, count: int, page: int) -> dict[str, Any]:
        # Zero means unset in the API; omit it rather than send 0.
        return {"since_id": since_id or None, "max_id": max_id or None, "count": count,
                "page": page if page > 1 else None}

    def user_timeline(self, since_id: int = 0, max_id: int = 0, count: int = 100,
                      page: int = 1, uid: str | None = None) -> dict[str, Any]:
        return self.read("statuses/user_timeline",
                         {"uid": uid, **self._paging(since_id, max_id, count, page)})

    def mentions(self, since_id: int = 0, max_id: int = 0, count: int = 200,
                 page: int = 1) -> dict[str, Any]:
        return self.read("statuses/mentions", self._paging(since_id, max_id, count, page),
                         biz=self.enterprise)

    def repost_timeline(self, status_id: int, since_id: int = 0, max_id: int = 0,
                        count: int = 200, page: int = 1) -> dict[str, Any]:
        return self.read("statuses/repost_timeline",
                         {"id": status_id, **self._paging(since_id, max_id, count, page)})

    def comments_show(self, status_id: int, since_id: int = 0, max_id: int = 0,
                      count: int = 200, page: int = 1) -> dict[str, Any]:
        return self.read("comments/show",
                         {"id": status_id, **self._paging(since_id, max_id, count, page)},
                         biz=self.enterprise)

    def comments_to_me(self, since_id: int = 0, max_id: int = 0, count: int = 200,
                       page: int = 1) -> dict[str, Any]:
        return self.read("comments/to_me", self._paging(since_id, max_id, count, page),
                         biz=self.enterprise)

    def comments_mentions(self, since_id: int = 0, max_id: int = 0, count: int = 200,
                          page: int = 1) -> dict[str, Any]:
        return self.read("comments/mentions", self._paging(since_id, max_id, count, page),
                         biz=self.enterprise)

    def comments_by_me(self, since_id: int = 0, max_id: int = 0, count: int = 50,
                       page: int = 1) -> dict[str, Any]:
        return self.read("comments/by_me", self._paging(since_id, max_id, count, page),
                         biz=self.enterprise)

    def status_show(self, status_id: int) -> dict[str, Any]:
        return self.read("statuses/show", {"id": status_id})

    def users_show(self, uid: str | None = None, screen_name: str | None = None) -> dict[str, Any]:
        return self.read("users/show", {"uid": uid, "screen_name": screen_name})

    def get_uid(self) -> str:
        return str(self.read("account/get_uid")["uid"])

    def rate_limit_status(self) -> dict[str, Any]:
        return self.read("account/rate_limit_status")

    # --- writes --------------------------------------------------------------------------

    def _rip(self, rip: str | None) -> str | None:
        return rip or self.rip or None

    def update_status(self, text: str, *, rip: str | None = None) -> dict[str, Any]:
        return self.write("statuses/update", {"status": text, "rip": self._rip(rip)},
                          biz=self.enterprise)

    def share_status(self, text: str, *, rip: str | None = None) -> dict[str, Any]:
        return self.write("statuses/share", {"status": text, "rip": self._rip(rip)})

    def create_comment(self, status_id: int, text: str, *, rip: str | None = None,
                       comment_ori: bool = False) -> dict[str, Any]:
        return self.write("comments/create",
                          {"id": status_id, "comment": text, "comment_ori": int(comment_ori),
                           "rip": self._rip(rip)}, biz=self.enterprise)

    def reply_comment(self, comment_id: int, status_id: int, text: str, *,
                      rip: str | None = None, without_mention: bool = False) -> dict[str, Any]:
        return self.write("comments/reply",
                          {"cid": comment_id, "id": status_id, "comment": text,
                           "without_mention": int(without_mention), "rip": self._rip(rip)},
                          biz=self.enterprise)

    def reply_message(self, receiver_id: str | int, text: str, *,
                      save_sender_box: bool = True) -> dict[str, Any]:
        """Answer a customer's private message (Fan Service Platform, enterprise accounts):
        POST messages/reply with ``type=text`` and ``data`` the URL-encoded JSON ``{"text"}``.
        Weibo refuses with 26403 once the reply window has closed. No length limit is
        documented for private messages, so none is applied here."""
        data = quote(json.dumps({"text": text}, ensure_ascii=False))
        return self.write("messages/reply", {"receiver_id": str(receiver_id), "type": "text",
                                             "data": data,
                                             "save_sender_box": int(save_sender_box)})


class _Stop(Exception):
    """Carries an error out of RetryPolicy.run without a retry."""

    def __init__(self, error: WeiboError):
        super().__init__(str(error))
        self.error = error
