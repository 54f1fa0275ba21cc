"""Fan quality over the database: who engaged with the account in a period, scored.

"Followers" here are the people the account can see: everyone who commented on, replied to,
reposted or mentioned the account, or wrote it a private message. Weibo's follower list API
returns only followers who authorised the app (reference/weibo-api.md §6), so the engaged
audience is the measurable part of the fans; the page says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inhouse.analytics.fanscore import (
    LIKELY_BOT,
    LIKELY_TARGET,
    FanActivity,
    FanProfile,
    TargetDefinition,
    bot_score,
    target_score,
)
from inhouse.analytics.models import AnalyticsSettings, FanRun, FanScore
from inhouse.analytics.periods import Period
from inhouse.core.models import Account, Author, Item, ItemKind, Workspace

TEXTS_PER_FAN = 20


def definition_for(workspace: Workspace) -> TargetDefinition:
    """The workspace's definition; without one, its dictionary (brand and product names)."""
    conf = AnalyticsSettings.objects.filter(workspace=workspace).first()
    keywords = (conf.target_keywords if conf and conf.target_keywords else workspace.dictionary) or []
    return TargetDefinition.of(keywords, conf.target_locations if conf else [])


def audience(workspace: Workspace, period: Period):
    """Items others wrote to or about the account in ``period``."""
    accounts = list(Account.objects.filter(workspace=workspace).values_list("platform_uid", "screen_name"))
    uids = [uid for uid, _ in accounts]
    start, end = period.bounds()
    own_posts = Item.objects.filter(workspace=workspace, kind=ItemKind.POST, author__uid__in=uids)
    about = Q(kind=ItemKind.MESSAGE) | Q(root_platform_id__in=own_posts.values("platform_id"))
    for _, name in accounts:
        about |= Q(text__contains=f"@{name}")
    return (Item.objects.filter(workspace=workspace, created_at__gte=start, created_at__lt=end)
            .exclude(author=None).exclude(author__uid__in=uids).filter(about))


def collect(workspace: Workspace, period: Period) -> dict[int, FanActivity]:
    rows = list(audience(workspace, period).values_list("author_id", "intent", "dup_cluster", "text"))
    cluster_authors: dict[str, set[int]] = defaultdict(set)
    for author_id, _, cluster, _ in rows:
        if cluster:
            cluster_authors[cluster].add(author_id)
    activity: dict[int, FanActivity] = defaultdict(FanActivity)
    for author_id, intent, cluster, text in rows:
        a = activity[author_id]
        a.items += 1
        a.spam_items += intent == "spam"
        a.duplicate_items += bool(cluster) and len(cluster_authors[cluster]) >= 3
        if len(a.texts) < TEXTS_PER_FAN:
            a.texts.append(text)
    return activity


def profile_of(author: Author) -> FanProfile:
    return FanProfile(uid=author.uid, screen_name=author.screen_name,
                      followers_count=author.followers_count, friends_count=author.friends_count,
                      statuses_count=author.statuses_count, verified=author.verified,
                      location=author.location, description=author.description,
                      created_at=author.created_at)


def score_fans(workspace: Workspace, period: Period, now: dt.datetime | None = None) -> FanRun:
    """Score everyone in the period's audience; keep each fan's latest score and the run."""
    now = now or timezone.now()
    definition = definition_for(workspace)
    activity = collect(workspace, period)
    authors = Author.objects.in_bulk(list(activity))
    scores, reasons, hist = [], Counter(), [0] * 10
    bots = targets = 0
    for author_id, act in activity.items():
        profile = profile_of(authors[author_id])
        bot = bot_score(profile, act, now)
        target = target_score(profile, act, definition)
        bots += bot.value >= LIKELY_BOT
        if bot.value >= LIKELY_BOT:
            reasons.update(bot.reasons)
        targets += target.value >= LIKELY_TARGET and bot.value < LIKELY_BOT
        hist[min(int(bot.value * 10), 9)] += 1
        scores.append(FanScore(workspace=workspace, author_id=author_id, bot_score=bot.value,
                               bot_reasons=bot.reasons, target_score=target.value,
                               target_reasons=target.reasons, items_count=act.items,
                               period_start=period.start, period_end=period.end, computed_at=now))
    summary = {"scored": len(scores), "likely_bots": bots, "likely_targets": targets,
               "bot_reasons": dict(reasons.most_common()), "histogram": hist,
               "definition": {"keywords": list(definition.keywords),
                              "locations": list(definition.locations)}}
    with transaction.atomic():
        FanScore.objects.bulk_create(
            scores, batch_size=1000, update_conflicts=True, unique_fields=["workspace", "author"],
            update_fields=["bot_score", "bot_reasons", "target_score", "target_reasons",
                           "items_count", "period_start", "period_end", "computed_at"])
        run = FanRun.objects.create(workspace=workspace, period_start=period.start,
                                    period_end=period.end, summary=summary, computed_at=now)
    return run
