"""Small factories for desk tests: an official account and items around it."""

from __future__ import annotations

import datetime as dt
import itertools

from inhouse.core.models import Account, Author, Item, Workspace

_ids = itertools.count(4_900_000_000_000_000)


def official(workspace: Workspace, uid: str = "5550001111", name: str = "小鹿零食官方") -> Author:
    Account.objects.create(workspace=workspace, platform_uid=uid, screen_name=name)
    return Author.objects.create(uid=uid, screen_name=name, verified=True, verified_type=2,
                                 followers_count=820_000, location="上海")


def author(uid: str, name: str, **fields) -> Author:
    return Author.objects.get_or_create(uid=uid, defaults={"screen_name": name, **fields})[0]


def item(workspace: Workspace, kind: str, at: dt.datetime, text: str = "", *, by: Author | None,
         parent: Item | None = None, **fields) -> Item:
    root = ""
    if parent is not None:
        root = parent.root_platform_id or parent.platform_id
    return Item.objects.create(
        workspace=workspace, kind=kind, created_at=at, text=text, author=by,
        platform_id=str(next(_ids)),
        parent_platform_id=parent.platform_id if parent is not None else "",
        root_platform_id=root, **fields,
    )
