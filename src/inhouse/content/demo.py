"""The demo's content: a keynote, three agency drafts waiting for review, two posts for today.

Called by the demo loader (``seed_demo_content``). The drafts are seeded so the keynote
checks have something to catch: one clean, one using a banned word, one stating a price that
contradicts the knowledge base. Idempotent: a workspace that has a keynote is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from inhouse.content import actions
from inhouse.content.models import Draft, Keynote
from inhouse.core.models import Workspace
from inhouse.knowledge.models import Entry

BANNED = ["最便宜", "秒杀全网", "史上最", "国家级"]
SENSITIVE = ["第一", "治愈", "药"]
VOICE = ("像朋友一样说话：亲切、俏皮、不夸大。多用“我们”，少用感叹号堆叠；"
         "价格只写知识库里的官方价，活动价写明“活动价”。不碰社会热点玩梗。")


@dataclass
class DemoContent:
    keynote: Keynote | None = None
    review: list[Draft] = field(default_factory=list)  # clean, banned word, wrong price
    scheduled: list[Draft] = field(default_factory=list)


@transaction.atomic
def seed_demo_content(workspace: Workspace, owner: AbstractBaseUser,
                      agency: AbstractBaseUser) -> DemoContent:
    """Keynote, review queue and today's schedule for the demo workspace (once)."""
    if Keynote.objects.filter(workspace=workspace).exists():
        return DemoContent()
    # Lazy: the demo's fixed cast lives with the demo generator, a layer above this window.
    from inhouse.sources.demo import brand

    _ensure_price_entries(workspace, owner, brand.PRODUCTS)
    keynote = actions.save_keynote(
        workspace, owner, voice=VOICE, banned_words=BANNED, sensitive_words=SENSITIVE,
        required_tags={brand.CAMPAIGN_NAME: [brand.HASHTAG, f"@{brand.PARTNER_NAME}"]},
        products={p.name: list(p.aliases) for p in brand.PRODUCTS})
    review = []
    for text, campaign in (
        (f"降温了，窝在沙发上追剧，来一袋鹿角脆（12.9元/80g）刚刚好。海苔味和原味都有现货，"
         f"芝士味这周补货。{brand.HASHTAG} @{brand.PARTNER_NAME}", brand.CAMPAIGN_NAME),
        (f"全网最便宜的冬日零食清单来啦！雪糯麻薯、松林牛肉粒，囤起来！{brand.HASHTAG} "
         f"@{brand.PARTNER_NAME}", brand.CAMPAIGN_NAME),
        ("周末福利：鹿角脆 9.9元一袋，冻干草莓脆16.9元，手慢无～", ""),
    ):
        draft = actions.create_draft(workspace, agency, text, campaign=campaign)
        review.append(actions.submit_for_review(draft, agency))
    scheduled = []
    now = timezone.localtime()
    slots = [now.replace(hour=h, minute=m, second=0, microsecond=0) for h, m in ((20, 0), (21, 30))]
    if slots[0] <= now:
        slots = [now + dt.timedelta(minutes=15), now + dt.timedelta(minutes=45)]
    for text, when in zip((
        f"{brand.MALL_SPOT}的暖冬快闪店今晚也开着，暖手宝联名礼盒限量3000盒，168元一盒。"
        f"{brand.HASHTAG} @{brand.PARTNER_NAME}",
        f"晚安前的小问题：你最爱鹿角脆的哪个口味？原味、海苔味还是芝士味？评论区告诉我们～"
        f"{brand.HASHTAG} @{brand.PARTNER_NAME}",
    ), slots, strict=True):
        draft = actions.create_draft(workspace, owner, text, campaign=brand.CAMPAIGN_NAME)
        actions.submit_for_review(draft, owner)
        actions.approve_draft(draft, owner)
        scheduled.append(actions.schedule_draft(draft, owner, when))
    return DemoContent(keynote, review, scheduled)


def _ensure_price_entries(workspace: Workspace, owner: AbstractBaseUser, products) -> None:
    """The price facts the keynote checks against, when the knowledge base lacks them.

    Same external ids as the demo's knowledge base (``<product>-price``), so importing the
    full knowledge base later updates these entries instead of duplicating them.
    """
    from inhouse.knowledge.actions import create_entry

    have = set(Entry.objects.filter(workspace=workspace).values_list("external_id", flat=True))
    for p in products:
        if f"{p.key}-price" not in have:
            create_entry(workspace, owner, question=f"{p.name}多少钱？", tags=[p.name],
                         answer=f"{p.name}官方旗舰店售价{p.price}（{p.spec}），活动价以店铺页面为准。",
                         external_id=f"{p.key}-price")
