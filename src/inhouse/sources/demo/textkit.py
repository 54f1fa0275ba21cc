"""A tiny template filler: ``{slot}`` placeholders drawn from slot banks with one seeded RNG.

Templates stay readable Chinese sentences; variety comes from combining openers, bodies,
closers, emoticons and slot values, so the same body rarely yields the same text twice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

_SLOT = re.compile(r"\{(\w+)\}")

# Weibo's bracketed emoticons, grouped by mood so a complaint never ends with [哈哈].
EMO_HAPPY = ("[哈哈]", "[嘻嘻]", "[爱你]", "[心]", "[赞]", "[好喜欢]", "[馋嘴]", "[太开心]",
             "[鼓掌]", "[可爱]", "[酷]", "[给力]", "[送花花]", "[憧憬]", "[打call]")
EMO_SAD = ("[怒]", "[泪]", "[失望]", "[吐]", "[抓狂]", "[生病]", "[衰]", "[哼]", "[费解]",
           "[伤心]", "[弱]", "[怒骂]", "[晕]", "[委屈]")
EMO_NEUTRAL = ("[思考]", "[疑问]", "[doge]", "[允悲]", "[二哈]", "[笑cry]", "[吃瓜]", "[并不简单]",
               "[微笑]", "[挖鼻]", "[围观]")

# Shared fillers every bank may use.
COMMON: dict[str, Sequence[str]] = {
    "friend": ("室友", "同事", "闺蜜", "对象", "我妈", "我弟", "老公", "女朋友", "同桌", "隔壁工位", "小侄子", "我家娃"),
    "when": ("昨天", "前天", "上周", "今天中午", "刚刚", "昨晚", "周末", "早上", "下午"),
    "place_buy": ("天猫旗舰店", "京东旗舰店", "楼下便利店", "超市", "直播间", "公司附近的零食店", "小程序商城"),
    "feeling": ("太好吃了", "绝了", "好上头", "停不下来", "真香", "yyds", "好吃到跺脚", "回购无数次了", "越吃越好吃"),
    "amount": ("两袋", "三包", "一整箱", "五袋", "一大包", "两盒", "十袋"),
    "wait": ("三天", "四天", "快一周", "五天", "整整一周", "六天"),
    "fan": ("小胖", "阿花", "大头", "Momo", "橘子酱", "老王", "胖丁", "小鱼干不吃鱼", "豆包同学", "Kiki_兔叽",
            "咸鱼翻身失败", "一只柚子", "奶糖呀", "Leo的土豆", "困困熊", "布丁桑", "西瓜冰冰", "年糕君",
            "Echo要早睡", "蘑菇233", "考拉不熬夜", "栗子Lily", "汤圆本尊", "可乐加冰"),
    "moment": ("加班", "追剧", "下午茶", "熬夜写论文", "开黑", "看球", "出差路上", "带娃间隙", "考研复习"),
}


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]


def maybe(rng: random.Random, p: float, text: str) -> str:
    return text if rng.random() < p else ""


def fill(rng: random.Random, template: str, slots: Mapping[str, Sequence[str] | str]) -> str:
    """Replace each ``{name}`` by a value from ``slots`` (a fixed string or options), falling
    back to the shared COMMON bank; unknown slots are an error, caught by the tests."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        value = slots.get(name)
        if value is None:
            value = COMMON[name]
        return value if isinstance(value, str) else pick(rng, value)

    return _SLOT.sub(one, template)


def compose(
    rng: random.Random,
    bodies: Sequence[str],
    slots: Mapping[str, Sequence[str] | str],
    openers: Sequence[str] = (),
    closers: Sequence[str] = (),
    emoticons: Sequence[str] = (),
    p_open: float = 0.5,
    p_close: float = 0.5,
    p_emo: float = 0.5,
) -> str:
    """opener + body + closer + emoticons, each part optional, then slots filled."""
    parts = []
    if openers and rng.random() < p_open:
        parts.append(pick(rng, openers))
    parts.append(pick(rng, bodies))
    if closers and rng.random() < p_close:
        parts.append(pick(rng, closers))
    text = "".join(parts)
    if emoticons and rng.random() < p_emo:
        text += "".join(pick(rng, emoticons) for _ in range(1 + (rng.random() < 0.3)))
    return fill(rng, text, slots)
