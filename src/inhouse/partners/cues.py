"""Cooperation cues: does a text propose working together, and in which way?

Pure (no Django). The NLP stage already labels items ``cooperation`` by its own rules; the
radar reads that label *and* these cues, so a cooperation approach the intent model misses
(or files under consultation: "能聊聊合作吗？" is also a question) still becomes a card.

The label is trusted unless the text is plainly a customer buying (``customer_talk``: the
co-branded gift box, an order for the office) and no cue matches.

Each cue names its kind: co-branding, sponsorship, business enquiry or invitation. Words that
are mostly product nouns in fans' posts ("联名礼盒", "商务同事") count only in a proposing
phrase, so a fan admiring the co-branded gift box is not a business lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CO_BRANDING = "co-branding"
SPONSORSHIP = "sponsorship"
BUSINESS = "business"
INVITATION = "invitation"

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (SPONSORSHIP, re.compile(r"赞助|冠名|独家支持|物料支持|置换")),
    (INVITATION, re.compile(r"诚邀|邀请(您|你|贵|小鹿|品牌|官方)|邀约|参展|出席|来(参加|做客)|嘉宾|探店")),
    # "想要联名礼盒" is a fan wanting the gift box: no 想要, and not the co-branded product
    (CO_BRANDING, re.compile(r"(想(?!要)|希望|能否|可以|寻求|谈|做|一起|考虑).{0,6}(联名|跨界)(?!礼盒|款|暖手宝|周边|产品)|"
                             r"联名(?!礼盒|款|暖手宝|周边|产品).{0,3}(吗|\?|？)|联合(推出|出品|营销)")),
    # Not 团购 or a bare 对接: "公司想团购" and "年会福利找谁对接" are customers' orders,
    # answered by customer service, not leads for the partner team.
    (BUSINESS, re.compile(r"合作|商务(洽谈|联系|对接|负责人|的联系方式)|洽谈|对接人|铺货|进货|供货|"
                          r"代理|加盟|招商|福利定制|带货|推广位|寄样|(想|希望).{0,4}(探讨|聊聊|谈谈)")),
)


# Customers talking about buying: the co-branded product ("想要联名礼盒"), an order for the
# office ("年会福利想订一批零食", "公司想团购"). The intent model sometimes files these under
# cooperation; without a cue above they are customer service's, not the partner team's.
_CUSTOMER_TALK = re.compile(r"联名(礼盒|款|暖手宝|周边|产品)|团购|订一批|开发票|发票|下单|抢到|中奖|抽奖|多少钱|"
                            r"哪里(能)?买|链接")


@dataclass(frozen=True)
class Cue:
    kind: str  # co-branding | sponsorship | business | invitation
    word: str  # the words that matched, shown on the card
    start: int
    end: int


def detect(text: str) -> Cue | None:
    """The first cooperation cue in ``text`` (in the order above), or None."""
    if not text:
        return None
    for kind, pattern in _CUES:
        match = pattern.search(text)
        if match:
            return Cue(kind, match.group(0), match.start(), match.end())
    return None


def customer_talk(text: str) -> bool:
    """True when ``text`` reads as a customer buying, not as a proposal (see _CUSTOMER_TALK)."""
    return bool(text) and _CUSTOMER_TALK.search(text) is not None
