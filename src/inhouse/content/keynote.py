"""The keynote checks: pure functions over a draft's text, no database.

``check_draft`` returns one :class:`Finding` per problem, each naming its rule, the span of
text it concerns (``start``/``end`` as Python string offsets, ``end`` exclusive), why, and a
level: ``block`` (approval is refused until fixed) or ``warn`` (a person should look).

Rules, in the order findings are reported:

- ``banned``: a banned word appears (block), every occurrence.
- ``sensitive``: a sensitive word appears (warn), every occurrence.
- ``required``: a hashtag or @mention the keynote requires (for every draft: key ``*``; for
  the draft's campaign: key = campaign name) is missing (block; span = whole text).
- ``length``: over Weibo's 140 characters, counted as the connector and the API count them
  (``len`` of the text as sent, hashtags and mentions included) (block; span = the overflow).
- ``duplicate``: near-duplicate of a recent official post (warn; Weibo itself refuses a
  repeat of the previous post, error 20019).
- ``price``: a stated price contradicts a product fact (block; a promotional price, in a
  clause with 活动价, 到手价, 券后, 限时 …, is a warn: the enterprise may run a promotion the
  knowledge base does not list yet).

Price extraction (:func:`extract_prices`), deliberately simple so a person can predict it:
the text is cut into clauses at 。！？!?；;，,、 and line breaks; a price is a number followed by
元/块 or preceded by ¥/￥; each price belongs to the nearest product name (or alias) before it
in the same clause, else to the product named last in the same sentence; a price with no
product before it is ignored. Product names match longest-first, so 鹿角脆脆 (an alias of
鹿角脆) is not read as 鹿角脆 plus 脆.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from inhouse.nlp.dedupe import THRESHOLD, skeleton
from inhouse.nlp.textnorm import normalize

TEXT_LIMIT = 140  # the API's limit (reference/weibo-api.md, error 20012)
ALL_DRAFTS = "*"  # key of required tags that apply to every draft

BLOCK, WARN = "block", "warn"

_PRICE = re.compile(r"[¥￥]\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:元|块)")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = re.compile(r"[。！？!?；;，,、\n]")
_PROMO = ("活动价", "到手价", "券后", "限时", "秒杀", "折", "特价", "优惠价", "直降", "拼团")


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    start: int
    end: int
    message: str

    @property
    def blocks(self) -> bool:
        return self.level == BLOCK


@dataclass
class Rules:
    """What ``check_draft`` reads from a keynote; the model has the same attributes."""

    banned_words: list[str] = field(default_factory=list)
    sensitive_words: list[str] = field(default_factory=list)
    # campaign name (or "*") -> hashtags ("#话题#") and mentions ("@账号") a draft must carry
    required_tags: dict[str, list[str]] = field(default_factory=dict)
    # product name -> aliases, so prices are read for every way the product is written
    products: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PriceFact:
    product: str
    price: Decimal
    source: str  # where the fact comes from, e.g. "kb_entry:12"


@dataclass(frozen=True)
class StatedPrice:
    product: str  # the canonical name
    price: Decimal
    start: int
    end: int
    promotional: bool


def _spans(text: str, word: str) -> Iterable[tuple[int, int]]:
    start = text.find(word)
    while word and start >= 0:
        yield start, start + len(word)
        start = text.find(word, start + len(word))


def _names(products: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """(written form, canonical name), longest written form first."""
    pairs = [(name, name) for name in products]
    pairs += [(alias, name) for name, aliases in products.items() for alias in aliases if alias]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def _mentions(text: str, products: Mapping[str, Sequence[str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping product mentions (start, end, canonical), longest match wins."""
    taken = [False] * len(text)
    found = []
    for written, name in _names(products):
        for start, end in _spans(text, written):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, end, name))
    return sorted(found)


def extract_prices(text: str, products: Mapping[str, Sequence[str]]) -> list[StatedPrice]:
    """Product-name + price pairs stated in ``text`` (rule in the module docstring)."""
    mentions = _mentions(text, products)
    stated = []
    for match in _PRICE.finditer(text):
        start = match.start()
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
        before = [m for m in mentions if m[1] <= start]
        near = [m for m in before if m[0] >= clause_start] or [m for m in before if m[0] >= sentence_start]
        if not near:
            continue
        clause_end = _CLAUSE_END.search(text, match.end())
        clause = text[clause_start:clause_end.start() if clause_end else len(text)]
        stated.append(StatedPrice(near[-1][2], Decimal(match.group(1) or match.group(2)),
                                  near[-1][0], match.end(), any(p in clause for p in _PROMO)))
    return stated


def facts_from_entries(entries: Iterable[tuple[str, str, Sequence[str]]],
                       products: Mapping[str, Sequence[str]]) -> list[PriceFact]:
    """Price facts from knowledge-base entries given as (source, answer text, product tags).

    An entry's answer is read with :func:`extract_prices`; a price stated with no product
    name before it belongs to the entry's product tag when it has exactly one.
    """
    facts = []
    for source, answer, tags in entries:
        stated = extract_prices(answer, products)
        facts += [PriceFact(s.product, s.price, source) for s in stated]
        tagged = [t for t in tags if t in products]
        if not stated and len(tagged) == 1:
            facts += [PriceFact(tagged[0], Decimal(m.group(1) or m.group(2)), source)
                      for m in _PRICE.finditer(answer)]
    return facts


def shingles(text: str) -> set[str]:
    """Character bigrams of the post's skeleton (as ``inhouse.nlp.dedupe`` compares posts)."""
    skel = skeleton(normalize(text))
    return {skel[i:i + 2] for i in range(len(skel) - 1)}


def similarity(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def check_draft(text: str, keynote: Rules, recent_posts: Sequence[str],
                facts: Sequence[PriceFact], campaign: str = "") -> list[Finding]:
    """Every keynote finding for ``text`` (the post exactly as it would be sent)."""
    findings: list[Finding] = []
    for word in keynote.banned_words:
        findings += [Finding("banned", BLOCK, s, e, f"「{word}」 is a banned word in the keynote")
                     for s, e in _spans(text, word)]
    for word in keynote.sensitive_words:
        findings += [Finding("sensitive", WARN, s, e,
                             f"「{word}」 is a sensitive word: check the wording with the owner")
                     for s, e in _spans(text, word)]
    wanted = {ALL_DRAFTS: "every post", campaign: f"campaign 「{campaign}」"} if campaign else {ALL_DRAFTS: "every post"}
    for key, label in wanted.items():
        for tag in keynote.required_tags.get(key, []):
            if tag not in text:
                findings.append(Finding("required", BLOCK, 0, len(text),
                                        f"{tag} is required on {label} and is missing"))
    if len(text) > TEXT_LIMIT:
        findings.append(Finding("length", BLOCK, TEXT_LIMIT, len(text),
                                f"{len(text)} characters; Weibo accepts {TEXT_LIMIT}: "
                                f"shorten by {len(text) - TEXT_LIMIT}"))
    for post in recent_posts:
        score = similarity(text, post)
        if score >= THRESHOLD:
            findings.append(Finding("duplicate", WARN, 0, len(text),
                                    f"{score:.0%} like a recent official post: 「{post[:30]}」"))
            break
    known: dict[str, set[Decimal]] = {}
    for fact in facts:
        known.setdefault(fact.product, set()).add(fact.price)
    for s in extract_prices(text, keynote.products):
        if s.product in known and s.price not in known[s.product]:
            prices = "/".join(f"{p}元" for p in sorted(known[s.product]))
            why = f"{s.product} is stated at {s.price}元; the knowledge base says {prices}"
            if s.promotional:
                findings.append(Finding("price", WARN, s.start, s.end,
                                        why + " (promotional wording: confirm the offer)"))
            else:
                findings.append(Finding("price", BLOCK, s.start, s.end, why))
    return findings


def compose(text: str, hashtags: Sequence[str], mentions: Sequence[str]) -> str:
    """The post as sent: the text, then hashtags and mentions it does not already contain."""
    parts = [text.strip()]
    parts += [t for t in (f"#{h.strip('#')}#" for h in hashtags if h.strip("#")) if t not in text]
    parts += [m for m in (f"@{m.lstrip('@')}" for m in mentions if m.lstrip("@")) if m not in text]
    return " ".join(p for p in parts if p)
