"""Load the demo week into the database: workspace, official account, the five role users,
then the records through ingest, analyze and route, as any other source would."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from inhouse.access.models import Membership, Role
from inhouse.core.models import Account, Item, Workspace
from inhouse.pipeline.analyze import analyze_items
from inhouse.pipeline.ingest import ingest
from inhouse.pipeline.route import route_items
from inhouse.sources.demo import brand
from inhouse.sources.demo.week import Scenario, generate

SLUG = "demo"
BATCH = 2000
# Owner first: the login a new user should try first.
ROLES = (Role.OWNER, Role.OPERATOR, Role.EXPERT, Role.AGENCY, Role.VIEWER)


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str


@dataclass
class DemoLoad:
    workspace: Workspace
    scenario: Scenario
    logins: list[Login]
    created: int = 0
    updated: int = 0
    rejected: int = 0
    skipped_future: int = 0
    unchanged: int = 0  # already stored by an earlier load, not sent again
    replaced: int = 0  # items of an earlier demo week (other start or seed), deleted
    timings: dict[str, float] = field(default_factory=dict)


def ensure_workspace() -> Workspace:
    """The demo workspace and its official account, created once and refreshed after."""
    workspace, _ = Workspace.objects.update_or_create(
        slug=SLUG, defaults={"name": brand.BRAND, "dictionary": brand.dictionary()}
    )
    Account.objects.update_or_create(
        workspace=workspace, platform="weibo", platform_uid=brand.OFFICIAL_UID,
        defaults={"screen_name": brand.OFFICIAL_NAME, "is_enterprise": True},
    )
    return workspace


# The listening rule a brand team starts with: the brand and its best seller. Monitoring's
# detectors run per topic, so this is what lets the day-5 crisis open an incident.
DEMO_TOPICS = (
    ("小鹿零食", "小鹿零食 OR 鹿角脆 OR 小鹿"),
)


def ensure_topics(workspace: Workspace, owner) -> None:
    """Create the demo's listening topics once, through monitoring's own action."""
    from inhouse.monitoring.actions import create_topic
    from inhouse.monitoring.models import Topic

    for name, query in DEMO_TOPICS:
        if not Topic.objects.filter(workspace=workspace, name=name).exists():
            create_topic(workspace, owner, name, query)


def ensure_users(workspace: Workspace) -> list[Login]:
    """One user per role (demo-owner, demo-operator, ...). Passwords are new random ones
    on every load, so the logins printed by the last load are the ones that work."""
    User = get_user_model()
    logins = []
    for role in ROLES:
        username = f"demo-{role}"
        password = f"{role}-{secrets.token_urlsafe(6)}"
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": role == Role.OWNER})
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(workspace=workspace, user=user, defaults={"role": role})
        logins.append(Login(str(role), username, password))
    return logins


def load_demo(start: dt.date | None = None, seed: int = 2026, scale: float = 1.0,
              until: dt.datetime | None = None, analyze: bool = True,
              refresh: bool = False) -> DemoLoad:
    """Create (idempotently) the demo workspace and users, and store the week.

    With ``start`` None, day 7 is today and items later than now are held back (the desk
    should not show the future); pass ``until`` to choose the cut yourself. Running it
    twice stores each item once: items already stored are skipped unless ``refresh``, which
    sends every record through ingest's upsert again.
    """
    clock = time.perf_counter()
    scenario = generate(seed=seed, start=start, scale=scale)
    timings = {"generate": time.perf_counter() - clock}
    if until is None and start is None:
        until = dt.datetime.now(dt.UTC)
    records = scenario.records
    if until is not None:
        cut = until.isoformat() if until.tzinfo else until.replace(tzinfo=dt.UTC).isoformat()
        records = [r for r in records if dt.datetime.fromisoformat(r["created_at"]) <= dt.datetime.fromisoformat(cut)]
    with transaction.atomic():
        workspace = ensure_workspace()
        logins = ensure_users(workspace)
        users = get_user_model().objects
        owner = users.get(username=f"demo-{Role.OWNER}")
        ensure_topics(workspace, owner)
        from inhouse.content.demo import seed_demo_content

        seed_demo_content(workspace, owner, users.get(username=f"demo-{Role.AGENCY}"))
        from inhouse.campaigns.demo import seed_demo_campaign
        from inhouse.partners.demo import seed_demo_directory

        operator = users.get(username=f"demo-{Role.OPERATOR}")
        agency = users.get(username=f"demo-{Role.AGENCY}")
        seed_demo_directory(workspace, owner, operator)
        seed_demo_campaign(workspace, scenario.truth["campaign"], owner=owner, operator=operator,
                           agency=agency)
    result = DemoLoad(workspace, scenario, logins, skipped_future=len(scenario.records) - len(records))
    stored = set(Item.objects.filter(workspace=workspace, platform="weibo", source="demo")
                 .values_list("platform_id", flat=True))
    # A demo loaded on another day (another start, another seed) is replaced, not mixed in.
    wanted = {r["id"] for r in scenario.records}
    stale = sorted(stored - wanted)
    for offset in range(0, len(stale), 500):
        Item.objects.filter(workspace=workspace, platform="weibo",
                            platform_id__in=stale[offset : offset + 500]).delete()
    result.replaced = len(stale)
    if not refresh:
        # A repeat load only adds what is missing (e.g. the hours of today that have passed
        # since); ingest's update path would rewrite 20,000 unchanged rows for nothing.
        result.unchanged = sum(1 for r in records if r["id"] in stored)
        records = [r for r in records if r["id"] not in stored]
    # Grouped by author: ingest refreshes a known author once per chunk they appear in, so a
    # time-ordered week (regulars in every chunk) costs about 4x more (docs/demo.md).
    records = sorted(records, key=lambda r: (r["author"]["uid"], r["id"]))
    item_ids: list[int] = []
    clock = time.perf_counter()
    for offset in range(0, len(records), BATCH):
        report = ingest(workspace, records[offset : offset + BATCH], first_position=offset + 1)
        result.created += report.created
        result.updated += report.updated
        result.rejected += len(report.rejected)
        item_ids.extend(report.item_ids)
    timings["ingest"] = time.perf_counter() - clock
    if analyze:
        clock = time.perf_counter()
        analyze_items(item_ids)
        timings["analyze"] = time.perf_counter() - clock
        clock = time.perf_counter()
        route_items(item_ids)
        timings["route"] = time.perf_counter() - clock
        owner = get_user_model().objects.get(username=f"demo-{Role.OWNER}")
        record_crisis_response(workspace, scenario, owner, until)
        if apps.is_installed("inhouse.analytics"):
            # Follower history from the week's own posts, and fan scores, so the analytics
            # pages have figures before beat's first daily run.
            clock = time.perf_counter()
            from inhouse.analytics import actions as analytics
            from inhouse.analytics.periods import Period

            analytics.take_snapshots(use_api=False)
            analytics.score_fans(workspace, Period.last(30))
            timings["analytics"] = time.perf_counter() - clock
    result.timings = timings
    return result


# What the brand did during the crisis, as the team would enter it on the incident's timeline.
_RESPONSE_STEPS = (
    ("official_contact_ids", 0, "contacted", "在首帖下公开回复"),
    ("official_contact_ids", 1, "contacted", "私信联系发帖顾客"),
    ("apology_id", None, "statement", "发布致歉声明"),
    ("follow_up_id", None, "follow_up", "发布调查结果"),
)


def record_crisis_response(workspace: Workspace, scenario: Scenario, owner,
                           until: dt.datetime | None) -> int:
    """Put the brand's replies, apology and follow-up on the crisis incident's timeline, at
    their real times (only those that already happened). Idempotent; returns how many were
    added. Does nothing when monitoring opened no incident for the crisis."""
    from inhouse.monitoring.actions import add_incident_event
    from inhouse.monitoring.models import Alert

    crisis = scenario.truth.get("crisis")
    if not crisis:
        return 0
    crisis_ids = set(crisis["item_ids"])
    start = dt.datetime.fromisoformat(crisis["start"])
    incident = next(
        (a.incident for a in Alert.objects.filter(
            workspace=workspace, detected_at__gte=start, detected_at__lte=start + dt.timedelta(days=1),
            incident__isnull=False).select_related("incident").order_by("detected_at")
         if crisis_ids & set(a.item_ids)),
        None,
    )
    if incident is None:
        return 0
    by_id = {r["id"]: r for r in scenario.records}
    done = {e.data.get("item_id") for e in incident.events.all()}
    added = 0
    for key, index, kind, label in _RESPONSE_STEPS:
        item_id = crisis[key][index] if index is not None else crisis[key]
        record = by_id.get(item_id)
        if record is None or item_id in done:
            continue
        at = dt.datetime.fromisoformat(record["created_at"])
        if until is not None and at > until:
            continue
        add_incident_event(incident, kind, f"{label}：{record['text'][:80]}", owner, at=at,
                           item_id=item_id)
        added += 1
    return added
