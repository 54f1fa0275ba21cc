"""Campaigns: the agency plans, the live follow takes the hashtag and partner accounts during
the dates, and those on duty publish an instant post exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inhouse.access.models import AuditEntry
from inhouse.campaigns import actions, report
from inhouse.campaigns.intake import intake
from inhouse.campaigns.models import CampaignItem, InstantPost
from inhouse.content.models import Draft, State
from inhouse.outbox.send import send_write
from tests.campaigns.conftest import T0
from tests.inbox import factories as f
from tests.outbox.world import World, stub_analysis

pytestmark = pytest.mark.django_db


def test_the_agency_plans_but_does_not_choose_who_is_on_duty(campaign, cast):
    assert campaign.hashtag == "#小鹿暖冬零食节#"
    event = actions.add_event(campaign, cast["agency"], name="快闪店", place="云栖汇",
                              starts_at=T0 + dt.timedelta(days=2), ends_at=T0 + dt.timedelta(days=2, hours=6))
    actions.add_timeline_entry(event, cast["agency"], event.starts_at, "开门迎客，发布现场图文")
    assert [t.what for t in event.timeline.all()] == ["开门迎客，发布现场图文"]
    with pytest.raises(PermissionDenied):
        actions.set_on_duty(campaign, cast["agency"], [cast["agency"]])
    with pytest.raises(PermissionDenied):
        actions.create_campaign(campaign.workspace, cast["viewer"], name="x", starts_at=T0, ends_at=T0)
    with pytest.raises(actions.Refused, match="ends before"):
        actions.add_event(campaign, cast["agency"], name="倒着", starts_at=T0, ends_at=T0 - dt.timedelta(hours=1))
    assert set(AuditEntry.objects.filter(action__startswith="campaigns.").values_list("action", flat=True)) == {
        "campaigns.campaign.create", "campaigns.campaign.on_duty", "campaigns.event.add", "campaigns.timeline.add"}


def test_renaming_a_campaign_keeps_its_drafts(campaign, cast, workspace):
    from inhouse.content import actions as content

    draft = content.create_draft(workspace, cast["agency"], "暖冬礼盒来了", campaign="暖冬零食节")
    actions.update_campaign(campaign, cast["agency"], name="暖冬零食节2026", starts_at=campaign.starts_at,
                            ends_at=campaign.ends_at, hashtag=campaign.hashtag)
    draft.refresh_from_db()
    assert draft.campaign == "暖冬零食节2026"


def test_live_follow_takes_hashtag_and_partner_items_during_the_dates(campaign, workspace):
    brand = f.official(workspace)
    fan, partner = f.author("5001"), f.author("2002", "暖风家电官方")
    # factories count minutes from 2026-11-20 10:00 UTC; the campaign runs 20th 02:00 – 23rd 02:00
    post = f.item(workspace, "post", 0, "#小鹿暖冬零食节# 开启！", by=brand)
    tagged = f.item(workspace, "post", 5, "抢到礼盒 #小鹿暖冬零食节#", by=fan)
    by_partner = f.item(workspace, "comment", 6, "一起加油！", by=partner, parent=post)
    under = f.item(workspace, "comment", 7, "好想要", by=fan, parent=post)
    elsewhere = f.item(workspace, "post", 7, "今天好冷", by=fan)
    late = f.item(workspace, "post", 60 * 24 * 4, "#小鹿暖冬零食节# 还有吗", by=fan)
    dm = f.item(workspace, "message", 8, "#小鹿暖冬零食节# 私信", by=fan, root_platform_id="dm-5001")
    items = [post, tagged, by_partner, under, elsewhere, late, dm]
    assert intake(items) == 4
    assert dict(CampaignItem.objects.values_list("item_id", "reason")) == {
        post.pk: "official", tagged.pk: "hashtag", by_partner.pk: "partner", under.pk: "thread"}
    assert intake(items) == 0
    figures = report.build(campaign)
    assert (figures.items, len(figures.official_posts), figures.partners[0].own_items) == (4, 1, 1)
    assert figures.discussion_comments == 2
    assert figures.new_fans is None and figures.target_share is None


@pytest.fixture
def world(workspace, cast, keynote, monkeypatch):
    stub_analysis(monkeypatch)
    return World(workspace)


def test_an_instant_post_is_published_once_even_when_the_form_is_sent_twice(world, campaign, cast):
    nonce = "form-1"
    first = actions.instant_post(campaign, cast["operator"], "快闪店开门啦，鹿角脆现炸12.9元一袋 #小鹿零食#",
                                 nonce=nonce, send_soon=False)
    again = actions.instant_post(campaign, cast["operator"], "快闪店开门啦，鹿角脆现炸12.9元一袋 #小鹿零食#",
                                 nonce=nonce, send_soon=False)
    assert first.pk == again.pk and InstantPost.objects.count() == 1 == Draft.objects.count()
    draft = first.draft
    assert draft.state == State.PUBLISHED and draft.campaign == campaign.name
    assert "#小鹿暖冬零食节#" in draft.full_text
    assert [e.action for e in draft.events.all()] == ["create", "submit", "approve", "publish"]
    send_write(draft.write_id, client=world.client)
    send_write(draft.write_id, client=world.client)
    assert len([w for w in world.fake.writes if "快闪店开门啦" in w.get("text", "")]) == 1


def test_only_those_on_duty_who_may_publish_post_instantly(world, campaign, cast):
    with pytest.raises(PermissionDenied):  # the owner may publish but is not on duty
        actions.instant_post(campaign, cast["owner"], "现场图", nonce="a", send_soon=False)
    actions.set_on_duty(campaign, cast["owner"], [cast["operator"], cast["agency"]])
    with pytest.raises(PermissionDenied):  # on duty, but the agency never publishes
        actions.instant_post(campaign, cast["agency"], "现场图", nonce="b", send_soon=False)
    with pytest.raises(actions.Refused, match="keynote"):  # the keynote still applies
        actions.instant_post(campaign, cast["operator"], "全网最便宜 #小鹿零食#", nonce="c", send_soon=False)
    assert Draft.objects.count() == 0 and world.fake.writes == []
