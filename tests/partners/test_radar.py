"""The radar: directory accounts' interactions and cooperation intent become cards."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from inhouse.access.models import AuditEntry
from inhouse.channels.models import Delivery
from inhouse.partners import actions, cues
from inhouse.partners.intake import intake
from inhouse.partners.models import CardKind, CardState, Opportunity, Signal
from tests.inbox import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workspace, cast):
    brand = f.official(workspace)
    post = f.item(workspace, "post", 0, "暖冬零食节开始啦", by=brand)
    partner = actions.add_contact(workspace, cast["owner"], name="暖风家电", category="partner",
                                  weibo_uid="2002", weibo_name="暖风家电官方", owner=cast["operator"])
    return {"brand": brand, "post": post, "partner": partner}


def test_cues_name_the_kind_of_cooperation():
    assert cues.detect("我们想赞助你们的露营活动").kind == cues.SPONSORSHIP
    assert cues.detect("诚邀小鹿零食参加年货节").kind == cues.INVITATION
    assert cues.detect("能和你们做个联名吗").kind == cues.CO_BRANDING
    assert cues.detect("我们也想探讨一下联名新品").kind in (cues.CO_BRANDING, cues.BUSINESS)
    assert cues.detect("想和贵司聊聊门店铺货").kind == cues.BUSINESS
    # fans admiring the co-branded box, customers ordering for the office: not leads
    for text in ("抢到联名礼盒了，暖手宝好可爱", "公司想团购50盒，能开发票吗", "年会福利想订一批零食，找谁对接",
                 "这个联名有点意思，零食+家电", "求中奖求中奖，想要联名礼盒！", "请问想要联名礼盒，一直没抢到？"):
        assert cues.detect(text) is None, text


def test_a_directory_account_comment_opens_a_card_for_its_owner(world, workspace, cast):
    comment = f.item(workspace, "comment", 5, "一起加油！", by=f.author("2002", "暖风家电官方"),
                     parent=world["post"])
    assert intake([comment]) == 1
    card = Opportunity.objects.get()
    assert (card.kind, card.contact, card.owner, card.state) == (
        CardKind.INTERACTION, world["partner"], cast["operator"], CardState.NEW)
    assert card.seen_at is None  # the owner's unread notification
    assert AuditEntry.objects.filter(action="partners.card.open").count() == 1


def test_cooperation_from_a_stranger_goes_to_the_default_owner(world, workspace, cast):
    stranger = f.author("3003", "青禾茶饮官方")
    by_intent = f.item(workspace, "comment", 5, "求合作！商务已私信", by=stranger, parent=world["post"],
                       intent="cooperation")
    # labelled consultation by the NLP stage, found by the radar's own cue
    by_cue = f.item(workspace, "message", 7, "你好，想聊聊直播带货方面的事，方便吗？", by=f.author("3004"),
                    intent="consultation", root_platform_id="dm-3004")
    fan = f.item(workspace, "comment", 8, "抢到联名礼盒了", by=f.author("3005"), parent=world["post"])
    spam = f.item(workspace, "comment", 9, "合作加v 123", by=f.author("3006"), parent=world["post"], intent="spam")
    # labelled cooperation by the model, but a customer wanting the gift box
    buyer = f.item(workspace, "post", 10, "求中奖，想要联名礼盒！", by=f.author("3008"), intent="cooperation")
    assert intake([by_intent, by_cue, fan, spam, buyer]) == 2
    cards = {c.author.uid: c for c in Opportunity.objects.all()}
    assert set(cards) == {"3003", "3004"}
    assert all(c.kind == CardKind.COOPERATION and c.owner == cast["owner"] for c in cards.values())
    assert cards["3004"].cue == cues.BUSINESS
    actions.set_default_owner(workspace, cast["owner"], cast["operator"])
    later = f.item(workspace, "comment", 20, "想赞助你们的快闪店", by=f.author("3007"), parent=world["post"])
    intake([later])
    assert Opportunity.objects.get(author__uid="3007").owner == cast["operator"]


def test_one_card_per_author_and_thread_and_routing_twice_changes_nothing(world, workspace):
    biz = f.author("4004", "邻里优选便利店")
    first = f.item(workspace, "message", 1, "您好，想和小鹿零食聊聊门店铺货的合作", by=biz,
                   intent="cooperation", root_platform_id="dm-4004")
    nudge = f.item(workspace, "message", 30, "在吗？", by=biz, root_platform_id="dm-4004")
    elsewhere = f.item(workspace, "comment", 40, "已私信商务，求合作", by=biz, parent=world["post"],
                       intent="cooperation")
    assert intake([first, nudge, elsewhere]) == 3
    assert Opportunity.objects.count() == 2  # the DM thread and the comment thread
    dm = Opportunity.objects.get(key="4004:dm-4004")
    assert [s.item_id for s in dm.signals.all()] == [first.pk, nudge.pk]
    assert intake([first, nudge, elsewhere]) == 0
    assert Signal.objects.count() == 3


def test_a_new_card_is_sent_to_the_alert_channels(world, workspace, cast, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from inhouse.channels import actions as channels

    channels.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                         values={"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"})
    item = f.item(workspace, "comment", 0, "一起加油！", by=f.author("2002"), parent=world["post"])
    item.created_at = timezone.now()
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        intake([item])
    delivery = Delivery.objects.get()
    assert "暖风家电" in delivery.message["title"] and delivery.dedupe_key.startswith("partners:card:")


def test_card_moves_are_checked_and_audited(world, workspace, cast):
    comment = f.item(workspace, "comment", 5, "一起加油！", by=f.author("2002"), parent=world["post"])
    intake([comment])
    card = Opportunity.objects.get()
    with pytest.raises(PermissionDenied):
        actions.mark_contacted(card, cast["agency"])
    with pytest.raises(actions.Refused):
        actions.mark_won(card, cast["operator"])  # new → won skips the conversation
    with pytest.raises(actions.Refused, match="why"):
        actions.drop_card(card, cast["operator"], "")
    actions.mark_contacted(card, cast["operator"], "私信联系了对方市场部")
    actions.start_work(card, cast["operator"])
    card = actions.mark_won(card, cast["operator"], "签了春节联名")
    assert card.state == CardState.WON
    assert list(AuditEntry.objects.filter(action__startswith="partners.card.").exclude(
        action="partners.card.open").values_list("action", flat=True).order_by("id")) == [
        "partners.card.contacted", "partners.card.in_progress", "partners.card.won"]
    assert [e.to_state for e in card.events.all()] == ["new", "contacted", "in_progress", "won"]


def test_csv_import_adds_updates_and_names_bad_lines(workspace, cast, world):
    good = ("name,category,weibo_uid,weibo_name,owner,notes\n"
            "暖风家电,partner,2002,暖风家电官方,owner,续约\n"
            "食品产业观察,media,7390000012,食品产业观察,,\n")
    report = actions.import_contacts_csv(workspace, cast["operator"], good, source="d.csv")
    assert (report.added, report.updated, report.errors) == (1, 1, [])
    world["partner"].refresh_from_db()
    assert world["partner"].owner == cast["owner"] and world["partner"].notes == "续约"
    bad = ("name,category,weibo_uid,owner\n"
           "甲,partner,abc,\n"
           "乙,supplier,123,\n"
           "丙,media,124,nobody\n")
    report = actions.import_contacts_csv(workspace, cast["operator"], bad, source="bad.csv")
    assert report.added == 0 and len(report.errors) == 3
    assert report.errors[0].startswith("bad.csv line 2, weibo_uid")
    assert report.errors[1].startswith("bad.csv line 3, category")
    assert report.errors[2].startswith("bad.csv line 4, owner")
    report = actions.import_contacts_csv(workspace, cast["operator"], "name,kind\n甲,partner\n")
    assert "missing column(s) category" in report.errors[0] and "unknown column(s) kind" in report.errors[0]
    with pytest.raises(PermissionDenied):
        actions.import_contacts_csv(workspace, cast["agency"], good)
