"""The fake Weibo API served in-process (httpx's WSGI transport: no ports, no threads)."""

from __future__ import annotations

import datetime as dt
import random

import httpx
import pytest

from inhouse.sources.fake_weibo import FakeWeibo, from_records
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

BASE = "http://fake.weibo"


@pytest.fixture
def fake() -> FakeWeibo:
    fake = FakeWeibo(from_records(sd.build()))
    fake.clock.set(sd.START + dt.timedelta(hours=20))

    def slow(seconds: float) -> None:
        raise httpx.ReadTimeout(f"fake held the answer {seconds}s")

    fake.sleep = slow
    return fake


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def client(fake: FakeWeibo, slept: list[float]) -> WeiboClient:
    def sleep(seconds: float) -> None:
        slept.append(seconds)
        fake.clock.advance(seconds)

    http = httpx.Client(transport=httpx.WSGITransport(app=fake))
    policy = RetryPolicy(sleep=sleep, rng=random.Random(5))
    return WeiboClient(fake.issue_token(), base_url=BASE, http=http, retry=policy, rip="211.156.0.1")
