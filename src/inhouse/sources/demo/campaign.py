"""Days 1-4: the co-branded 暖冬零食节 with 暖风家电, its hashtag, lottery and pop-up store."""

from __future__ import annotations

import datetime as dt

from inhouse.sources.demo import bank_brand, brand
from inhouse.sources.demo.builder import Node
from inhouse.sources.demo.people import (
    APPLIANCE_MEDIA,
    BUSINESSES,
    FOOD_BLOGGER,
    INDUSTRY_MEDIA,
    OFFICIAL,
    PARTNER,
    RETAIL_EXPERT,
    Person,
)
from inhouse.sources.demo.story import Ctx

STORY = "campaign"
_INDUSTRY = (FOOD_BLOGGER, INDUSTRY_MEDIA, APPLIANCE_MEDIA, RETAIL_EXPERT)


def _at(day: dt.datetime, hour: int, minute: int) -> dt.datetime:
    return day.replace(hour=hour, minute=minute)


def run(ctx: Ctx) -> dict:
    """Emit the campaign and return its ground truth."""
    b, rng, days = ctx.b, ctx.rng, ctx.days
    event_day = days[2]
    texts = bank_brand.campaign_texts(f"{event_day.month}月{event_day.day}日")
    posts: dict[str, Node] = {}

    def official(key: str, at: dt.datetime, author: Person = OFFICIAL) -> Node:
        node = b.emit("post", author, texts[key], at, intent="other", sentiment="positive",
                      story=STORY, pics=rng.randint(1, 9))
        posts[key] = node
        if author is PARTNER:
            ctx.partner_ids.append(node.id)
        return node

    announce = official("announce", _at(days[0], 10, 0))
    official("partner_announce", _at(days[0], 10, 6), PARTNER)
    partner_share = ctx.repost(announce, PARTNER, "一起暖一冬！礼盒里的暖手宝是我们特别设计的～",
                               _at(days[0], 10, 9), intent="cooperation", sentiment="positive", story=STORY)
    ctx.partner_ids.append(partner_share.id)
    # The lottery post draws a crowd of hopeful reposts; some repost the partner's share.
    ctx.crowd(announce, 420, 80, STORY, mean_minutes=300)
    for _ in range(ctx.n(1500)):
        parent = partner_share if rng.random() < 0.2 else announce
        ctx.repost(parent, ctx.fan(), bank_brand.lottery_repost(rng),
                   b.later(parent.at, 600), intent="other", sentiment="positive", story=STORY)
    ctx.crowd(posts["partner_announce"], 160, 60, STORY, mean_minutes=240)

    official("teaser", _at(days[1], 11, 30))
    official("partner_teaser", _at(days[1], 15, 10), PARTNER)
    ctx.crowd(posts["teaser"], 150, 40, STORY)
    ctx.crowd(posts["partner_teaser"], 60, 20, STORY)

    event_start, event_end = _at(event_day, 14, 0), _at(event_day, 20, 0)
    official("live", _at(event_day, 14, 5))
    official("partner_live", _at(event_day, 14, 32), PARTNER)
    ctx.crowd(posts["live"], 180, 50, STORY, mean_minutes=120)
    ctx.crowd(posts["partner_live"], 70, 25, STORY, mean_minutes=120)
    official("recap", _at(event_day, 21, 10))
    ctx.crowd(posts["recap"], 90, 25, STORY)
    official("lottery", _at(days[3], 20, 0))
    ctx.crowd(posts["lottery"], 120, 20, STORY)

    # Hashtag posts: a trickle on days 1-2, a wave during the pop-up, a tail after.
    hashtag_ids = []
    for day, count, lo, hi in ((days[0], 60, 10, 24), (days[1], 50, 8, 24), (event_day, 220, 14, 22),
                               (days[3], 40, 8, 24)):
        for _ in range(ctx.n(count)):
            node = b.emit("post", ctx.fan(), bank_brand.hashtag_post(rng), b.in_day(day, lo, hi),
                          intent="praise", sentiment="positive", story=STORY, pics=rng.randint(0, 4))
            if node is None:
                continue
            hashtag_ids.append(node.id)
            for _ in range(rng.choice((0, 0, 1, 2, 3))):
                ctx.comment(node, rng.choice(("other", "praise")), b.later(node.at, 90), STORY)

    # Industry figures and the partner engage; businesses write in with cooperation intent.
    for person in _INDUSTRY:
        for key in rng.sample(["announce", "partner_announce", "live", "recap"], 2):
            target = posts[key]
            line = rng.choice(bank_brand.INDUSTRY_COMMENTS[person.screen_name])
            at = b.later(target.at, 90)
            if rng.random() < 0.5:
                node = ctx.repost(target, person, line, at, intent="other", sentiment="positive", story=STORY)
            else:
                node = b.emit("comment", person, line, at, intent="other", sentiment="positive",
                              story=STORY, parent=target)
            if node is not None:
                ctx.partner_ids.append(node.id)
    for key in ("announce", "live", "recap"):
        node = b.emit("comment", PARTNER, rng.choice(("一起加油！", "现场见～", "谢谢大家的热情[心]")),
                      b.later(posts[key].at, 30), intent="cooperation", sentiment="positive",
                      story=STORY, parent=posts[key])
        ctx.partner_ids.append(node.id)
    for i, business in enumerate(BUSINESSES):
        at = b.in_day(days[i % 4 + 1 if i < 4 else 0], 9, 19)
        thread = ctx.dm_thread(business, at, "cooperation", STORY, answer_p=0.8,
                               text=bank_brand.cooperation_message(rng, business.screen_name),
                               sentiment="positive")
        ctx.partner_ids.extend(n.id for n in thread if n.author is business)
    blogger_dm = ctx.dm_thread(FOOD_BLOGGER, _at(days[1], 16, 20), "cooperation", STORY,
                               text="你好，我是吃遍江南的阿措，想做一期暖冬礼盒的测评和快闪店探店，能聊聊合作吗？",
                               sentiment="positive")
    ctx.partner_ids.extend(n.id for n in blogger_dm if n.author is FOOD_BLOGGER)

    return {
        "name": brand.CAMPAIGN_NAME, "hashtag": brand.HASHTAG,
        "partner": {"uid": PARTNER.uid, "screen_name": PARTNER.screen_name},
        "start": announce.at.isoformat(), "end": (_at(days[3], 23, 59)).isoformat(),
        "event": {"name": f"{brand.HASHTAG_WORD}联名快闪店", "place": f"{brand.EVENT_CITY}{brand.MALL_SPOT}",
                  "start": event_start.isoformat(), "end": event_end.isoformat()},
        "post_ids": {key: node.id for key, node in posts.items()},
        "partner_share_id": partner_share.id,
        "hashtag_post_ids": hashtag_ids,
    }
