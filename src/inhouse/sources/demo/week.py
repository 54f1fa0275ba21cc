"""The whole week: ordinary brand days, @mentions, private messages and spam waves, with
the campaign (days 1-4) and the crisis (day 5-7) woven in. ``generate`` is the entry point."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from inhouse.sources.demo import bank_brand, bank_crisis, bank_customer, brand, campaign, crisis
from inhouse.sources.demo.builder import Builder, Node
from inhouse.sources.demo.people import CST, NAMED, OFFICIAL, make_bots, make_fans
from inhouse.sources.demo.story import MENTION_MIX, Ctx

DAYS = 7
CRISIS_DAY = 5  # 1-based, as people say it
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Slots of the brand's own posts (hour, minute); fewer on the crisis days.
_POST_SLOTS = ((9, 30), (12, 10), (17, 45), (21, 0))


@dataclass
class Scenario:
    """Records in the format of inhouse.pipeline.records (sorted by time) and their truth."""

    seed: int
    start: dt.date
    records: list[dict]
    truth: dict

    def to_jsonl(self) -> str:
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in self.records)

    def truth_json(self) -> str:
        return json.dumps(self.truth, ensure_ascii=False, indent=1) + "\n"


def default_start(today: dt.date | None = None) -> dt.date:
    """The start that makes day 7 today in Beijing time, so the desk's today is the last day."""
    today = today or dt.datetime.now(SHANGHAI).date()
    return today - dt.timedelta(days=DAYS - 1)


def generate(seed: int = 2026, start: dt.date | None = None, scale: float = 1.0) -> Scenario:
    """Generate the week; the same seed and start give byte-identical records and truth.
    ``scale`` multiplies crowd sizes (1.0 is about 20,000 items; tests use 0.1)."""
    start = start or default_start()
    rng = random.Random(f"inhouse-demo/{seed}/{start.isoformat()}")
    day0 = dt.datetime(start.year, start.month, start.day, tzinfo=CST)
    days = [day0 + dt.timedelta(days=i) for i in range(DAYS)]
    builder = Builder(rng=rng, end=day0 + dt.timedelta(days=DAYS))
    fans = make_fans(rng, max(400, int(9000 * min(scale, 1.0))), day0)
    bots = make_bots(rng, max(40, int(500 * min(scale, 1.0))), day0)
    ctx = Ctx(builder, rng, days, fans, bots, scale)

    campaign_truth = campaign.run(ctx)
    crisis_posts: list[Node] = []
    brand_posts: list[str] = []
    for index, day in enumerate(days):
        # The brand posts less while the incident is open, and resumes after the follow-up.
        slots = {CRISIS_DAY - 1: _POST_SLOTS[:2], CRISIS_DAY: _POST_SLOTS[2:3],
                 CRISIS_DAY + 1: _POST_SLOTS[1:]}.get(index, _POST_SLOTS)
        for hour, minute in slots:
            post = _brand_post(ctx, day.replace(hour=hour, minute=minute + rng.randrange(10)))
            brand_posts.append(post.id)
            if index == CRISIS_DAY - 1:
                crisis_posts.append(post)
        _mentions(ctx, day, 175)
        _messages(ctx, day, 90)
    crisis_truth = crisis.run(ctx, crisis_posts)
    spam_waves = [_spam_wave(ctx, days[1].replace(hour=21, minute=15), 120, 0),
                  _spam_wave(ctx, days[3].replace(hour=2, minute=40), 90, 1)]

    records = builder.finish()
    labels = builder.labels
    truth = {
        "seed": seed, "start": start.isoformat(), "scale": scale,
        "days": [d.date().isoformat() for d in days], "crisis_day": days[CRISIS_DAY - 1].date().isoformat(),
        **brand.brand_facts(),
        "accounts": [{"uid": p.uid, "screen_name": p.screen_name, "role": p.role,
                      "followers_count": p.followers_count, "verified_type": p.verified_type} for p in NAMED],
        "brand_post_ids": brand_posts,
        "campaign": campaign_truth,
        "crisis": crisis_truth,
        "partner_interaction_ids": ctx.partner_ids,
        "consultations": ctx.consultations,
        "spam_waves": spam_waves,
        "items": {r["id"]: labels[r["id"]] for r in records},
    }
    return Scenario(seed, start, records, truth)


def _brand_post(ctx: Ctx, at: dt.datetime) -> Node:
    text = bank_brand.daily_post(ctx.rng, at.weekday())
    post = ctx.b.emit("post", OFFICIAL, text, at, intent="other", sentiment="positive",
                      story="brand", pics=ctx.rng.randint(0, 9))
    ctx.crowd(post, ctx.rng.choice((90, 140, 200, 260)), ctx.rng.choice((25, 45, 80)), "brand")
    return post


def _mentions(ctx: Ctx, day: dt.datetime, count: int) -> None:
    """Users' own posts addressing the brand, each with a few comments and maybe an answer."""
    rng, b = ctx.rng, ctx.b
    intents, weights = list(MENTION_MIX), list(MENTION_MIX.values())
    for _ in range(ctx.n(count)):
        intent = rng.choices(intents, weights)[0]
        text, sentiment, fact = ctx.say(intent)
        text = (bank_customer.mention_prefix(rng) if intent != "consultation" else "@小鹿零食官方微博 ") + text
        if intent == "other":
            text += rng.choice(("", " 晒一下今天的零食", " 有人一起吗", ""))
        author = ctx.bot() if intent == "spam" else ctx.fan()
        node = b.emit("post", author, text, b.in_day(day), intent=intent, sentiment=sentiment,
                      story="mention", pics=rng.choice((0, 0, 0, 1, 3)))
        if node is None:
            continue
        if fact:
            ctx.consultations.append({"id": node.id, "fact_id": fact, "channel": "mention"})
        for _ in range(rng.choice((0, 0, 1, 1, 2, 4))):
            ctx.comment(node, rng.choice(("other", "other", "praise")), b.later(node.at, 120), "mention")
        ctx.maybe_answer(node, intent, fact, "mention", p_consult=0.6)


def _messages(ctx: Ctx, day: dt.datetime, count: int) -> None:
    rng = ctx.rng
    for _ in range(ctx.n(count)):
        intent = rng.choices(("consultation", "complaint", "praise", "spam"), (62, 26, 7, 5))[0]
        customer = ctx.bot() if intent == "spam" else ctx.fan()
        # The last evening's messages mostly still wait for the team (the desk's queue).
        late = day == ctx.days[-1] and rng.random() < 0.7
        ctx.dm_thread(customer, ctx.b.in_day(day, 7, 24), intent, "message",
                      answer_p=0.1 if late else (0.0 if intent == "spam" else 0.8))


def _spam_wave(ctx: Ctx, at: dt.datetime, count: int, family: int) -> dict:
    """Bots flood one busy brand post within half an hour with near-identical ads."""
    b = ctx.b
    posts = [r for r in b.records if r["kind"] == "post" and r["author"]["uid"] == OFFICIAL.uid
             and r["created_at"] < at.isoformat()]
    target = posts[-1]
    node = Node(target["id"], "post", OFFICIAL, target["text"], dt.datetime.fromisoformat(target["created_at"]))
    ids = []
    for _ in range(ctx.n(count)):
        made = b.emit("comment", ctx.bot(), bank_crisis.spam(ctx.rng, family=family),
                      at + dt.timedelta(seconds=ctx.rng.randint(0, 1800)), intent="spam",
                      sentiment="neutral", story="spam", parent=node)
        if made is not None:
            ids.append(made.id)
    return {"target_id": target["id"], "start": at.isoformat(), "item_ids": ids}
