"""The home page's figures: one plain function per panel, each a few aggregate queries.

"Today" is the local date (settings.TIME_ZONE). "The usual" is the mean of the previous six
days over the same stretch of the day (midnight to the current time of day), so at 10:00 today
is compared with 00:00-10:00 of each of the six days before, never with whole days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, TruncHour
from django.utils import timezone

from inhouse.core.models import Account, Author, Item, ItemKind, Sentiment, Workspace

BASELINE_DAYS = 6
SENTIMENTS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)
# A negative hour counts as a spike when it has at least this many items and twice the usual.
SPIKE_MIN_ITEMS = 5
SPIKE_FACTOR = 2.0


# --- time ------------------------------------------------------------------------------------


def day_start(now: dt.datetime, days_back: int = 0) -> dt.datetime:
    """Local midnight ``days_back`` days before ``now``'s local date, as an aware datetime."""
    local = timezone.localtime(now)
    date = local.date() - dt.timedelta(days=days_back)
    return dt.datetime.combine(date, dt.time.min, tzinfo=local.tzinfo)


def week_start(now: dt.datetime) -> dt.datetime:
    """Local midnight of this week's Monday."""
    return day_start(now, timezone.localtime(now).weekday())


# --- the official account ----------------------------------------------------------------------


def official_author_ids(workspace: Workspace) -> list[int]:
    """Authors that are the workspace's own official accounts (Account.platform_uid)."""
    uids = Account.objects.filter(workspace=workspace).values("platform_uid")
    return list(Author.objects.filter(uid__in=uids).values_list("id", flat=True))


# --- customer service ------------------------------------------------------------------------


def waiting_consultations(workspace: Workspace, official_ids: list[int]) -> QuerySet[Item]:
    """Consultations the official account has not answered after they were written.

    Candidates: comments, replies and private messages with intent "consultation", and
    mentions (posts that concern an official account) by anyone but the official account.
    Answered means an official item later in time that replies to it directly (its parent),
    or, for a private message or a mention, any later official item in its thread.
    """
    # Written for the planner, SQLite's included. A direct reply always follows what it
    # answers, so "replied to" is a plain IN over the official items' parents, built once.
    # The thread-wide check needs the time, so it is correlated, but only on the thread's
    # root: official authors are matched through the author table (not author_id IN), which
    # keeps SQLite on the workspace + root index instead of walking every official item for
    # every candidate (a minute on the demo week).
    official = Item.objects.filter(workspace=workspace, author_id__in=official_ids)
    answered = official.exclude(parent_platform_id="").values("parent_platform_id")
    last_in_thread = (
        Item.objects.filter(
            workspace=workspace,
            root_platform_id=OuterRef("thread_key"),
            author__uid__in=Author.objects.filter(pk__in=official_ids).values("uid"),
        )
        .order_by()
        .values("workspace")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    threadwide = [ItemKind.MESSAGE, ItemKind.POST]
    return (
        Item.objects.filter(workspace=workspace, intent="consultation")
        .filter(
            Q(kind__in=[ItemKind.COMMENT, ItemKind.REPLY, ItemKind.MESSAGE])
            | Q(kind=ItemKind.POST, account__isnull=False)
        )
        .exclude(author_id__in=official_ids)
        .exclude(platform_id__in=answered)
        .annotate(thread_key=Coalesce(NullIf("root_platform_id", Value("")), "platform_id"))
        .annotate(thread_replied_at=Subquery(last_in_thread))
        # Spelled out: NOT (... AND NULL) is NULL in SQL and would drop unanswered items.
        .filter(
            ~Q(kind__in=threadwide)
            | Q(thread_replied_at__isnull=True)
            | Q(thread_replied_at__lte=F("created_at"))
        )
    )


@dataclass
class CustomerService:
    waiting: int
    oldest_at: dt.datetime | None

    @property
    def oldest_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_at if self.oldest_at else None


def customer_service(workspace: Workspace, official_ids: list[int]) -> CustomerService:
    """Consultations waiting for the team. With the inbox installed these are its open
    consultation conversations (a customer who asked three times is one consultation);
    without it, unanswered consultation items."""
    from django.apps import apps

    if apps.is_installed("inhouse.inbox"):
        from inhouse.inbox.queries import waiting_summary

        now = timezone.now()
        summary = waiting_summary(workspace, now)
        age = summary["oldest_age"]
        return CustomerService(waiting=summary["count"], oldest_at=now - age if age else None)
    figures = waiting_consultations(workspace, official_ids).aggregate(
        waiting=Count("id"), oldest_at=Min("created_at")
    )
    return CustomerService(**figures)


# --- volume and sentiment --------------------------------------------------------------------


@dataclass
class Counts:
    total: int = 0
    positive: float = 0
    neutral: float = 0
    negative: float = 0

    @property
    def analysed(self) -> float:
        return self.positive + self.neutral + self.negative

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.analysed if self.analysed else None


@dataclass
class Volume:
    today: Counts
    usual: Counts | None  # None when there is no earlier day to compare with

    def ratio(self, name: str) -> float | None:
        """Today's figure over the usual one (1.0 = as usual), None without a baseline."""
        if self.usual is None:
            return None
        usual = getattr(self.usual, name)
        return getattr(self.today, name) / usual if usual else None


def volume(workspace: Workspace, now: dt.datetime) -> Volume:
    """Today so far, by sentiment, against the same stretch of the previous six days."""
    elapsed = now - day_start(now)
    aggregates = {}
    for back in range(BASELINE_DAYS + 1):
        start = day_start(now, back)
        window = Q(created_at__gte=start, created_at__lt=start + elapsed)
        aggregates[f"d{back}_total"] = Count("id", filter=window)
        for sentiment in SENTIMENTS:
            aggregates[f"d{back}_{sentiment}"] = Count("id", filter=window & Q(sentiment=sentiment))
    aggregates["first_at"] = Min("created_at")
    row = Item.objects.filter(
        workspace=workspace, created_at__gte=day_start(now, BASELINE_DAYS), created_at__lt=now
    ).aggregate(**aggregates)

    def counts(back: int) -> Counts:
        return Counts(
            total=row[f"d{back}_total"],
            **{s.value: row[f"d{back}_{s}"] for s in SENTIMENTS},
        )

    # Days before the first item we hold would drag the usual towards zero: leave them out.
    first = row["first_at"]
    baseline_days = [
        back for back in range(1, BASELINE_DAYS + 1)
        if first is not None and first < day_start(now, back - 1)
    ]
    usual = None
    if baseline_days:
        days = [counts(back) for back in baseline_days]
        usual = Counts(
            total=sum(d.total for d in days) / len(days),
            **{s.value: sum(getattr(d, s) for d in days) / len(days) for s in SENTIMENTS},
        )
    return Volume(today=counts(0), usual=usual)


@dataclass
class Hour:
    hour: int
    total: int = 0
    negative: int = 0
    usual_total: float = 0.0
    usual_negative: float = 0.0


@dataclass
class Hours:
    hours: list[Hour]  # today, midnight up to the current hour
    spike: Hour | None  # the hour today with most negative items, if any
    has_baseline: bool = False

    @property
    def spike_is_unusual(self) -> bool:
        spike = self.spike
        if spike is None or spike.negative < SPIKE_MIN_ITEMS:
            return False
        return spike.negative >= SPIKE_FACTOR * max(spike.usual_negative, 1.0)

    @property
    def spike_ratio(self) -> float | None:
        if self.spike is None or not self.spike.usual_negative:
            return None
        return self.spike.negative / self.spike.usual_negative


def hourly(workspace: Workspace, now: dt.datetime) -> Hours:
    """Per hour today (total and negative), each against the mean of the same hour before."""
    tz = timezone.localtime(now).tzinfo
    today = day_start(now)
    rows = (
        Item.objects.filter(
            workspace=workspace, created_at__gte=day_start(now, BASELINE_DAYS), created_at__lt=now
        )
        .annotate(bucket=TruncHour("created_at", tzinfo=tz))
        .values("bucket")
        .annotate(total=Count("id"), negative=Count("id", filter=Q(sentiment=Sentiment.NEGATIVE)))
        .order_by("bucket")
    )
    current_hour = timezone.localtime(now).hour
    hours = [Hour(hour=h) for h in range(current_hour + 1)]
    baseline_totals = [0] * 24
    baseline_negatives = [0] * 24
    baseline_days: set[dt.date] = set()
    for row in rows:
        bucket = timezone.localtime(row["bucket"], tz)
        if bucket >= today:
            if bucket.hour <= current_hour:
                hours[bucket.hour].total += row["total"]
                hours[bucket.hour].negative += row["negative"]
        else:
            baseline_days.add(bucket.date())
            baseline_totals[bucket.hour] += row["total"]
            baseline_negatives[bucket.hour] += row["negative"]
    if baseline_days:
        # Average over the days since the first one with data, as volume() does.
        days = (today.date() - min(baseline_days)).days
        for hour in hours:
            hour.usual_total = baseline_totals[hour.hour] / days
            hour.usual_negative = baseline_negatives[hour.hour] / days
    spike = max(hours, key=lambda h: (h.negative, -h.hour)) if hours else None
    if spike is not None and spike.negative == 0:
        spike = None
    return Hours(hours=hours, spike=spike, has_baseline=bool(baseline_days))


# --- partners ---------------------------------------------------------------------------------


@dataclass
class Partners:
    count: int
    latest: list[Item] = field(default_factory=list)
    since: dt.datetime | None = None


def partners(
    workspace: Workspace, now: dt.datetime, official_ids: list[int], hide_messages: bool = False
) -> Partners:
    """Items with intent "cooperation" in the last seven days, from others than ourselves."""
    since = now - dt.timedelta(days=7)
    qs = Item.objects.filter(
        workspace=workspace, intent="cooperation", created_at__gte=since, created_at__lt=now
    ).exclude(author_id__in=official_ids)
    if hide_messages:
        qs = qs.exclude(kind=ItemKind.MESSAGE)
    latest = list(qs.select_related("author").order_by("-created_at")[:3])
    count = len(latest) if len(latest) < 3 else qs.count()
    return Partners(count=count, latest=latest, since=since)


# --- content ----------------------------------------------------------------------------------


@dataclass
class Content:
    today: int
    week: int
    last_at: dt.datetime | None


def content(workspace: Workspace, now: dt.datetime, official_ids: list[int]) -> Content:
    """Posts (and reposts) by the official account today and since Monday."""
    figures = Item.objects.filter(
        workspace=workspace,
        author_id__in=official_ids,
        kind__in=[ItemKind.POST, ItemKind.REPOST],
        created_at__lt=now,
    ).aggregate(
        today=Count("id", filter=Q(created_at__gte=day_start(now))),
        week=Count("id", filter=Q(created_at__gte=week_start(now))),
        last_at=Max("created_at"),
    )
    return Content(**figures)


def open_incidents(workspace: Workspace, limit: int = 3) -> list:
    """Unresolved incidents, most severe and newest first, with their topic and alert count."""
    from inhouse.monitoring.models import Incident, IncidentState

    severity_rank = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    incidents = list(
        Incident.objects.filter(workspace=workspace)
        .exclude(state=IncidentState.RESOLVED)
        .select_related("topic")
        .annotate(alert_count=Count("alerts"))
        .order_by("-opened_at")[:20]
    )
    incidents.sort(key=lambda i: (severity_rank.get(i.severity, 9), -i.opened_at.timestamp()))
    return incidents[:limit]
