"""The hand-written OpenAPI schema is served and names every API route."""

from __future__ import annotations

import re

from django.urls import get_resolver

from inhouse.api.schema import openapi_schema


def api_paths() -> set[str]:
    """Every /api/v1/ route of the project, in OpenAPI form (<path:pk> -> {id})."""
    paths = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
            elif route.startswith("api/v1/") and not route.endswith("openapi.json"):
                paths.add("/" + re.sub(r"<(?:int|path):pk>", "{id}", route))

    walk(get_resolver().url_patterns, "")
    return paths


def test_every_api_route_is_in_the_schema_and_nothing_else():
    assert api_paths(), "the api app is not routed under /api/"
    assert set(openapi_schema()["paths"]) == api_paths()


def test_the_schema_is_served_as_openapi_3_1(client):
    body = client.get("/api/v1/openapi.json").json()
    assert body["openapi"].startswith("3.1")
    assert body["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
