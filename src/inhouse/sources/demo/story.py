"""Shared moves of the storylines: a crowd under a post, reposts with //@ chains, an
official answer, a private-message thread. Every move labels what it emits."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from inhouse.sources.demo import bank_brand, bank_crisis, bank_customer
from inhouse.sources.demo.builder import Builder, Node
from inhouse.sources.demo.people import OFFICIAL, Person

# Intent mix of comments under an ordinary brand post.
COMMENT_MIX = {"praise": 34, "consultation": 24, "other": 26, "complaint": 7, "spam": 8, "cooperation": 1}
MENTION_MIX = {"praise": 38, "consultation": 30, "complaint": 16, "other": 14, "spam": 2}
_CHAIN_LIMIT = 240  # Weibo keeps long chains; we cut so texts stay readable


@dataclass
class Ctx:
    b: Builder
    rng: random.Random
    days: list[dt.datetime]
    fans: list[Person]
    bots: list[Person]
    scale: float
    consultations: list[dict] = field(default_factory=list)
    partner_ids: list[str] = field(default_factory=list)

    def n(self, count: float) -> int:
        """A crowd size at this scale; story-critical singles are emitted unscaled."""
        return max(1, round(count * self.scale * self.rng.uniform(0.8, 1.2)))

    def fan(self) -> Person:
        # Squared uniform: a core of regulars writes often, the long tail once.
        return self.fans[int(len(self.fans) * self.rng.random() ** 2)]

    def bot(self) -> Person:
        return self.bots[self.rng.randrange(len(self.bots))]

    # --- single moves ----------------------------------------------------------------------
    def say(self, intent: str, parent: Node | None = None) -> tuple[str, str, str | None]:
        """Text, sentiment and (for consultations) the answering fact id for an intent."""
        rng = self.rng
        if intent == "praise":
            return bank_customer.praise(rng), "positive", None
        if intent == "complaint":
            return bank_customer.complaint(rng), "negative", None
        if intent == "consultation":
            text, _topic, fact = bank_customer.consultation(rng)
            return text, "neutral", fact
        if intent == "spam":
            return bank_crisis.spam(rng), "neutral", None
        if intent == "cooperation":
            return bank_brand.cooperation_comment(rng), "positive", None
        return bank_customer.chatter(rng), "neutral", None

    def comment(self, parent: Node, intent: str, at: dt.datetime, story: str,
                author: Person | None = None) -> Node | None:
        author = author or (self.bot() if intent == "spam" else self.fan())
        text, sentiment, fact = self.say(intent, parent)
        node = self.b.emit("comment", author, text, at, intent=intent, sentiment=sentiment,
                           story=story, parent=parent)
        if node is not None and fact:
            self.consultations.append({"id": node.id, "fact_id": fact, "channel": "comment"})
        if node is not None:
            self.maybe_answer(node, intent, fact, story)
        return node

    def maybe_answer(self, node: Node, intent: str, fact: str | None, story: str,
                     p_consult: float = 0.45) -> Node | None:
        """The official account answers some comments and mentions (kind reply)."""
        rng = self.rng
        p = {"consultation": p_consult, "complaint": 0.5, "praise": 0.06}.get(intent, 0.0)
        if rng.random() >= p:
            return None
        name = node.author.screen_name
        if intent == "consultation":
            text = bank_brand.answer(rng, fact, name)
        elif intent == "complaint":
            text = bank_brand.sorry(rng, name)
        else:
            text = bank_brand.thanks(rng, name)
        at = self.b.later(node.at, 45, rhythm=False)
        if at.hour < 9 or at.hour >= 22:  # the team answers in service hours
            at = at.replace(hour=9, minute=rng.randrange(50)) + (dt.timedelta(days=1) if at.hour >= 22 else dt.timedelta())
        return self.b.emit("reply", OFFICIAL, text, at, intent="other",
                           sentiment="positive" if intent == "praise" else "neutral",
                           story=story, parent=node)

    def repost(self, parent: Node, author: Person, own: str, at: dt.datetime, *, intent: str,
               sentiment: str, story: str, concerns: bool = True) -> Node | None:
        """A repost; reposting a repost carries its text on as ``//@name:`` (Weibo's chain)."""
        text = own or "转发微博"
        if parent.kind == "repost":
            text = f"{own}//@{parent.author.screen_name}:{parent.text}"[:_CHAIN_LIMIT]
        return self.b.emit("repost", author, text, at, intent=intent, sentiment=sentiment,
                           story=story, parent=parent, concerns=concerns)

    def crowd(self, post: Node, comments: int, reposts: int, story: str,
              mix: dict[str, int] | None = None, mean_minutes: float = 180) -> list[Node]:
        """Comments (some answered) and reposts under a post, spread over the next hours."""
        mix = mix or COMMENT_MIX
        intents, weights = list(mix), list(mix.values())
        out: list[Node] = []
        for _ in range(self.n(comments)):
            intent = self.rng.choices(intents, weights)[0]
            node = self.comment(post, intent, self.b.later(post.at, mean_minutes), story)
            if node is None:
                continue
            out.append(node)
            if self.rng.random() < 0.06:  # another fan joins under the comment
                self.b.emit("comment", self.fan(), "回复@" + node.author.screen_name + ":" + bank_customer.chatter(self.rng),
                            self.b.later(node.at, 60), intent="other", sentiment="neutral",
                            story=story, parent=node, root_id=post.id)
        shared: list[Node] = [post]
        for _ in range(self.n(reposts)):
            parent = shared[-1] if len(shared) > 1 and self.rng.random() < 0.15 else post
            own, sentiment, intent = ("", "neutral", "other")
            roll = self.rng.random()
            if roll < 0.35:
                own, sentiment, intent = bank_customer.praise(self.rng), "positive", "praise"
            elif roll < 0.7:
                own = bank_customer.chatter(self.rng)
            node = self.repost(parent, self.fan(), own, self.b.later(parent.at, mean_minutes),
                               intent=intent, sentiment=sentiment, story=story)
            if node is not None:
                shared.append(node)
                out.append(node)
        return out

    def dm_thread(self, customer: Person, at: dt.datetime, intent: str, story: str,
                  answer_p: float = 0.75, text: str | None = None, fact: str | None = None,
                  sentiment: str | None = None) -> list[Node]:
        """A private conversation: the customer writes 1-3 messages, the official account
        answers most of them; threaded by root ``dm-<uid>`` and parent = previous message."""
        rng, root = self.rng, f"dm-{customer.uid}"
        out: list[Node] = []
        if text is None:
            text, sentiment, fact = self.say(intent)
        node = self.b.emit("message", customer, text, at, intent=intent,
                           sentiment=sentiment or "neutral", story=story, root_id=root)
        if node is None:
            return out
        out.append(node)
        if fact:
            self.consultations.append({"id": node.id, "fact_id": fact, "channel": "message"})
        if rng.random() < 0.35:  # impatient follow-up before anyone answers
            more = self.b.emit("message", customer, rng.choice(("在吗？", "有人吗", "？？", "麻烦尽快回复一下", "急")),
                               self.b.later(node.at, 20, rhythm=False), intent=intent,
                               sentiment="negative" if intent == "complaint" else "neutral",
                               story=story, parent=node, root_id=root)
            if more is not None:
                out.append(more)
        if rng.random() < answer_p:
            last = out[-1]
            if intent == "consultation" and fact:
                reply = bank_brand.answer(rng, fact)
            elif intent == "cooperation":
                reply = bank_brand.cooperation_answer(rng)
            elif intent == "complaint":
                reply = bank_brand.sorry_dm(rng)
            else:
                reply = rng.choice(("谢谢您的私信～", "收到，谢谢支持！", "感谢反馈，祝您生活愉快！"))
            answered = self.b.emit("message", OFFICIAL, reply, self.b.later(last.at, 50, rhythm=False),
                                   intent="other", sentiment="neutral", story=story, parent=last, root_id=root)
            if answered is not None:
                out.append(answered)
                if rng.random() < 0.4:
                    thanks = self.b.emit("message", customer, rng.choice(("好的谢谢", "明白了，谢谢", "收到👌", "谢谢小鹿[心]")),
                                         self.b.later(answered.at, 15), intent="other", sentiment="positive",
                                         story=story, parent=answered, root_id=root)
                    if thanks is not None:
                        out.append(thanks)
        return out
