"""Fixtures for the transport tests: a fixed clock and the reference's signing secrets."""

from __future__ import annotations

import pytest

from inhouse.alerts import Message

DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
FEISHU_SECRET = "fe1shuTestSecret"
NOW = 1700000000.0  # the first row of the reference's §5 vectors


@pytest.fixture
def clock():
    return lambda: NOW


@pytest.fixture
def message() -> Message:
    return Message(
        title="小鹿零食 负面声量突增",
        text="10 分钟内 37 条负面评论，关键词：苍蝇",
        severity="critical",
        url="https://desk.example.com/incidents/42",
    )
