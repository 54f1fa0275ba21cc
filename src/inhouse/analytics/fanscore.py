"""Fan quality, pure functions: how likely a follower is a bot or zombie, and how likely a
target customer, each with the reasons that made the score. No Django, so the evaluation
(eval/eval_fan_quality.py) and the CLI can run it over plain records.

The bot score adds weighted signals in three families and caps at 1.0:

- profile: Weibo's default nickname (用户 + digits), empty bio, no real location, a new
  account;
- activity: almost no posts of their own, no followers, following hundreds while followed
  by nobody;
- network and behaviour: most of what they wrote to us is spam, or near-duplicate text
  shared with other accounts (a copy-paste ring).

A verified account is scaled down to a fifth: Weibo checked a person or organisation behind
it. ``LIKELY_BOT`` is the threshold the desk and the evaluation use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LIKELY_BOT = 0.5
LIKELY_TARGET = 0.5
DEFAULT_NAME = re.compile(r"^用户\d{6,}$")
NOWHERE = {"", "其他", "海外 其他", "其他 其他"}
FAMILIES = ("profile", "activity", "network")

# (reason code, family, weight)
WEIGHTS: dict[str, tuple[str, float]] = {
    "default_name": ("profile", 0.25),
    "empty_bio": ("profile", 0.05),
    "no_location": ("profile", 0.05),
    "new_account": ("profile", 0.15),
    "few_posts": ("activity", 0.15),
    "no_followers": ("activity", 0.15),
    "follows_many": ("activity", 0.10),
    "mostly_spam": ("network", 0.20),
    "duplicate_text": ("network", 0.15),
}


@dataclass(frozen=True)
class FanProfile:
    uid: str
    screen_name: str = ""
    followers_count: int | None = None
    friends_count: int | None = None
    statuses_count: int | None = None
    verified: bool = False
    location: str = ""
    description: str = ""
    created_at: dt.datetime | None = None


@dataclass
class FanActivity:
    """What the follower wrote to or about the account in the period."""

    items: int = 0
    spam_items: int = 0
    duplicate_items: int = 0  # items whose near-duplicate cluster other authors share
    texts: list[str] = field(default_factory=list)  # a sample, for the target estimate


@dataclass(frozen=True)
class Score:
    value: float
    reasons: list[str]  # codes from WEIGHTS, or for targets "topic:<word>" / "location:<place>"


def bot_score(profile: FanProfile, activity: FanActivity, now: dt.datetime,
              families: Sequence[str] = FAMILIES) -> Score:
    """The likelihood in [0, 1] that ``profile`` is a bot or zombie fan, and why."""
    hits: list[str] = []
    if DEFAULT_NAME.match(profile.screen_name or ""):
        hits.append("default_name")
    if not (profile.description or "").strip():
        hits.append("empty_bio")
    if (profile.location or "").strip() in NOWHERE:
        hits.append("no_location")
    if profile.created_at is not None and (now - profile.created_at).days < 60:
        hits.append("new_account")
    if profile.statuses_count is not None and profile.statuses_count < 10:
        hits.append("few_posts")
    if profile.followers_count is not None and profile.followers_count <= 3:
        hits.append("no_followers")
    if (profile.friends_count or 0) >= 500 and (profile.followers_count or 0) * 100 < profile.friends_count:
        hits.append("follows_many")
    if activity.items and activity.spam_items / activity.items >= 0.5:
        hits.append("mostly_spam")
    if activity.items and activity.duplicate_items / activity.items >= 0.5:
        hits.append("duplicate_text")
    hits = [h for h in hits if WEIGHTS[h][0] in families]
    value = min(1.0, sum(WEIGHTS[h][1] for h in hits))
    if profile.verified:
        value *= 0.2
    return Score(round(value, 3), hits)


@dataclass(frozen=True)
class TargetDefinition:
    """The workspace's own idea of a target customer: what they talk about, where they are."""

    keywords: tuple[str, ...]
    locations: tuple[str, ...] = ()

    @classmethod
    def of(cls, keywords: Iterable[str], locations: Iterable[str] = ()) -> TargetDefinition:
        return cls(tuple(k.strip() for k in keywords if k and k.strip()),
                   tuple(p.strip() for p in locations if p and p.strip()))


def target_score(profile: FanProfile, activity: FanActivity, definition: TargetDefinition) -> Score:
    """Topic fit (their words and bio name the definition's keywords; two distinct ones count
    as full fit) and, when the definition lists places, location fit (60 % / 40 %)."""
    corpus = " ".join([profile.description or "", *activity.texts])
    words = [k for k in definition.keywords if k in corpus]
    topic = min(1.0, len(words) / 2) if definition.keywords else 0.0
    reasons = [f"topic:{w}" for w in words[:5]]
    if definition.locations:
        place = next((p for p in definition.locations if p in (profile.location or "")), None)
        if place:
            reasons.append(f"location:{place}")
        value = 0.6 * topic + 0.4 * (1.0 if place else 0.0)
    else:
        value = topic
    return Score(round(value, 3), reasons)
