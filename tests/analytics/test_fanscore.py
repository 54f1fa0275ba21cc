"""Fan quality scores are pure functions of a profile and what the fan wrote to us."""

from __future__ import annotations

import datetime as dt

from inhouse.analytics.fanscore import (
    LIKELY_BOT,
    FanActivity,
    FanProfile,
    TargetDefinition,
    bot_score,
    target_score,
)

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
ZOMBIE = FanProfile(uid="6100000001", screen_name="用户6100000001", followers_count=0,
                    friends_count=1200, statuses_count=2, location="其他", description="",
                    created_at=NOW - dt.timedelta(days=9))
PERSON = FanProfile(uid="5000000001", screen_name="爱吃零食的小熊", followers_count=230,
                    friends_count=310, statuses_count=1800, location="浙江 杭州",
                    description="吃货一枚", created_at=NOW - dt.timedelta(days=1500))


def test_zombie_profile_is_a_likely_bot_with_its_reasons():
    score = bot_score(ZOMBIE, FanActivity(items=3, spam_items=3, duplicate_items=3), NOW)
    assert score.value >= LIKELY_BOT
    assert {"default_name", "no_followers", "follows_many", "mostly_spam", "new_account"} <= set(score.reasons)


def test_ordinary_fan_is_not_flagged():
    score = bot_score(PERSON, FanActivity(items=2), NOW)
    assert score.value < LIKELY_BOT
    assert score.reasons == []


def test_verification_damps_the_score():
    verified = FanProfile(**{**ZOMBIE.__dict__, "verified": True})
    assert bot_score(verified, FanActivity(), NOW).value < bot_score(ZOMBIE, FanActivity(), NOW).value * 0.25


def test_families_can_be_switched_off_for_the_evaluation():
    only_network = bot_score(ZOMBIE, FanActivity(items=1), NOW, families=("network",))
    assert only_network.value == 0 and only_network.reasons == []


def test_target_needs_their_words_and_the_place_of_the_definition():
    definition = TargetDefinition.of(["零食", "坚果", " "], ["浙江"])
    act = FanActivity(items=2, texts=["这个坚果真好吃", "囤零食"])
    score = target_score(PERSON, act, definition)
    assert score.value == 1.0
    assert score.reasons == ["topic:零食", "topic:坚果", "location:浙江"]
    far = FanProfile(**{**PERSON.__dict__, "location": "海外 美国", "description": ""})
    assert target_score(far, FanActivity(texts=["坚果"]), definition).value == 0.3


def test_empty_definition_never_calls_anyone_a_target():
    assert target_score(PERSON, FanActivity(texts=["零食"]), TargetDefinition.of([])).value == 0
