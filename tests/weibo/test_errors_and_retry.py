"""Error codes carry a message and a category; the retry policy acts on the category."""

from __future__ import annotations

import random

import pytest

from inhouse.weibo.errors import (
    CODES,
    RATE_LIMIT_CODES,
    Category,
    TransportError,
    WeiboError,
    error_from_body,
)
from inhouse.weibo.retry import RetryPolicy


def test_every_documented_code_has_a_message_and_a_category():
    documented = {10001, 10002, 10009, 10006, 10014, 10016, 10017, 10008, 10022, 10023, 10024,
                  20003, 20012, 20016, 20017, 20019, 20111, 20018, 20020, 20021, 20101, 20102,
                  20103, 20201, 20202, 20203, 21321, *range(21322, 21333), 21337}
    assert documented <= set(CODES)
    for code in RATE_LIMIT_CODES:
        assert CODES[code][1] == Category.RATE_LIMITED
    assert CODES[21327][1] == CODES[21332][1] == Category.TOKEN_EXPIRED


def test_error_code_as_string_or_integer_is_read():
    for raw in (10023, "10023"):
        error = error_from_body({"error": "User requests out of rate limit!", "error_code": raw,
                                 "request": "/2/comments/to_me.json"})
        assert error.code == 10023 and error.category == Category.RATE_LIMITED
        assert "/2/comments/to_me.json" in str(error)
    assert error_from_body({"statuses": []}) is None


def test_unknown_codes_follow_the_documented_layout():
    assert error_from_body({"error_code": 10099, "error": "x"}).category == Category.RETRY_LATER
    assert error_from_body({"error_code": 20999, "error": "x"}).category == Category.PERMANENT


def _policy(slept):
    return RetryPolicy(sleep=slept.append, rng=random.Random(1), max_attempts=4)


def test_transient_failures_back_off_with_jitter_then_give_up():
    slept: list[float] = []
    calls = []

    def failing():
        calls.append(1)
        raise TransportError("timeout")

    with pytest.raises(TransportError):
        _policy(slept).run(failing)
    assert len(calls) == 4 and len(slept) == 3
    for attempt, delay in enumerate(slept, start=1):
        assert 2 ** (attempt - 1) / 2 <= delay <= 2 ** (attempt - 1)


def test_rate_limit_waits_for_the_known_reset_and_resumes():
    slept: list[float] = []
    answers = iter([1, 2])

    def limited_once():
        if next(answers) == 1:
            error = WeiboError("limit", code=10023, category=Category.RATE_LIMITED)
            error.retry_after = 1200
            raise error
        return "ok"

    assert _policy(slept).run(limited_once) == "ok"
    assert 1201 <= slept[0] <= 1205


def test_permanent_and_token_errors_are_not_retried():
    for category in (Category.PERMANENT, Category.TOKEN_EXPIRED):
        slept: list[float] = []
        with pytest.raises(WeiboError):
            _policy(slept).run(lambda c=category: (_ for _ in ()).throw(WeiboError("no", category=c)))
        assert slept == []
