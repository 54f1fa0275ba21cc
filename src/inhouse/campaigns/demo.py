"""The demo's campaign: 小鹿暖冬零食节 × 暖风家电, with its pop-up store and run sheet.

Called by the demo loader before the week is routed (so the live follow and the report fill
as the week arrives), with the campaign part of the week's ground truth
(``scenario.truth["campaign"]``). Idempotent: a workspace with that campaign is left alone.
The partner account comes from the directory (partners.demo), created there if missing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from inhouse.campaigns import actions
from inhouse.campaigns.models import Campaign
from inhouse.core.models import Workspace
from inhouse.partners import actions as partners
from inhouse.partners.models import Category, Contact

GOAL = ("冬季新品礼盒上市：联名暖风家电，线上话题+线下快闪店，带动礼盒预售与新粉增长；"
        "目标话题阅读量与讨论量高于上次节日活动，快闪店到店打卡500人次。")


@transaction.atomic
def seed_demo_campaign(workspace: Workspace, truth: dict, *, owner: AbstractBaseUser,
                       operator: AbstractBaseUser, agency: AbstractBaseUser) -> Campaign | None:
    """The campaign planned by the agency, with the owner and operator on duty (once)."""
    if Campaign.objects.filter(workspace=workspace, name=truth["name"]).exists():
        return None
    partner = truth["partner"]
    contact = Contact.objects.filter(workspace=workspace, weibo_uid=partner["uid"]).first()
    if contact is None:
        contact = partners.add_contact(workspace, owner, name=partner["screen_name"], category=Category.PARTNER,
                                       weibo_uid=partner["uid"], weibo_name=partner["screen_name"],
                                       owner=operator)
    campaign = actions.create_campaign(
        workspace, agency, name=truth["name"], goal=GOAL, hashtag=truth["hashtag"],
        starts_at=dt.datetime.fromisoformat(truth["start"]), ends_at=dt.datetime.fromisoformat(truth["end"]),
        partners=[contact])
    actions.set_on_duty(campaign, owner, [owner, operator])
    event = truth["event"]
    start, end = dt.datetime.fromisoformat(event["start"]), dt.datetime.fromisoformat(event["end"])
    popup = actions.add_event(campaign, agency, name=event["name"], place=event["place"], starts_at=start,
                              ends_at=end, notes="联名礼盒现场发售、拍照墙、鹿角脆现炸试吃；暖风家电取暖器体验区")
    for offset, what in ((-180, "布场完成，物料与礼盒到位，双方负责人现场确认"),
                         (0, "开门迎客，官方微博发布现场图文（值班人即时发布）"),
                         (30, "暖风家电官方微博同步发布现场"),
                         (180, "现场抽奖第一轮"),
                         (360, "闭店，清点礼盒销量"),
                         (430, "发布活动回顾")):
        actions.add_timeline_entry(popup, agency, start + dt.timedelta(minutes=offset), what)
    return campaign
