"""The access pages need the project to route /access/; until it does they skip (fail in CI)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests.conftest import skip_or_fail


@pytest.fixture
def access_routed() -> None:
    try:
        reverse("access:audit")
    except NoReverseMatch:
        skip_or_fail("the project does not include inhouse.access.urls under /access/ yet")
