"""Weibo API error codes, each with a clear message and what the caller should do.

Weibo signals failure with a body ``{"error", "error_code", "request"}`` on any HTTP status
(even 200), so the client reads the body, not the status. ``error_code`` arrives as an
integer in captured responses and as a string in published examples; both are accepted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Category(StrEnum):
    RETRY_LATER = "retry-later"  # transient: retry with backoff
    RATE_LIMITED = "rate-limited"  # wait for the window to reset, then resume
    TOKEN_EXPIRED = "token-expired"  # the owner must re-authorise the account
    PERMANENT = "permanent"  # retrying the same request cannot succeed


_R, _L, _T, _P = Category.RETRY_LATER, Category.RATE_LIMITED, Category.TOKEN_EXPIRED, Category.PERMANENT

# code -> (message, category). Messages say what happened and what to do.
CODES: dict[int, tuple[str, Category]] = {
    10001: ("Weibo system error; retry later", _R),
    10002: ("Weibo service paused; retry later", _R),
    10003: ("Weibo remote service error; retry later", _R),
    10006: ("no appkey or access token was sent; check the account's token", _P),
    10008: ("a parameter is invalid; check the request", _P),
    10009: ("Weibo is busy; retry later", _R),
    10014: ("the app lacks permission for this API; ask Weibo to grant it", _P),
    10016: ("a required parameter is missing (for writes, also 'rip', the operator's IP)", _P),
    10017: ("a parameter value is invalid", _P),
    10022: ("too many requests from this server's IP this hour; waiting for the reset", _L),
    10023: ("too many requests for this user this hour; waiting for the reset", _L),
    10024: ("too many requests for this user on this API; waiting for the reset", _L),
    20003: ("the user does not exist", _P),
    20012: ("text is over 140 characters; shorten it", _P),
    20016: ("posting too fast; waiting before the next post", _L),
    20017: ("similar content was already posted; change the text", _P),
    20018: ("the text contains an illegal URL", _P),
    20019: ("identical content was already posted", _P),
    20020: ("the text looks like advertising and was refused", _P),
    20021: ("the text contains illegal content and was refused", _P),
    20101: ("the target post does not exist (deleted?)", _P),
    20102: ("the target post is not yours", _P),
    20103: ("you cannot repost your own post", _P),
    20111: ("an identical post already exists", _P),
    20201: ("the target comment does not exist (deleted?)", _P),
    20202: ("the target comment is illegal", _P),
    20203: ("the target comment is not yours", _P),
    21321: ("the unaudited app is over its user limit; have the app audited", _P),
    21322: ("OAuth redirect_uri does not match the registered callback", _P),
    21323: ("OAuth request is invalid", _P),
    21324: ("OAuth client (appkey/secret) is invalid; check the app credentials", _P),
    21325: ("OAuth grant (code) is invalid or already used; authorise again", _P),
    21326: ("OAuth client is not authorised for this grant", _P),
    21327: ("the access token has expired; the owner must re-authorise the account", _T),
    21328: ("OAuth grant type is not supported", _P),
    21329: ("OAuth response type is not supported", _P),
    21330: ("the user denied access", _P),
    21331: ("OAuth service temporarily unavailable; retry later", _R),
    # Observed in real responses, absent from the published tables.
    21332: ("the access token is invalid (revoked or superseded); the owner must re-authorise", _T),
    21337: ("the appkey lacks permission; ask Weibo to grant it", _P),
    # Fan Service Platform (observed): the reply window has closed or the message was answered.
    26403: ("the private-message reply window has closed (72 h after the customer's last "
            "message); the customer must write again", _P),
}

RATE_LIMIT_CODES = frozenset({10022, 10023, 10024, 20016})
DUPLICATE_CODES = frozenset({20017, 20019, 20111})


class WeiboError(Exception):
    """A failed Weibo call: what failed (``request``), the code, and what to do."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        category: Category = Category.PERMANENT,
        request: str = "",
        http_status: int | None = None,
        api_text: str = "",
    ):
        where = f" ({request})" if request else ""
        label = f"Weibo error {code}" if code is not None else "Weibo call failed"
        super().__init__(f"{label}{where}: {message}")
        self.code = code
        self.message = message
        self.category = category
        self.request = request
        self.http_status = http_status
        self.api_text = api_text  # the "error" text as Weibo sent it
        # Seconds until the limit resets, when known (filled by the client for rate limits).
        self.retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        return self.category in (Category.RETRY_LATER, Category.RATE_LIMITED)


class TransportError(WeiboError):
    """No usable answer: timeout, dropped connection, truncated body, 5xx without a body.

    For a write the outcome is unknown — it may have been applied (see idempotency)."""

    def __init__(self, message: str, *, request: str = "", http_status: int | None = None):
        super().__init__(message, category=Category.RETRY_LATER, request=request, http_status=http_status)


def error_from_body(body: Any, *, request: str = "", http_status: int | None = None) -> WeiboError | None:
    """The error a response body carries, or None when it is not an error body."""
    if not isinstance(body, dict) or "error_code" not in body:
        return None
    raw_code = body.get("error_code")
    try:
        code = int(raw_code)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's Infinity
        return WeiboError(f"unreadable error code {raw_code!r}: {body.get('error')}",
                          request=request, http_status=http_status)
    api_text = str(body.get("error") or "")
    message, category = CODES.get(code, (None, None))
    if message is None:
        # Unknown code: by the documented layout 1xxxx are system errors (transient) and
        # 2xxxx service errors (about this request).
        category = Category.RETRY_LATER if str(code).startswith("1") else Category.PERMANENT
        message = api_text or "undocumented error"
    return WeiboError(message, code=code, category=category,
                      request=str(body.get("request") or request),
                      http_status=http_status, api_text=api_text)
