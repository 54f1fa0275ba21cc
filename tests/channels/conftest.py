"""Channels on a real database; only the outbound HTTP call is mocked (a scripted bot)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import httpx
import pytest

from inhouse.alerts import Message
from inhouse.channels import actions

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
OK = {"errcode": 0, "errmsg": "ok"}


class ScriptedBot:
    """An httpx client whose answers come from a script: a list consumed in order (the last
    answer repeats), or a callable of the request. Records every request body."""

    def __init__(self, *answers: dict):
        self.answers: list[dict] | Callable[[httpx.Request], dict] = list(answers) or [OK]
        self.requests: list[httpx.Request] = []
        self.client = httpx.Client(transport=httpx.MockTransport(self._handle))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if callable(self.answers):
            return httpx.Response(200, json=self.answers(request))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return httpx.Response(200, json=answer)

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests]

    def hosts(self) -> list[str]:
        return [r.url.host for r in self.requests]


@pytest.fixture
def bot() -> ScriptedBot:
    return ScriptedBot()


@pytest.fixture
def add(workspace, cast):
    """Add a channel as the owner: add("wecom", "PR group", url=...)."""

    def _add(kind: str, name: str, escalation=None, **values: str):
        return actions.add_channel(workspace, cast["owner"], kind=kind, name=name, values=values,
                                   escalation=escalation)

    return _add


@pytest.fixture
def alert() -> Message:
    return Message("负面声量突增", "10 分钟内 37 条负面评论", "critical", "https://desk/i/1")


def clock_of(now: dt.datetime) -> Callable[[], float]:
    return lambda: now.timestamp()
