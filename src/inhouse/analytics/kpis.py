"""Account KPIs over a period against the previous one of the same length, from roll-ups.

Reads at most 2 × period-days ``DailyStat`` rows, the fan snapshots and the period's own posts,
so the cost does not grow with the number of items.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from inhouse.analytics import durations
from inhouse.analytics.models import DailyStat, FanSnapshot
from inhouse.analytics.periods import Period
from inhouse.core.models import Account, Item, ItemKind, Workspace

TOP_POSTS = 5


@dataclass
class Totals:
    """Sums over a period's roll-ups."""

    items: int = 0
    kinds: Counter = field(default_factory=Counter)
    sentiment: Counter = field(default_factory=Counter)
    intent: Counter = field(default_factory=Counter)
    own_posts: int = 0
    engagement: int = 0
    reposts: int = 0
    reach: int = 0
    voice_brand: int = 0
    voice: Counter = field(default_factory=Counter)
    response: dict = field(default_factory=lambda: defaultdict(
        lambda: {"opened": 0, "first": Counter(), "resolve": Counter()}))
    post_ids: list[str] = field(default_factory=list)
    first_all: Counter = field(default_factory=Counter)  # from ``response_all`` when stored
    days: dict[dt.date, dict] = field(default_factory=dict)

    def add(self, day: dt.date, data: dict) -> None:
        self.days[day] = data
        kinds = data.get("kinds", {})
        self.kinds.update(kinds)
        self.items += sum(kinds.values())
        self.sentiment.update(data.get("sentiment", {}))
        self.intent.update(data.get("intent", {}))
        self.own_posts += data.get("own_posts", 0)
        self.engagement += data.get("engagement", 0)
        self.reposts += data.get("reposts", 0)
        self.reach += data.get("reach", 0)
        voice = data.get("voice", {})
        self.voice_brand += voice.get("brand", 0)
        self.voice.update(voice.get("competitors", {}))
        self.post_ids += data.get("post_ids", [])
        if "response_all" in data:
            durations.merge(self.first_all, data["response_all"]["first"])
        for intent, r in data.get("response", {}).items():
            slot = self.response[intent]
            slot["opened"] += r["opened"]
            durations.merge(slot["first"], r["first"])
            durations.merge(slot["resolve"], r["resolve"])

    @property
    def negative_share(self) -> float | None:
        n = sum(self.sentiment.values())
        return self.sentiment.get("negative", 0) / n if n else None

    @property
    def engagement_per_post(self) -> float | None:
        return self.engagement / self.own_posts if self.own_posts else None

    def median_first_response(self) -> float | None:
        if self.first_all:
            return durations.median(self.first_all)
        every: Counter = Counter()
        for r in self.response.values():
            every.update(r["first"])
        return durations.median(every)

    def share_of_voice(self) -> float | None:
        total = self.voice_brand + sum(self.voice.values())
        return self.voice_brand / total if total else None


def totals(workspace: Workspace, period: Period) -> Totals:
    return _split_totals(workspace, [period])[0]


# What the comparison with the previous period reads of each roll-up (not the per-intent
# histograms nor the post ids): a quarter's dashboard decodes half as much JSON.
SUMMARY_KEYS = ("kinds", "sentiment", "intent", "own_posts", "engagement", "reposts", "reach",
                "voice", "response_all")


def _split_totals(workspace: Workspace, periods: list[Period]) -> list[Totals]:
    """The first period's roll-ups in full, the others' summary keys only."""
    out = [Totals() for _ in periods]
    first, rest = periods[0], periods[1:]
    for day, data in (DailyStat.objects.filter(workspace=workspace, day__gte=first.start,
                                               day__lte=first.end)
                      .order_by("day").values_list("day", "data")):
        out[0].add(day, data)
    if rest:
        lookups = [f"data__{k}" for k in SUMMARY_KEYS]
        rows = (DailyStat.objects.filter(workspace=workspace, day__gte=min(p.start for p in rest),
                                         day__lte=max(p.end for p in rest))
                .order_by("day").values_list("day", *lookups))
        for day, *values in rows:
            data = {k: v for k, v in zip(SUMMARY_KEYS, values, strict=True) if v is not None}
            if "response_all" not in data:  # a roll-up of format 1 or 2: per intent only
                data = DailyStat.objects.get(workspace=workspace, day=day).data
            for t, p in zip(out[1:], rest, strict=True):
                if p.start <= day <= p.end:
                    t.add(day, data)
    return out


class Fans:
    """The fan snapshots from a day on, read once: series per account and totals per day."""

    def __init__(self, workspace: Workspace, since: dt.date, until: dt.date):
        self.rows = list(FanSnapshot.objects.filter(workspace=workspace, day__lte=until)
                         .filter(day__gte=since - dt.timedelta(days=30))
                         .order_by("day").values_list("account__screen_name", "day",
                                                      "followers_count"))
        self.by_day: dict[dt.date, int] = defaultdict(int)
        for _, day, n in self.rows:
            self.by_day[day] += n

    def at(self, day: dt.date) -> int | None:
        """Followers of all accounts on the latest snapshot day ≤ ``day`` (a month back at most)."""
        days = [d for d in self.by_day if d <= day]
        return self.by_day[max(days)] if days else None

    def series(self, period: Period) -> dict[str, list[tuple[dt.date, int]]]:
        series: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for name, day, n in self.rows:
            if period.start <= day <= period.end:
                series[name].append((day, n))
        return dict(series)


def fan_series(workspace: Workspace, period: Period) -> dict[str, list[tuple[dt.date, int]]]:
    """Followers per day per official account (screen name → points)."""
    return Fans(workspace, period.start, period.end).series(period)


def fans_at(workspace: Workspace, day: dt.date) -> int | None:
    return Fans(workspace, day, day).at(day)


def top_posts(workspace: Workspace, t: Totals, n: int = TOP_POSTS) -> list[dict]:
    # With the platform, the lookup walks the unique (workspace, platform, platform_id) index.
    platforms = set(Account.objects.filter(workspace=workspace).values_list("platform", flat=True))
    posts = (Item.objects.filter(workspace=workspace, platform__in=platforms or {"weibo"},
                                 kind=ItemKind.POST, platform_id__in=t.post_ids)
             .values("platform_id", "text", "created_at", "reposts_count", "comments_count",
                     "likes_count"))
    rows = [{**p, "engagement": p["reposts_count"] + p["comments_count"] + p["likes_count"]}
            for p in posts]
    rows.sort(key=lambda r: (-r["engagement"], r["platform_id"]))
    return rows[:n]


def change(now: float | None, before: float | None) -> float | None:
    """Relative change, None when it cannot be said (no data, or nothing before)."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


@dataclass
class Kpi:
    key: str
    value: float | None
    previous: float | None
    fmt: str = "int"  # int, pct, float, duration

    @property
    def change(self) -> float | None:
        return change(self.value, self.previous)


@dataclass
class Dashboard:
    period: Period
    now: Totals
    before: Totals
    kpis: list[Kpi]
    fans: dict[str, list[tuple[dt.date, int]]]
    top: list[dict]

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


def _per_fan(t: Totals, fans: int | None) -> float | None:
    return t.engagement / fans if fans else None


def dashboard(workspace: Workspace, period: Period, with_top: bool = True) -> Dashboard:
    prev = period.previous()
    now, before = _split_totals(workspace, [period, prev])
    fans = Fans(workspace, prev.start - dt.timedelta(days=1), period.end)
    fans_end, fans_prev_end = fans.at(period.end), fans.at(prev.end)
    fans_start = fans_prev_end
    growth = fans_end - fans_start if fans_end is not None and fans_start is not None else None
    prev_start = fans.at(prev.start - dt.timedelta(days=1))
    growth_before = (fans_prev_end - prev_start
                     if fans_prev_end is not None and prev_start is not None else None)
    kpis = [
        Kpi("fans", fans_end, fans_prev_end),
        Kpi("fan_growth", growth, growth_before),
        Kpi("items", now.items, before.items),
        Kpi("own_posts", now.own_posts, before.own_posts),
        Kpi("engagement_per_post", now.engagement_per_post, before.engagement_per_post, "float"),
        Kpi("engagement_per_fan", _per_fan(now, fans_end), _per_fan(before, fans_prev_end), "pct"),
        Kpi("reposts", now.reposts, before.reposts),
        Kpi("reach", now.reach, before.reach),
        Kpi("negative_share", now.negative_share, before.negative_share, "pct"),
        Kpi("first_response", now.median_first_response(), before.median_first_response(), "duration"),
        Kpi("share_of_voice", now.share_of_voice(), before.share_of_voice(), "pct"),
    ]
    return Dashboard(period, now, before, kpis, fans.series(period),
                     top_posts(workspace, now) if with_top else [])


def response_table(t: Totals) -> list[dict]:
    """Per intent: opened, answered share, median first response and resolution (seconds)."""
    rows = []
    for intent, r in sorted(t.response.items(), key=lambda kv: -kv[1]["opened"]):
        rows.append({
            "intent": intent, "opened": r["opened"],
            "answered": durations.count(r["first"]) / r["opened"] if r["opened"] else None,
            "first": durations.median(r["first"]),
            "resolve": durations.median(r["resolve"]),
        })
    return rows
