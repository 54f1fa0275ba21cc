"""Daily fan snapshots of the official accounts.

Source, best first: Weibo's ``users/show`` for the account (when it has a token and the API
answers), else the account's own Author row as last synced (the pipeline refreshes it from
every payload). ``backfill_from_posts`` fills days before the first snapshot from the
``user.followers_count`` that Weibo embeds in each own post's raw payload, so a new desk
shows fan history at once.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from inhouse.analytics.models import FanSnapshot
from inhouse.analytics.periods import local_day, today
from inhouse.core.models import Account, Author, Item, ItemKind

log = logging.getLogger(__name__)


def _from_api(account: Account) -> dict | None:
    if not account.token_encrypted:
        return None
    try:
        from inhouse.pipeline.sync_tasks import client_for

        with client_for(account) as client:
            user = client.users_show(uid=account.platform_uid)
    except Exception as exc:  # noqa: BLE001 - any API failure falls back to the synced row
        log.warning("users/show for account %s failed, using the synced author: %s", account.pk, exc)
        return None
    if not isinstance(user, dict) or user.get("followers_count") is None:
        return None
    return {"followers_count": int(user["followers_count"]),
            "friends_count": user.get("friends_count"), "statuses_count": user.get("statuses_count"),
            "source": "users_show"}


def _from_author(account: Account) -> dict | None:
    author = Author.objects.filter(platform=account.platform, uid=account.platform_uid).first()
    if author is None or author.followers_count is None:
        return None
    return {"followers_count": author.followers_count, "friends_count": author.friends_count,
            "statuses_count": author.statuses_count, "source": "author"}


def take_snapshot(account: Account, use_api: bool = True) -> FanSnapshot | None:
    """Today's snapshot of ``account`` (replaced if taken again today); None without data."""
    counts = (_from_api(account) if use_api else None) or _from_author(account)
    if counts is None:
        return None
    snap, _ = FanSnapshot.objects.update_or_create(
        account=account, day=today(),
        defaults={"workspace_id": account.workspace_id, "taken_at": timezone.now(), **counts})
    return snap


def backfill_from_posts(account: Account) -> int:
    """One snapshot per day that has own posts and no snapshot yet (the day's last post)."""
    have = set(FanSnapshot.objects.filter(account=account).values_list("day", flat=True))
    by_day: dict = {}
    posts = (Item.objects.filter(workspace_id=account.workspace_id, kind=ItemKind.POST,
                                 author__uid=account.platform_uid)
             .order_by("created_at").values_list("created_at", "raw"))
    for at, raw in posts.iterator(chunk_size=500):
        user = (raw or {}).get("user") or {}
        if isinstance(user.get("followers_count"), int):
            by_day[local_day(at)] = (at, user)
    made = [FanSnapshot(workspace_id=account.workspace_id, account=account, day=day,
                        followers_count=user["followers_count"],
                        friends_count=user.get("friends_count"),
                        statuses_count=user.get("statuses_count"), source="post", taken_at=at)
            for day, (at, user) in by_day.items() if day not in have]
    FanSnapshot.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
