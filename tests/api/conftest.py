"""API fixtures: a small desk (items, an incident, conversations) and a token helper."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Desk:
    post: object
    comment: object
    message: object
    incident: object


@pytest.fixture
def desk(workspace, cast) -> Desk:
    from inhouse.inbox.intake import intake as inbox_intake
    from inhouse.monitoring.intake import intake as monitoring_intake
    from inhouse.monitoring.models import Incident, Topic
    from inhouse.pipeline.route import route_items
    from tests.inbox import factories as f
    from tests.monitoring.factories import viral_thread

    brand = f.official(workspace)
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=brand, sentiment="positive")
    comment = f.item(workspace, "comment", 5, "请问鹿角脆含花生吗？", by=f.author("1001"),
                     parent=post, intent="consultation")
    message = f.item(workspace, "message", 30, "订单没发货", by=f.author("1002"),
                     intent="consultation", root_platform_id="dm-1002", sentiment="negative")
    route_items([post.pk, comment.pk, message.pk], registry=[("inbox", inbox_intake)])
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    monitoring_intake(viral_thread(workspace))
    return Desk(post=post, comment=comment, message=message, incident=Incident.objects.get())


@pytest.fixture
def token_for(workspace, cast):
    """token_for("viewer", "items:read") -> the raw secret of a new token."""
    from inhouse.api.scopes import SCOPES
    from inhouse.api.tokens import issue

    def _make(role: str, *scopes: str) -> str:
        return issue(cast[role], workspace, scopes or list(SCOPES), by=cast["owner"],
                     name=f"{role} test")[1]

    return _make


@pytest.fixture
def api(client, db):
    """api(token).get(path, **params) with the bearer header set."""

    class Api:
        def __init__(self, token: str | None):
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

        def get(self, path: str, *, language: str | None = None, **params):
            extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
            return client.get(path, params, **self.headers, **extra)

        def post(self, path: str):
            return client.post(path, **self.headers)

    return Api
