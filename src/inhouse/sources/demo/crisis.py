"""Day 5: dead flies in a sealed bag of 鹿角脆 — the post, the spread through reposts and
influential accounts, the pile-on, the brand's contact and apology; days 6-7: the follow-up."""

from __future__ import annotations

import datetime as dt

from inhouse.sources.demo import bank_crisis
from inhouse.sources.demo.builder import Node
from inhouse.sources.demo.people import (
    CONSUMER_KOL,
    CRISIS_POSTER,
    GOSSIP_KOL,
    LOCAL_MEDIA,
    OFFICIAL,
    SAFETY_BLOGGER,
    Person,
)
from inhouse.sources.demo.story import Ctx

STORY = "crisis"
_MIX_ON_POST = {"negative": 72, "doubt": 18, "consultation": 10}
# (account, minutes after the first post, own words, what they repost, cascade size)
_KEY = (
    (SAFETY_BLOGGER, 83, "大家看看，封口完好的袋子里有苍蝇。@小鹿零食官方微博 请给消费者一个解释。", "first", 520),
    (LOCAL_MEDIA, 138, "【杭州一市民称在小鹿零食鹿角脆中吃出苍蝇】记者已联系品牌方，暂未得到回复。", "safety", 460),
    (CONSUMER_KOL, 213, "遇到这种情况先保留实物和购买凭证，别自己扔了，可以向12315投诉。", "first", 260),
    (GOSSIP_KOL, 262, "[吃瓜]零食里吃出苍蝇，评论区已经炸了", "media", 300),
)


def run(ctx: Ctx, brand_posts_today: list[Node]) -> dict:
    """Emit the incident; ``brand_posts_today`` are the brand's ordinary posts that day,
    which catch angry comments. Returns the incident's ground truth."""
    b, rng = ctx.b, ctx.rng
    day5, day6, day7 = ctx.days[4], ctx.days[5], ctx.days[6]
    start = day5.replace(hour=11, minute=47, second=12)
    first = b.emit("post", CRISIS_POSTER, bank_crisis.FIRST_POST, start, intent="complaint",
                   sentiment="negative", story=STORY, pics=4)
    ids: list[str] = [first.id]

    def keep(node: Node | None) -> Node | None:
        if node is not None:
            ids.append(node.id)
        return node

    # Early hour: the poster's own circle.
    for _ in range(ctx.n(45)):
        keep(ctx.repost(first, ctx.fan(), bank_crisis.repost_comment(rng), b.later(start, 50, rhythm=False),
                        intent="complaint", sentiment="negative", story=STORY, concerns=False))
    # Key reposters, each starting a cascade whose reposts carry the //@ chain.
    key_nodes: dict[str, Node] = {"first": first}
    key_info = []
    for person, minutes, own, source, size in _KEY:
        parent = first if source == "first" else key_nodes[source]
        node = keep(ctx.repost(parent, person, own, start + dt.timedelta(minutes=minutes),
                               intent="complaint", sentiment="negative", story=STORY, concerns=False))
        key_nodes[{SAFETY_BLOGGER: "safety", LOCAL_MEDIA: "media"}.get(person, person.uid)] = node
        key_info.append({"id": node.id, "uid": person.uid, "screen_name": person.screen_name,
                         "followers_count": person.followers_count, "at": node.at.isoformat()})
        _cascade(ctx, node, size, ids)
        for _ in range(ctx.n(size // 8)):
            keep(_react(ctx, node, b.later(node.at, 90, rhythm=False)))
    _cascade(ctx, first, 220, ids)

    # The pile-on under the original post, through the afternoon and evening.
    for _ in range(ctx.n(750)):
        keep(_react(ctx, first, b.later(start + dt.timedelta(minutes=70), 200, rhythm=False)))
    # Angry comments land on whatever the brand posted that day.
    for post in brand_posts_today:
        for _ in range(ctx.n(90)):
            at = b.later(max(post.at, start + dt.timedelta(minutes=90)), 150)
            keep(b.emit("comment", ctx.fan(), bank_crisis.negative_comment(rng), at, intent="complaint",
                        sentiment="negative", story=STORY, parent=post))
    # Worried customers write their own posts and private messages.
    for _ in range(ctx.n(260)):
        at = b.later(start + dt.timedelta(minutes=100), 240)
        text = "@小鹿零食官方微博 " + rng.choice((
            "看到鹿角脆吃出苍蝇的新闻，我家还有{n}袋，能退吗？", "鹿角脆苍蝇事件什么时候给说法？",
            "刚买的鹿角脆还没拆，是不是同一批次？", "苍蝇那个事是真的吗？我都不敢给孩子吃了",
            "出了这种事还不回应？", "鹿角脆的生产日期怎么查批次？")).replace("{n}", str(rng.randint(2, 8)))
        keep(b.emit("post", ctx.fan(), text, at, intent="complaint", sentiment="negative", story=STORY))
    for _ in range(ctx.n(70)):
        at = b.later(start + dt.timedelta(minutes=120), 300)
        text = rng.choice(("我买的鹿角脆是不是同一批？能查一下吗", "苍蝇的事怎么回事，我要退货", "家里还有鹿角脆，能退吗",
                           "你们工厂的卫生到底怎么样？"))
        for node in ctx.dm_thread(ctx.fan(), at, "complaint", STORY, answer_p=0.5, text=text, sentiment="negative"):
            ids.append(node.id)

    # The next day the talk goes on, slower: late reposts and posts asking for the result.
    for _ in range(ctx.n(260)):
        at = b.in_day(day6, 7, 24)
        if rng.random() < 0.5:
            keep(ctx.repost(first, ctx.fan(), bank_crisis.repost_comment(rng), at, intent="complaint",
                            sentiment="negative", story=STORY, concerns=False))
        else:
            keep(_react(ctx, first, at))

    # The brand's response: public reply, private contact, apology.
    contact_reply = keep(b.emit("reply", OFFICIAL, bank_crisis.OFFICIAL_CONTACT_REPLY,
                                start + dt.timedelta(minutes=228), intent="other", sentiment="neutral",
                                story=STORY, parent=first))
    root = f"dm-{CRISIS_POSTER.uid}"
    dm1 = keep(b.emit("message", OFFICIAL, bank_crisis.OFFICIAL_DM, start + dt.timedelta(minutes=233),
                      intent="other", sentiment="neutral", story=STORY, root_id=root))
    dm2 = keep(b.emit("message", CRISIS_POSTER, bank_crisis.CUSTOMER_DM[0], start + dt.timedelta(minutes=262),
                      intent="complaint", sentiment="negative", story=STORY, parent=dm1, root_id=root))
    dm3 = keep(b.emit("message", OFFICIAL, bank_crisis.OFFICIAL_DM_2, start + dt.timedelta(minutes=270),
                      intent="other", sentiment="neutral", story=STORY, parent=dm2, root_id=root))
    keep(b.emit("message", CRISIS_POSTER, bank_crisis.CUSTOMER_DM[1], start + dt.timedelta(minutes=281),
                intent="other", sentiment="neutral", story=STORY, parent=dm3, root_id=root))
    apology = keep(b.emit("post", OFFICIAL, bank_crisis.APOLOGY, day5.replace(hour=21, minute=30),
                          intent="other", sentiment="neutral", story=STORY, pics=1))
    _responses(ctx, apology, 520, 160, bank_crisis.after_apology, ids)
    # Scammers posing as after-sales ride the apology's traffic (a bot wave).
    wave_at = day5.replace(hour=22, minute=40)
    for _ in range(ctx.n(140)):
        keep(b.emit("comment", ctx.bot(), bank_crisis.spam(rng, family=rng.choice((2, 5))),
                    wave_at + dt.timedelta(seconds=rng.randint(0, 1500)), intent="spam",
                    sentiment="neutral", story="spam", parent=apology))

    update = keep(b.emit("post", CRISIS_POSTER, bank_crisis.CUSTOMER_UPDATE, day6.replace(hour=14, minute=20),
                         intent="other", sentiment="neutral", story=STORY, pics=1))
    _responses(ctx, update, 160, 40, bank_crisis.after_apology, ids)
    follow_up = keep(b.emit("post", OFFICIAL, bank_crisis.FOLLOW_UP, day7.replace(hour=10, minute=0),
                            intent="other", sentiment="positive", story=STORY, pics=2))
    _responses(ctx, follow_up, 320, 110, bank_crisis.after_follow_up, ids)

    return {
        "start": start.isoformat(), "first_post_id": first.id,
        "first_poster": {"uid": CRISIS_POSTER.uid, "screen_name": CRISIS_POSTER.screen_name},
        "key_reposts": key_info, "key_repost_ids": [k["id"] for k in key_info],
        "official_contact_ids": [contact_reply.id, dm1.id, dm3.id],
        "apology_id": apology.id, "customer_update_id": update.id, "follow_up_id": follow_up.id,
        "item_ids": ids, "keywords": ["苍蝇", "鹿角脆", "异物", "恶心", "食品安全"],
    }


def _react(ctx: Ctx, target: Node, at: dt.datetime) -> Node | None:
    rng = ctx.rng
    kind = rng.choices(list(_MIX_ON_POST), list(_MIX_ON_POST.values()))[0]
    if kind == "negative":
        text, intent, sentiment = bank_crisis.negative_comment(rng), "complaint", "negative"
    elif kind == "doubt":
        text, intent, sentiment = bank_crisis.doubt_comment(rng), "other", "neutral"
    else:
        text = rng.choice(("我买的也是原味80g的，怎么查批次？", "这批次的还能退吗？", "在哪个平台买的？",
                           "同一批次的还在卖吗？"))
        intent, sentiment = "consultation", "negative"
    return ctx.b.emit("comment", ctx.fan(), text, at, intent=intent, sentiment=sentiment,
                      story=STORY, parent=target)


def _cascade(ctx: Ctx, seed: Node, size: int, ids: list[str]) -> None:
    """Reposts spreading from ``seed``: most repost it, some repost an earlier repost,
    which builds //@ chains several levels deep."""
    rng, b = ctx.rng, ctx.b
    wave: list[Node] = [seed]
    for _ in range(ctx.n(size)):
        parent = seed if rng.random() < 0.72 or len(wave) == 1 else wave[rng.randrange(1, len(wave))]
        author: Person = ctx.fan()
        node = ctx.repost(parent, author, bank_crisis.repost_comment(rng),
                          b.later(parent.at, 70, rhythm=False), intent="complaint",
                          sentiment="negative", story=STORY, concerns=False)
        if node is not None:
            wave.append(node)
            ids.append(node.id)


def _responses(ctx: Ctx, post: Node, comments: int, reposts: int, bank, ids: list[str]) -> None:
    b = ctx.b
    for _ in range(ctx.n(comments)):
        text, sentiment = bank(ctx.rng)
        intent = {"negative": "complaint", "positive": "praise"}.get(sentiment, "other")
        node = b.emit("comment", ctx.fan(), text, b.later(post.at, 150), intent=intent,
                      sentiment=sentiment, story=STORY, parent=post)
        if node is not None:
            ids.append(node.id)
    for _ in range(ctx.n(reposts)):
        text, sentiment = bank(ctx.rng)
        node = ctx.repost(post, ctx.fan(), text, b.later(post.at, 200), intent="other",
                          sentiment=sentiment, story=STORY)
        if node is not None:
            ids.append(node.id)
