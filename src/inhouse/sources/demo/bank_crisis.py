"""The day-5 incident (a sealed bag with dead flies) and the spam that rides on busy posts."""

from __future__ import annotations

import random

from inhouse.sources.demo.textkit import EMO_NEUTRAL, EMO_SAD, compose, fill, pick

FIRST_POST = (
    "@小鹿零食官方微博 今天中午拆了一袋鹿角脆（原味80g，包装完好没开过），倒出来两只死苍蝇！！！"
    "图1是完整的封口，图2图3是苍蝇，图4是生产日期。我已经吃了好几口了，现在一阵阵恶心。"
    "这就是你们说的每一口都认真？？必须给个说法！[怒][吐]"
)
APOLOGY = (
    "【关于消费者反映鹿角脆内有异物的情况说明】今天中午，有消费者反映所购鹿角脆（原味80g）包装内发现苍蝇。"
    "我们第一时间与这位消费者取得联系并致以诚挚的歉意，已安排专人上门取回实物和同批次产品，"
    "送第三方检测机构检测，同时暂停该批次产品销售并对生产线全面排查。调查结果将在48小时内公布。"
    "对此给大家带来的担忧，我们深感抱歉。"
)
FOLLOW_UP = (
    "【鹿角脆异物事件调查进展】第三方检测和生产线排查已完成：问题批次在包装环节一处封口机防护网破损，"
    "已全部更换并新增灭蝇设备和每小时巡检；该批次产品已全部下架召回，购买该批次的消费者可凭订单全额退款。"
    "我们已当面向这位消费者致歉并获得谅解。谢谢大家的监督，每一口都认真，不是一句口号。"
)
CUSTOMER_UPDATE = (
    "更新一下：@小鹿零食官方微博 的工作人员今天上门了，当面道歉，取走了那袋鹿角脆和同批次的，"
    "说检测结果出来会第一时间告诉我。态度还算诚恳，先等结果吧。谢谢大家关心。"
)
OFFICIAL_CONTACT_REPLY = "回复@柚子不吃香菜:您好，非常抱歉让您遇到这样的事情！已私信您，麻烦留一下联系方式，我们马上安排专人和您联系。"
OFFICIAL_DM = (
    "您好，我是小鹿零食的客服主管。非常抱歉您的遭遇！想和您当面沟通，并取回问题产品和同批次产品送检。"
    "方便的话请留一个联系电话和地址，检测费用和您的医疗检查费用都由我们承担。"
)
CUSTOMER_DM = ("电话138****6021，我在杭州，明天上午在家。我要的是一个真实的原因，不是几句道歉。",
               "好的，明天等你们，检测报告一定要给我看。")
OFFICIAL_DM_2 = "收到，明天上午10点我们两位同事上门，检测报告出来第一时间发给您。再次向您致歉。"

_REPOST_OWN = (
    "太恶心了", "真的假的", "卧槽", "再也不敢买了", "已经扔掉家里的鹿角脆了", "蹲后续", "取关了",
    "等一个官方回应", "我上周刚买了三袋", "这也太离谱了吧", "食品安全无小事", "转发让更多人看到",
    "求品牌方给个说法", "吓死，孩子天天吃这个", "品控呢？", "这下翻车了", "还好我不爱吃膨化",
    "看完想吐", "我家也有一袋，不敢开了", "市场监管局管管吧", "先别急，等检测结果", "图四的生产日期是哪批",
    "所以是哪个工厂生产的", "官方怎么还不出来说话", "又一个品牌塌房", "@{fan} 你前天买的那袋没事吧",
)
_REPOST_OPEN = ("", "", "", "", "啊这，", "天哪", "？？？", "我靠", "离谱，", "转需：")
_NEG_COMMENT = (
    "太恶心了{emo}", "封口都是好的，这只能是工厂的问题", "品牌方赶紧出来回应", "再也不会买了",
    "我已经给{friend}发了，让她别买了", "退钱！我刚买了{amount}", "这种品控还敢卖这个价",
    "每一口都认真？讽刺", "官方装死吗", "一直很喜欢小鹿，太失望了", "建议直接报市场监管",
    "苍蝇都能进去，还有什么进不去", "上次买的味道就怪怪的，细思极恐", "这是第几次出食品安全问题了",
    "还在评论区抽奖？先回应一下苍蝇吧", "取关了，拜拜", "坐等道歉声明", "已经在退货了",
    "孩子每天都吃，现在好后怕{emo}", "客服电话打不通", "品牌营销做得好有什么用",
)
_DOUBT = (
    "先别带节奏，等检测结果", "会不会是拆开以后进去的？", "理性吃瓜，等官方说法",
    "图片看起来确实是没开封的", "吃瓜{emo}", "这种事以前其他牌子也有过，看怎么处理吧",
)
_AFTER_APOLOGY = (
    ("态度还行，看后续吧", "neutral"), ("等检测结果", "neutral"), ("道歉有什么用，说清楚原因", "negative"),
    ("48小时，我们等着", "neutral"), ("这个回应速度可以", "positive"), ("批次号发一下，我看看我家的", "neutral"),
    ("又是模板式道歉", "negative"), ("希望是真的整改，不是公关", "negative"), ("支持小鹿，相信会处理好", "positive"),
    ("早这样不就好了", "neutral"), ("已经退了，不会再买", "negative"), ("我家那批是什么日期的能查吗", "neutral"),
    ("下午就该出来说话了，拖到晚上", "negative"), ("暂停销售这个做法是对的", "positive"),
    ("我买的那批要不要扔", "neutral"), ("检测机构是哪家？要公开", "neutral"), ("一句深感抱歉就完了？", "negative"),
    ("吃了好几口的人怎么办", "negative"), ("有担当，等结果", "positive"), ("先关注后续进展", "neutral"),
    ("{friend}刚给我寄了两袋，还能吃吗", "neutral"), ("品控出问题不是第一次了吧", "negative"),
)
_AFTER_FOLLOW_UP = (
    ("处理得挺快，给个机会", "positive"), ("能公开检测报告原件吗", "neutral"), ("召回+退款，诚意可以", "positive"),
    ("还是有阴影，缓缓再买", "negative"), ("这次处理算是教科书级别了", "positive"), ("继续支持，鹿角脆还是好吃", "positive"),
    ("封口机防护网破损？听着像甩锅", "negative"), ("退款怎么申请", "neutral"), ("希望以后别再出这种事", "neutral"),
    ("说到做到，48小时内给了结果", "positive"), ("灭蝇设备早该装了", "negative"), ("每小时巡检能坚持多久？", "neutral"),
    ("消费者谅解了就好", "positive"), ("我去退了那批，流程挺顺", "positive"), ("以后会盯着你们的", "neutral"),
    ("原谅了，下单了{product}", "positive"), ("其他产品线也查一下吧", "neutral"), ("一次信任危机，好好珍惜", "neutral"),
)
_REACT_OPEN = ("", "", "", "说实话，", "emmm，", "看完声明，", "路过说一句，", "认真说，", "嗯，")
_REACT_CLOSE = {"positive": ("", "", "[赞]", "，加油", "！"), "neutral": ("", "", "[思考]", "[吃瓜]", "。"),
                "negative": ("", "", "[哼]", "[怒]", "。", "！")}
_FILL = {"friend": ("我妈", "闺蜜", "同事", "室友"), "product": ("鹿角脆", "每日坚果", "牛肉粒", "麻薯")}


def _react_text(rng: random.Random, bank: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    body, sentiment = pick(rng, bank)
    text = pick(rng, _REACT_OPEN) + body + pick(rng, _REACT_CLOSE[sentiment])
    return fill(rng, text, _FILL), sentiment


def repost_comment(rng: random.Random) -> str:
    text = fill(rng, pick(rng, _REPOST_OPEN) + pick(rng, _REPOST_OWN), {})
    return text + (pick(rng, EMO_SAD) if rng.random() < 0.35 else "")


def negative_comment(rng: random.Random) -> str:
    return compose(rng, _NEG_COMMENT, {"emo": EMO_SAD}, (), (), EMO_SAD, 0, 0, 0.3)


def doubt_comment(rng: random.Random) -> str:
    return compose(rng, _DOUBT, {"emo": EMO_NEUTRAL}, (), (), (), 0, 0, 0)


def after_apology(rng: random.Random) -> tuple[str, str]:
    return _react_text(rng, _AFTER_APOLOGY)


def after_follow_up(rng: random.Random) -> tuple[str, str]:
    return _react_text(rng, _AFTER_FOLLOW_UP)


# --- spam: near-duplicates with small perturbations, as ad bots write them ----------------
_SPAM = (
    "低价出售粉丝，真人活粉{n}元/千，需要的{contact}",
    "专业刷赞刷评论刷转发，量大从优，{contact}",
    "【售后理赔】购买小鹿零食产品有问题的请拨打售后电话{phone}，专人办理退款",
    "兼职日结{n}元，手机就能做，详情看我主页",
    "免费领取零食大礼包，点击主页链接{emo}",
    "小鹿零食退款专线{phone}，异物赔偿三倍，过时不候",
    "关注我，互粉互赞，{contact}",
    "高价回收各种购物卡，{contact}",
    "想赚钱的看过来，宝妈学生都能做，{contact}",
)
_CONTACT = ("+V：{code}", "加薇{code}", "➕V {code}", "威信{code}", "私我", "看主页", "v❤{code}", "扣{digits}")
_PHONES = ("400-{a}-{b}", "4OO{a}{b}", "400 {a} {b}", "１３８{a}{b}")


def spam(rng: random.Random, family: int | None = None) -> str:
    """An ad comment; ``family`` pins the template so a wave stays near-duplicate."""
    template = _SPAM[family % len(_SPAM)] if family is not None else pick(rng, _SPAM)
    code = "".join(pick(rng, "abcdefghjkmnpqrstuvwxyz") for _ in range(3)) + str(rng.randint(100, 9999))
    text = fill(rng, template, {
        "n": str(rng.choice((5, 8, 10, 15, 20, 50, 100, 150, 200))),
        "contact": fill(rng, pick(rng, _CONTACT), {"code": code, "digits": str(rng.randint(10**7, 10**9))}),
        "phone": fill(rng, pick(rng, _PHONES), {"a": str(rng.randint(100, 999)), "b": str(rng.randint(1000, 9999))}),
        "emo": ("[礼物]", "[红包]", "[给力]"),
    })
    # Bots append noise so exact-match filters miss them.
    noise = rng.random()
    if noise < 0.3:
        text += pick(rng, ("~", "!!", "。。", "～～", " ", "↓↓↓", "[红包]"))
    elif noise < 0.5:
        text = pick(rng, ("【推广】", "置顶：", "", "！")) + text
    return text
