"""What the official account, the partner and the industry write: daily posts, answers,
campaign posts, and cooperation approaches."""

from __future__ import annotations

import random

from inhouse.sources.demo import brand
from inhouse.sources.demo.textkit import EMO_HAPPY, compose, fill, pick

H = brand.HASHTAG

_DAILY = (
    "早安！今天的第一口快乐，从一袋{product}开始。你们早餐都吃什么？",
    "{moment}的时候最需要什么？小鹿投票：{product} or {product2}？评论区告诉我们～",
    "【新品尝鲜】{product}{flavour}味悄悄上架啦，评论区说说你最想要的下一个口味，抽3位送试吃装！",
    "周{weekday}的下午，来点{product}续命吧 #打工人的零食抽屉#",
    "关于{product}的冷知识：{fact}",
    "小鹿工厂日记：今天带大家看看{product}是怎么从原料变成一袋脆脆的，每一道工序都有人盯着。",
    "晚安前的最后一口：{product}。明天见～",
    "转发+评论说说你和小鹿的故事，明晚8点抽5位宝子送{product}一箱！",
    "吃{product}的正确姿势是？A 一口一个 B 泡牛奶 C 藏起来不给别人吃",
    "降温了，记得多穿点。也记得给自己留一袋{product}。",
    "谢谢每一位认真写评论的你，今天翻了几百条留言，{product}的包装我们会继续改进。",
    "今日份{moment}搭子：{product}+热可可，评论区晒出你的搭配！",
)
_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")

_REPLY_THANKS = (
    "谢谢喜欢！小鹿会继续努力的～", "被夸得有点害羞了[嘻嘻]", "谢谢宝子的支持，爱你哟[心]",
    "收到你的好评啦，已经转告工厂的小伙伴！", "有你真好，常来玩～",
)
_REPLY_SORRY = (
    "非常抱歉给您带来不好的体验，麻烦私信我们订单号，马上为您处理。",
    "抱歉让您久等了！已私信您，请查收～", "很抱歉！麻烦把破损照片私信给小鹿，核实后为您补发。",
    "您反馈的问题我们已经记录并转给品控同事，感谢您的监督。",
)
_REPLY_OPEN = ("您好，", "宝子你好～", "亲，", "", "小鹿来啦！")


def daily_post(rng: random.Random, weekday: int) -> str:
    p = pick(rng, brand.PRODUCTS[:7])
    facts = [f.answer for f in brand.KNOWLEDGE_BASE if f.product == p.key]
    slots = {"product": p.name, "product2": pick(rng, brand.PRODUCTS[:7]).name,
             "flavour": pick(rng, p.flavours) if p.flavours else "新", "weekday": _WEEKDAYS[weekday],
             "fact": pick(rng, facts)}
    return compose(rng, _DAILY, slots, (), (), EMO_HAPPY, 0, 0, 0.6)


def answer(rng: random.Random, fact_id: str, to_name: str | None = None) -> str:
    """The official answer: the knowledge-base fact, framed as a reply."""
    fact = brand.FACT_BY_ID[fact_id]
    body = pick(rng, _REPLY_OPEN) + fact.answer + pick(rng, ("", "有其他问题随时私信小鹿～", "祝您吃得开心！", "[心]"))
    return f"回复@{to_name}:{body}" if to_name else body


def sorry_dm(rng: random.Random) -> str:
    return pick(rng, _REPLY_OPEN) + pick(rng, (
        "非常抱歉给您带来不好的体验！麻烦发一下订单号和问题照片，我们马上为您处理。",
        "抱歉让您久等了！您的情况已登记，核实后为您补发或退款，运费由我们承担。",
        "很抱歉！已把您的反馈转给品控和物流同事，今天内给您答复。"))


def thanks(rng: random.Random, to_name: str) -> str:
    return f"回复@{to_name}:{pick(rng, _REPLY_THANKS)}"


def sorry(rng: random.Random, to_name: str | None) -> str:
    body = pick(rng, _REPLY_OPEN) + pick(rng, _REPLY_SORRY)
    return f"回复@{to_name}:{body}" if to_name else body


# --- the co-branded campaign -------------------------------------------------------------
def campaign_texts(event_day: str) -> dict[str, str]:
    """The campaign's fixed posts, by key; ``event_day`` like "11月20日"."""
    return {
        "announce": (f"{H} 正式开启！小鹿零食 × @暖风家电官方 联名暖冬礼盒今天上线，8袋人气零食+联名暖手宝，"
                     f"限量3000盒。{event_day}{brand.EVENT_CITY}{brand.MALL_SPOT}联名快闪店见！转发本条抽10位送礼盒[心]"),
        "partner_announce": (f"{H} 冬天最暖的组合来了！我们和 @小鹿零食官方微博 一起准备了联名暖冬礼盒，"
                             f"{event_day}来{brand.MALL}快闪店，边吃零食边体验暖风新品取暖器～"),
        "teaser": (f"{H} 快闪店倒计时！现场有鹿角脆现炸试吃、暖风家电取暖器体验区、拍照打卡墙，"
                   f"打卡发微博带话题还能领小鹿徽章。{event_day}14:00-20:00，不见不散！"),
        "partner_teaser": f"{H} 暖风新品取暖器已经运到快闪店现场啦，{event_day}来现场体验、试吃、抽礼盒～",
        "live": f"{H} 快闪店开门啦！{brand.MALL_SPOT}已经排起了长队，现炸鹿角脆香飘整个商场[馋嘴] 没来的宝子看直播图～",
        "partner_live": f"{H} 快闪店现场人气爆棚！暖风取暖器体验区已经坐满，和 @小鹿零食官方微博 一起给大家送温暖～",
        "recap": f"{H} 快闪店圆满结束！当天接待了好多宝子，谢谢大家来玩。没抢到礼盒的别急，旗舰店还有少量现货～",
        "lottery": f"{H} 转发抽奖结果公布：恭喜10位宝子获得联名暖冬礼盒，请在三天内私信小鹿领取！",
    }


_HASHTAG_POSTS = (
    "{H} 今天去了快闪店，现炸的鹿角脆也太香了！还体验了暖风的取暖器，冬天有救了",
    "{H} 抢到联名礼盒了，暖手宝好可爱{emo}", "{H} 求中奖求中奖，想要联名礼盒！@{fan}", "{H} {friend}说礼盒颜值很高，我也想要",
    "{H} 快闪店的试吃队排到了门口，值得", "{H} 零食节给{friend}带了一盒，TA说暖手宝比零食还抢手",
    "{H} 排队半小时终于打卡成功，徽章get", "{H} 这个联名有点意思，零食+家电，没想到挺搭",
    "{H} 给{friend}买了一盒联名礼盒当生日礼物", "{H} 快闪店的拍照墙好出片！",
    "{H} 暖风的取暖器在现场试了一下，确实暖和，考虑入手", "{H} 有人一起去快闪店吗，{city}的宝子",
    "{H} 礼盒里的麻薯太好吃了，暖手宝也实用", "{H} 转发许愿，想中一个礼盒过冬",
)


def hashtag_post(rng: random.Random) -> str:
    return fill(rng, pick(rng, _HASHTAG_POSTS), {
        "H": H, "emo": EMO_HAPPY,
        "city": ("杭州", "绍兴", "嘉兴", "湖州"),
    })


_LOTTERY = ("希望中奖！", "求中求中", "转发抽奖，许愿联名礼盒", "我来了我来了", "从不中奖的我再试一次",
            "想要暖手宝！", "冲！", "万一呢", "好运来", "给我中一次吧", "转发了，祝小鹿越来越好", "抽我抽我",
            "锦鲤附体", "今年的运气全靠这一次了", "礼盒好好看，想要", "参与一下", "陪跑第{n}次",
            "想给{friend}抢一个", "暖手宝太可爱了吧", "小鹿看看我", "许愿中奖，冬天不冷",
            "已关注已转发", "接好运", "冲鸭", "求带走", "中了就去快闪店打卡", "这次一定中",
            "零食+暖手宝，完美的冬天", "默默转发", "谁中了告诉我一声")
_LOTTERY_OPEN = ("", "", "#小鹿暖冬零食节# ", "啊啊啊", "在线许愿：", "")
_LOTTERY_CLOSE = ("", "", " @{fan}", " @{fan} @{fan}", "！", "～", " @{fan} 一起冲", "🙏")


def lottery_repost(rng: random.Random) -> str:
    return compose(rng, _LOTTERY, {"n": str(rng.randint(3, 99))}, _LOTTERY_OPEN, _LOTTERY_CLOSE,
                   EMO_HAPPY, 0.6, 0.6, 0.45)


# --- partners and industry -----------------------------------------------------------------
INDUSTRY_COMMENTS = {
    "吃遍江南的阿措": ("这个联名我先冲了，下周出一期测评视频", "鹿角脆的现炸版本真的绝，快闪店值得一去",
                  "零食+家电的联名第一次见，有创意"),
    "食品产业观察": ("跨界联名正成为休闲食品品牌破圈的新路径，值得关注。", "休闲零食赛道竞争加剧，品牌与场景结合是新看点。"),
    "家电圈速递": ("家电品牌做食品联名，暖风这步棋挺有意思。", "取暖器+零食礼盒，冬季场景营销的典型案例。"),
    "零售观察者老周": ("线下快闪+线上话题的组合，转化效果值得复盘。", "从礼盒定价看，这次联名主打送礼场景。"),
}

_COOP_DM = (
    "您好，我们是{org}，想和小鹿零食聊聊{topic}的合作，方便留个商务对接人的联系方式吗？",
    "你好，我是{org}的商务，关注你们很久了，{topic}方面有没有合作的可能？",
    "您好，看到你们和暖风的联名做得很好，我们{org}也想探讨一下{topic}，期待回复。",
)
_COOP_COMMENT = ("求合作！商务已私信", "这个联名做得好，我们也想合作，私信了", "小鹿考虑一下{topic}吗？已私信商务")
_COOP_TOPICS = ("门店铺货", "联名新品", "直播带货", "企业年节福利定制", "露营活动赞助", "达人探店")


def cooperation_message(rng: random.Random, org: str) -> str:
    return fill(rng, pick(rng, _COOP_DM), {"org": org, "topic": _COOP_TOPICS})


def cooperation_comment(rng: random.Random) -> str:
    return fill(rng, pick(rng, _COOP_COMMENT), {"topic": _COOP_TOPICS})


def cooperation_answer(rng: random.Random) -> str:
    return pick(rng, ("您好，感谢关注！已转给商务同事，他会在一个工作日内联系您。",
                      "收到～请留下联系人和电话，我们商务负责人会尽快联系您。"))
