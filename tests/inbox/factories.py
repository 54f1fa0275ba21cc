"""Items around an official account, analysed, for intake and action tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inhouse.core.models import Author, Item, Workspace
from tests.web import factories as web

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def official(workspace: Workspace) -> Author:
    return web.official(workspace)


def author(uid: str, name: str = "", **fields) -> Author:
    return web.author(uid, name or f"用户{uid}", **fields)


def item(workspace: Workspace, kind: str, minutes: float, text: str = "", *, by: Author,
         parent: Item | None = None, intent: str = "other", sentiment: str = "neutral",
         **fields) -> Item:
    root = fields.pop("root_platform_id", None)
    made = web.item(workspace, kind, at(minutes), text, by=by, parent=parent, intent=intent,
                    sentiment=sentiment, analyzed_at=timezone.now(), **fields)
    if root is not None:
        made.root_platform_id = root
        made.save(update_fields=["root_platform_id"])
    return made
