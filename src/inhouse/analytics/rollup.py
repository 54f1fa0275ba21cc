"""Daily roll-ups: one ``DailyStat`` per workspace and local day, recomputed from that day's rows.

``refresh_day`` is idempotent (it overwrites the day). What a roll-up holds (``data``):

- ``kinds``, ``sentiment``, ``intent``: item counts of the day, excluding the account's own items.
- ``own_posts``: the official accounts' posts of the day; ``engagement``: their reposts +
  comments + likes as last synced; ``post_ids``: their platform ids (for top posts).
- ``reposts`` / ``reach``: reposts of any own post made that day, and the sum of the
  reposters' follower counts (who could have seen them).
- ``voice``: items that name the brand, and each competitor, that day (share of voice).
- ``response``: per intent, conversations opened that day, and histograms of the seconds to
  first response and to resolution (closed, or answered and not reopened); see durations.py;
  ``response_all``: the first-response histogram of all intents together.
- ``engaged``: distinct authors who wrote to or about the account that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone

from inhouse.analytics.durations import histogram
from inhouse.analytics.models import DailyStat
from inhouse.analytics.periods import day_bounds, local_day
from inhouse.core.models import Account, Author, Item, ItemKind, Workspace

VERSION = 3  # 2: response times as histograms (durations.py); 3: response_all


def own_uids(workspace: Workspace) -> list[str]:
    return list(Account.objects.filter(workspace=workspace).values_list("platform_uid", flat=True))


def voice_terms(workspace: Workspace) -> tuple[list[str], dict[str, list[str]]]:
    """The brand's names and each competitor's, from the partner directory (category
    competitor); without a directory, listening topics named like ``竞品:<name>`` are used."""
    brand = [workspace.name, *Account.objects.filter(workspace=workspace)
             .values_list("screen_name", flat=True)]
    competitors: dict[str, list[str]] = {}
    try:
        from inhouse.partners.models import Category, Contact
    except ImportError:  # the partners window is optional
        Contact = None  # noqa: N806
    if Contact is not None:
        for name, weibo_name in (Contact.objects.filter(workspace=workspace,
                                                        category=Category.COMPETITOR)
                                 .values_list("name", "weibo_name")):
            competitors[name] = [t for t in {name, weibo_name} if t]
    if not competitors:
        from inhouse.monitoring.models import Topic

        for topic in Topic.objects.filter(workspace=workspace, name__startswith="竞品:"):
            name = topic.name.split(":", 1)[1].strip()
            if name:
                competitors[name] = [name]
    return [t for t in dict.fromkeys(brand) if t], competitors


def _response(workspace: Workspace, start: dt.datetime, end: dt.datetime) -> dict:
    from inhouse.inbox.models import Conversation, ConversationEvent, EventKind, State

    closed = (ConversationEvent.objects.filter(conversation=OuterRef("pk"), kind=EventKind.CLOSED)
              .order_by("at").values("at")[:1])
    rows = (Conversation.objects.filter(workspace=workspace, opened_at__gte=start, opened_at__lt=end)
            .annotate(closed_at=Subquery(closed))
            .values_list("intent", "opened_at", "first_response_at", "last_response_at",
                         "state", "closed_at"))
    out: dict[str, dict] = defaultdict(lambda: {"opened": 0, "first": [], "resolve": []})
    for intent, opened, first, last, state, closed_at in rows:
        slot = out[intent or "other"]
        slot["opened"] += 1
        if first is not None:
            slot["first"].append(round((first - opened).total_seconds()))
        resolved = closed_at or (last if state in (State.ANSWERED, State.CLOSED) else None)
        if resolved is not None:
            slot["resolve"].append(max(0, round((resolved - opened).total_seconds())))
    return {intent: {"opened": r["opened"], "first": histogram(r["first"]),
                     "resolve": histogram(r["resolve"])} for intent, r in out.items()}


def _reposts_of_own_posts(workspace: Workspace, others, own_authors: list[int]) -> list[int]:
    """The followers of each author who reposted one of the account's own posts that day.

    Read as the day's reposts first, then which of their roots are own posts, by the unique
    platform-id index. One semi-join was planned as a nested loop over every own post when the
    statistics lagged a fast-growing table: 6 s a day at 90,000 items, and growing with them."""
    rows = list(others.filter(kind=ItemKind.REPOST)
                .values_list("root_platform_id", "author__followers_count"))
    roots = sorted({root for root, _ in rows if root})
    own_roots: set[str] = set()
    for i in range(0, len(roots) if own_authors else 0, 5000):  # bounded IN lists
        # The author is checked here, not in SQL, so the look-up stays on the platform-id
        # index (an author filter can send the planner through the account's whole history).
        own_roots.update(
            pid for pid, author in Item.objects.filter(
                workspace=workspace, platform_id__in=roots[i:i + 5000], kind=ItemKind.POST)
            .values_list("platform_id", "author_id") if author in own_authors)
    return [followers or 0 for root, followers in rows if root in own_roots]


def compute_day(workspace: Workspace, day: dt.date) -> dict:
    start, end = day_bounds(day)
    uids = own_uids(workspace)
    own_authors = list(Author.objects.filter(uid__in=uids).values_list("pk", flat=True))
    day_items = Item.objects.filter(workspace=workspace, created_at__gte=start, created_at__lt=end)
    others = day_items.exclude(author_id__in=own_authors)  # keeps items without an author
    data: dict = {"v": VERSION}
    data["kinds"] = dict(others.values_list("kind").annotate(n=Count("id")).order_by())
    data["sentiment"] = {k or "": n for k, n in others.exclude(sentiment="")
                         .values_list("sentiment").annotate(n=Count("id")).order_by()}
    data["intent"] = {k or "": n for k, n in others.exclude(intent="")
                      .values_list("intent").annotate(n=Count("id")).order_by()}
    own = day_items.filter(kind=ItemKind.POST, author_id__in=own_authors)
    agg = own.aggregate(n=Count("id"), r=Sum("reposts_count"), c=Sum("comments_count"),
                        likes=Sum("likes_count"))
    data["own_posts"] = agg["n"]
    data["engagement"] = (agg["r"] or 0) + (agg["c"] or 0) + (agg["likes"] or 0)
    data["post_ids"] = list(own.values_list("platform_id", flat=True))
    reach = _reposts_of_own_posts(workspace, others, own_authors)
    data["reposts"] = len(reach)
    data["reach"] = sum(reach)
    brand, competitors = voice_terms(workspace)
    voice: Counter[str] = Counter()
    for text in others.values_list("text", flat=True).iterator(chunk_size=5000):
        if any(t in text for t in brand):
            voice["__brand__"] += 1
        for name, terms in competitors.items():
            if any(t in text for t in terms):
                voice[name] += 1
    data["voice"] = {"brand": voice.pop("__brand__", 0),
                     "competitors": {name: voice.get(name, 0) for name in competitors}}
    data["response"] = _response(workspace, start, end)
    # All intents together: what the previous period's comparison needs, read on its own.
    every: Counter[str] = Counter()
    for r in data["response"].values():
        every.update(r["first"])
    data["response_all"] = {"first": dict(sorted(every.items(), key=lambda kv: int(kv[0])))}
    data["engaged"] = others.exclude(author=None).values("author").distinct().count()
    return data


def refresh_day(workspace: Workspace, day: dt.date) -> DailyStat:
    started = timezone.now()
    stat, _ = DailyStat.objects.update_or_create(
        workspace=workspace, day=day,
        defaults={"data": compute_day(workspace, day), "refreshed_at": started})
    # Up to date, unless items were routed (and marked the day) after this computation began:
    # those it may have missed, so the mark stays for the next refresh.
    DailyStat.objects.filter(pk=stat.pk, stale_since__lte=started).update(stale_since=None)
    return stat


def refresh_touched(workspace: Workspace, days: Iterable[dt.date], min_seconds: float) -> int:
    """Routing's refresh of the days a batch touched: a day recomputed less than
    ``min_seconds`` ago is only marked stale (``refresh_stale`` catches up), so a busy day is
    recomputed about once a ``min_seconds``, not once a batch — each recomputation reads the
    whole day, which for a brand with a million mentions a day is most of a batch's cost.
    Returns how many days were recomputed."""
    days = set(days)
    now = timezone.now()
    recent = set(DailyStat.objects.filter(
        workspace=workspace, day__in=days,
        refreshed_at__gt=now - dt.timedelta(seconds=min_seconds)).values_list("day", flat=True)
    ) if min_seconds > 0 else set()
    if recent:
        DailyStat.objects.filter(workspace=workspace, day__in=recent,
                                 stale_since__isnull=True).update(stale_since=now)
    for day in sorted(days - recent):
        refresh_day(workspace, day)
    return len(days - recent)


def refresh_stale() -> int:
    """Recompute every roll-up marked stale, oldest mark first."""
    stale = list(DailyStat.objects.filter(stale_since__isnull=False)
                 .select_related("workspace").order_by("stale_since"))
    for stat in stale:
        refresh_day(stat.workspace, stat.day)
    return len(stale)


def refresh_range(workspace: Workspace, start: dt.date, end: dt.date) -> int:
    day, n = start, 0
    while day <= end:
        refresh_day(workspace, day)
        day += dt.timedelta(days=1)
        n += 1
    return n


def days_touched(items: Iterable[Item]) -> dict[int, set[dt.date]]:
    touched: dict[int, set[dt.date]] = defaultdict(set)
    for item in items:
        touched[item.workspace_id].add(local_day(item.created_at))
    return touched


def data_span(workspace: Workspace) -> tuple[dt.date, dt.date] | None:
    """First and last local day with items, for a full rebuild."""
    span = Item.objects.filter(workspace=workspace).aggregate(a=Min("created_at"),
                                                              b=Max("created_at"))
    if span["a"] is None:
        return None
    return local_day(span["a"]), local_day(span["b"])
