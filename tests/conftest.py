"""Shared fixtures: a workspace and the named cast (owner, operator, expert, agency, viewer).

Tests that need a server we do not control in-process (PostgreSQL, Redis, Chromium) or the
shared data skip with a visible reason, unless INHOUSE_REQUIRE_SERVICES=1 (CI), where a
missing service is a failure instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("INHOUSE_SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")
)
REQUIRE_SERVICES = os.environ.get("INHOUSE_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with a reason on a developer's machine; fail in CI where the service must exist."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing (INHOUSE_REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs ~0.3 s per password; the cast alone would add seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        # Data is not a service: absent data skips visibly even in CI.
        pytest.skip(f"real data not found at {SHARED_DATA} (set INHOUSE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def workspace(db):
    from inhouse.core.models import Workspace

    return Workspace.objects.create(name="小鹿零食", slug="xiaolu", dictionary=["小鹿零食", "鹿角脆"])


@pytest.fixture
def cast(workspace, django_user_model):
    """One user per role in ``workspace``, keyed by role name; password is 'pw-<role>-2026'."""
    from inhouse.access.models import Membership, Role

    users = {}
    for role in Role.values:
        user = django_user_model.objects.create_user(username=role, password=f"pw-{role}-2026")
        Membership.objects.create(workspace=workspace, user=user, role=role)
        users[role] = user
    return users
