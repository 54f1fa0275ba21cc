"""Query-string parsing for the API: every bad value becomes a 400 naming its field."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from inhouse.api.auth import ApiError

MAX_PK = 2**63 - 1  # larger ids cannot be stored; asking for one is simply "not found"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_TEXT = 200


def bad(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid", message, field)


def choice(query: QueryDict, name: str, values: list[str]) -> str:
    value = query.get(name, "")
    if value and value not in values:
        raise bad(name, f"{name} must be one of {', '.join(values)}")
    return value


def text(query: QueryDict, name: str) -> str:
    value = query.get(name, "").strip()
    if len(value) > MAX_TEXT:
        raise bad(name, f"{name} is longer than {MAX_TEXT} characters")
    if "\x00" in value:
        raise bad(name, f"{name} contains a NUL character")
    return value


def moment(query: QueryDict, name: str) -> dt.datetime | None:
    """An ISO 8601 date-time (or a date, meaning its midnight), naive means the site zone."""
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                raise ValueError
            parsed = dt.datetime.combine(day, dt.time())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise bad(name, f"{name} must be an ISO 8601 date-time such as "
                        "2026-11-20T09:00:00+08:00") from None


def limit(query: QueryDict) -> int:
    value = query.get("limit", "")
    if not value:
        return DEFAULT_LIMIT
    try:
        number = int(value)
    except ValueError:
        raise bad("limit", "limit must be an integer") from None
    if not 1 <= number <= MAX_LIMIT:
        raise bad("limit", f"limit must be between 1 and {MAX_LIMIT}")
    return number


def _decode_cursor(raw: str) -> tuple[dt.datetime, int]:
    try:
        stamp, pk = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=="))
        moment_ = dt.datetime.fromisoformat(stamp)
        if not isinstance(pk, int) or moment_.tzinfo is None or not 0 < pk <= MAX_PK:
            raise ValueError
        return moment_, pk
    except (ValueError, TypeError, UnicodeError, json.JSONDecodeError):
        raise bad("cursor", "cursor is not one this API returned; start again without it") from None


def _encode_cursor(stamp: dt.datetime, pk: int) -> str:
    raw = json.dumps([stamp.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page(found: QuerySet, query: QueryDict, field: str) -> tuple[list[Any], str | None]:
    """Newest first by ``field`` then id, keyset-paginated: stable while new rows arrive."""
    size = limit(query)
    found = found.order_by(f"-{field}", "-id")
    raw = query.get("cursor", "")
    if raw:
        stamp, pk = _decode_cursor(raw)
        found = found.filter(Q(**{f"{field}__lt": stamp}) | Q(**{field: stamp, "id__lt": pk}))
    rows = list(found[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = _encode_cursor(getattr(rows[-1], field), rows[-1].pk) if more else None
    return rows, cursor
