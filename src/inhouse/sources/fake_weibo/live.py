"""The live demo: the desk syncs the demo account from the fake while the fake's clock runs
fast, so comments arrive and the day-5 crisis unfolds on the desk.

``inhouse fake_weibo --scenario demo --live`` (``make demo-live``) does, in order:
:func:`prepare_desk` loads the demo week up to the fake's starting time into the database and
gives the demo account the fake's ready token, with its sync cursors at the newest item
already loaded (so the first sync asks only for what is new); then the fake is served on its
port with the clock at ``speed`` scenario seconds per real second, customers' private
messages are pushed to the desk's fan-service URL as the clock reaches them, and ``inhouse
run`` serves the desk with ``WEIBO_API_BASE`` pointing at the fake and beat syncing every
``sync_interval`` real seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from inhouse.sources.demo.people import CST

DEFAULT_SPEED = 120.0  # two scenario minutes per real second: the day-5 crisis in ~5 minutes
DEFAULT_SYNC_INTERVAL = 15  # real seconds between syncs (half a scenario hour at x120)
# The fake starts on day 5 an hour before the crisis's first post (11:47).
CRISIS_DAY, START_TIME = 5, dt.time(10, 45)


def default_clock_start(week_start: dt.date) -> dt.datetime:
    day = week_start + dt.timedelta(days=CRISIS_DAY - 1)
    return dt.datetime.combine(day, START_TIME, tzinfo=CST)


def cursors_at(records: list[dict[str, Any]], owner_uid: str, moment: dt.datetime,
               recent_posts: int = 5) -> dict[str, int]:
    """Sync cursors as if everything up to ``moment`` had been synced: every stream at the
    newest id then (the demo's ids grow with time), including the comment and repost streams
    of the account's newest posts."""
    from inhouse.pipeline.records import parse_time

    seen = [r for r in records if r.get("kind") != "message" and parse_time(r["created_at"]) <= moment]
    if not seen:
        return {}
    top = max(int(r["id"]) for r in seen if str(r["id"]).isdigit())
    cursors = {name: top for name in ("timeline", "mentions", "comments_to_me",
                                      "comment_mentions", "comments_by_me")}
    own = sorted((r for r in seen if r["kind"] == "post" and str((r.get("author") or {}).get("uid")) == owner_uid),
                 key=lambda r: parse_time(r["created_at"]), reverse=True)[:recent_posts]
    for post in own:
        cursors[f"comments:{post['id']}"] = top
        cursors[f"reposts:{post['id']}"] = top
    return cursors


@dataclass
class Prepared:
    account_id: int
    loaded: int  # items in the database up to the clock's start
    records: list[dict[str, Any]]  # the whole week, for the fake to serve


def prepare_desk(week_start: dt.date, clock_start: dt.datetime, token: str, *, seed: int = 2026,
                 scale: float = 1.0, analyze: bool = True) -> Prepared:
    """Load the demo week up to ``clock_start`` and point its account at the fake."""
    from inhouse.pipeline.sync import mark_reauthorised
    from inhouse.sources.demo import brand
    from inhouse.sources.demo.load import load_demo

    result = load_demo(start=week_start, seed=seed, scale=scale, until=clock_start, analyze=analyze)
    account = result.workspace.accounts.get(platform="weibo", platform_uid=brand.OFFICIAL_UID)
    records = result.scenario.records
    account.cursors = cursors_at(records, brand.OFFICIAL_UID, clock_start)
    account.save(update_fields=["cursors"])
    mark_reauthorised(account, token, None)  # the fake's ready token; audited as a token change
    return Prepared(account_id=account.pk, loaded=result.created + result.unchanged, records=records)
