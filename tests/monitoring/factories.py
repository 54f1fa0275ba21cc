"""Stored items and incidents for monitoring tests."""

from __future__ import annotations

import datetime as dt
import itertools

from inhouse.core.models import Author, Item

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
_ids = itertools.count(4_900_000_000_100_000)


def item(workspace, text="小鹿零食的鹿角脆真好吃", at=T0, kind="post", parent="", sentiment="neutral",
         followers=100, verified=False) -> Item:
    pid = str(next(_ids))
    author, _ = Author.objects.get_or_create(
        uid=f"u{pid[-5:]}", defaults={"screen_name": f"网友{pid[-4:]}",
                                      "followers_count": followers, "verified": verified})
    return Item.objects.create(
        workspace=workspace, platform_id=pid, kind=kind, text=text, created_at=at, author=author,
        parent_platform_id=parent, root_platform_id=parent, sentiment=sentiment,
        analyzed_at=at)


def viral_thread(workspace, n=80, at=T0) -> list[Item]:
    post = item(workspace, "小鹿零食的袋子里吃出苍蝇！", at=at, sentiment="negative", followers=900)
    reposts = [item(workspace, "转发微博", at=at + dt.timedelta(seconds=20 * (i + 1)),
                    kind="repost", parent=post.platform_id, sentiment="negative",
                    followers=50_000 if i == 3 else 200, verified=i == 3) for i in range(n)]
    return [post, *reposts]
