"""The demo week's campaign: its hashtag discussion and the partner's posts are followed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from inhouse.campaigns import report
from inhouse.campaigns.demo import seed_demo_campaign
from inhouse.campaigns.models import CampaignItem
from inhouse.partners.demo import seed_demo_directory
from inhouse.sources.demo.week import generate

START = dt.date(2026, 11, 9)
SCALE = 0.04


@pytest.mark.django_db
def test_the_demo_campaign_follows_its_hashtag_and_partner(capsys):
    from inhouse.sources.demo import load

    workspace = load.ensure_workspace()
    load.ensure_users(workspace)
    users = get_user_model().objects
    owner, operator, agency = (users.get(username=f"demo-{r}") for r in ("owner", "operator", "agency"))
    seed_demo_directory(workspace, owner, operator)
    truth = generate(seed=2026, start=START, scale=SCALE).truth["campaign"]
    campaign = seed_demo_campaign(workspace, truth, owner=owner, operator=operator, agency=agency)
    assert seed_demo_campaign(workspace, truth, owner=owner, operator=operator, agency=agency) is None
    assert campaign.events.get().timeline.count() == 6
    assert set(campaign.on_duty.values_list("username", flat=True)) == {"demo-owner", "demo-operator"}

    load.load_demo(start=START, seed=2026, scale=SCALE)
    followed = set(CampaignItem.objects.filter(campaign=campaign).values_list("item__platform_id", flat=True))
    hashtag = set(truth["hashtag_post_ids"])
    partner_posts = {truth["post_ids"][k] for k in ("partner_announce", "partner_teaser", "partner_live")}
    brand_posts = set(truth["post_ids"].values()) - partner_posts
    assert hashtag <= followed and partner_posts <= followed and brand_posts <= followed
    figures = report.build(campaign)
    with capsys.disabled():
        print(f"\n[demo campaign] {figures.items} items followed, {len(figures.official_posts)} brand posts, "
              f"engagement {figures.engagement}, reach proxy {figures.reach}, partner items "
              f"{figures.partners[0].own_items}, sentiment {figures.sentiment}")
    assert figures.partners[0].own_posts == 3 and figures.partners[0].discussion > 0
