"""schemathesis against the API through the WSGI app, with a token holding every scope.

Property-based: hypothesis draws parameters from the OpenAPI schema (valid and, where the
schema allows, edge values) for every operation; each response must not be a 5xx and must
match the schema (status code documented, JSON content type, body shape). Examples are bounded
so the run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from inhouse.api.scopes import SCOPES
from inhouse.api.tokens import issue
from inhouse.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    # The WSGI app closes the database connection after each request (Django's
    # request_finished -> close_old_connections). Django's test client switches that off;
    # schemathesis calls the app directly, so do the same, or PostgreSQL loses the test's
    # transaction after the first request.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(workspace, cast, desk) -> str:
    return issue(cast["owner"], workspace, list(SCOPES), by=cast["owner"], name="schemathesis")[1]


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_schema_and_never_fails(case, owner_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {owner_token}"}, checks=CHECKS)
