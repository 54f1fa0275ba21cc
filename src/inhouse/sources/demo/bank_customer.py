"""What customers write: consultations (each tied to the fact that answers it), praise,
complaints and everyday chatter. Templates are grouped by intent; slots add the variety."""

from __future__ import annotations

import random

from inhouse.sources.demo import brand
from inhouse.sources.demo.textkit import EMO_HAPPY, EMO_NEUTRAL, EMO_SAD, compose, pick

_ASK_OPEN = ("请问", "想问下", "小鹿你好，", "客服在吗？", "问一下哈，", "急！", "弱弱问一句，",
             "官方请问", "小编小编，", "在线等，", "", "打扰一下，", "路过问下，")
_ASK_CLOSE = ("？谢谢！", "？求回复", "？在线等挺急的", "，谢谢小鹿", "，麻烦了", "？", "～", "？求解答",
              "？想买又怕踩雷", "，准备下单了", "")

_CONSULT: dict[str, tuple[str, ...]] = {
    "ingredients": (
        "{product}的配料表能发一下吗", "{product}里面都有啥成分呀", "{product}有没有加防腐剂",
        "{product}是用什么油炸的", "{product}{flavour}味的配料和原味一样吗", "{product}含糖量高不高，配料里有白砂糖吗",
        "减脂期能吃{product}吗，配料干净吗", "给{friend}买{product}，想先看看配料",
    ),
    "allergens": (
        "{product}含坚果吗？{friend}坚果过敏", "对麸质过敏可以吃{product}吗", "{product}有没有乳制品，乳糖不耐受能吃吗",
        "孩子对鸡蛋过敏，{product}能吃吗", "{product}过敏原有哪些", "芝麻过敏的人能吃{product}吗",
        "{product}是不是和含花生的产品一条生产线", "{friend}大豆过敏，{product}安全吗",
    ),
    "price": (
        "{product}现在多少钱一袋", "{product}旗舰店价格是多少", "{product}活动价还有吗",
        "{product}为什么直播间和店里价格不一样", "{product}买一箱有优惠吗", "{product}原价多少，想对比一下",
    ),
    "shelf_life": (
        "{product}保质期多久", "{product}开封后能放几天", "囤了{amount}{product}，保质期够吃吗",
        "{product}生产日期在哪看", "{product}过了保质期一周还能吃吗", "{product}夏天放常温会不会坏",
    ),
    "stock": (
        "{product}{flavour}什么时候补货", "{product}还有货吗，店里显示缺货", "{product}断货好久了，还会上吗",
        "{product}是不是停产了", "{product}现在下单有现货吗", "想要{product}{flavour}，一直没抢到",
    ),
    "shipping": (
        "下单{wait}了还没发货，一般多久发", "发什么快递，到{city}要几天", "今天下单明天能到吗",
        "偏远地区包邮吗，新疆能发吗", "订单一直显示待发货，正常吗", "能指定快递吗",
    ),
    "where_to_buy": (
        "{city}哪里能买到你们家零食", "线下超市有卖吗", "便利店能买到{product}吗",
        "除了网上还有别的渠道吗", "京东有官方店吗，怕买到假的", "{city}有实体店吗",
    ),
    "after_sales": (
        "收到的{product}袋子破了，怎么处理", "少发了一袋{product}怎么办", "快递压坏了，能补发吗",
        "买错口味了能退吗", "收到的东西有问题，找谁售后",
    ),
    "storage": (
        "{product}开袋了吃不完怎么保存", "{product}需要放冰箱吗", "南方回南天{product}容易受潮吗",
    ),
    "invoice": (
        "公司想团购{amount}，能开发票吗", "年会福利想订一批零食，找谁对接", "旗舰店的订单怎么开发票",
    ),
    "event": (
        "快闪店在哪个商场？几点开始", "暖冬零食节的快闪店周末还有吗", "快闪店现场能买礼盒吗",
        "抽奖什么时候开奖呀", "联名礼盒哪里能买",
    ),
}
_PRAISE = (
    "{product}{feeling}！已经是第{n}次回购了", "{moment}必备{product}，{feeling}", "{friend}说{product}是今年吃过最好吃的零食",
    "刚拆了{product}，{flavour}味{feeling}", "小鹿家的{product}从来没让我失望过", "安利{friend}吃了{product}，现在TA天天催我下单",
    "{product}包装好可爱，味道也好", "一口气囤了{amount}{product}，{feeling}", "{product}脆度刚好，不油不腻",
    "客服小姐姐超耐心，点赞", "物流好快，昨天下单今天就到了", "小鹿的零食是我{moment}的快乐源泉",
    "{product}yyds，谁吃谁知道", "给小鹿的{product}打call", "家里老人孩子都爱吃{product}",
    "{product}配奶茶绝了", "这个价格买到{product}，太值了", "{product}新口味{flavour}好评",
)
_PRAISE_OPEN = ("啊啊啊", "救命，", "真心推荐：", "", "", "说真的，", "自来水一枚：", "姐妹们，", "好消息！")
_PRAISE_CLOSE = ("，爱了爱了", "！", "～", "，冲！", "，求出大包装", "，必须夸一下", "", "。")

_COMPLAINT = (
    "下单{wait}了还没到，物流信息也不更新", "收到的{product}袋子都是破的，碎成渣了", "{product}是不是换配方了？味道和以前不一样了",
    "{product}又涨价了，之前{old}现在要{new}", "买的{product}少了一袋，客服一直不回", "{product}太咸了，吃完口干",
    "快递盒子压扁了，里面{product}全碎了", "客服回复好慢，问了{wait}都没人理", "{product}分量越来越少了，一袋没几口",
    "{product}有股哈喇味，是不是放太久了", "说好的赠品没收到", "{product}太甜了，齁得慌",
    "活动价买完第二天就降价了，不能保价吗", "{product}{flavour}味不如以前好吃了",
)
_COMPLAINT_OPEN = ("无语，", "吐槽一下，", "失望。", "", "", "@小鹿零食官方微博 ", "有点生气，", "真的服了，")
_COMPLAINT_CLOSE = ("，给个说法吧", "，再也不买了", "，希望改进", "，太失望了", "！", "。", "，还能不能好了", "")

_CHATTER = (
    "沙发", "打卡", "好饿啊", "看饿了", "来了来了", "第一", "{moment}的时候刷到，更饿了", "小鹿早上好",
    "周末愉快", "哈哈哈哈哈", "有点心动", "求抽中", "想吃", "路过", "冲冲冲", "前排围观", "同款{product}",
    "这是什么神仙文案", "评论区好热闹", "@{fan} 快来看", "马住", "蹲一个", "谁懂啊", "小鹿真会玩",
    "已关注", "今天也来看小鹿了", "{product}还是{product2}？纠结", "转发了",
)
_CITIES = ("杭州", "上海", "南京", "苏州", "成都", "武汉", "广州", "深圳", "北京", "长沙", "西安", "重庆", "合肥", "郑州", "厦门")


def _slots(rng: random.Random, product: brand.Product | None) -> dict:
    p = product or pick(rng, brand.PRODUCTS)
    other = pick(rng, brand.PRODUCTS)
    return {
        "product": pick(rng, (p.name,) * 3 + p.aliases), "product2": other.name,
        "flavour": pick(rng, p.flavours) if p.flavours else "",
        "city": _CITIES, "n": str(rng.randint(2, 30)),
        "old": f"{rng.randint(9, 15)}.9", "new": f"{rng.randint(16, 22)}.9",
    }


def consultation(rng: random.Random, topic: str | None = None) -> tuple[str, str, str]:
    """A customer question, its topic and the id of the knowledge-base fact that answers it."""
    topic = topic or rng.choices(
        list(_CONSULT), weights=[10, 8, 8, 6, 10, 10, 7, 5, 3, 2, 3])[0]
    product = pick(rng, brand.PRODUCTS) if topic in brand.PRODUCT_TOPICS or topic in ("after_sales", "storage") else None
    text = compose(rng, _CONSULT[topic], _slots(rng, product), _ASK_OPEN, _ASK_CLOSE,
                   EMO_NEUTRAL, 0.6, 0.5, 0.2)
    if "？" not in text and "?" not in text and rng.random() < 0.7:
        text += "？"
    fact = f"{product.key}-{topic}" if topic in brand.PRODUCT_TOPICS else topic
    return text, topic, fact


def praise(rng: random.Random) -> str:
    return compose(rng, _PRAISE, _slots(rng, None), _PRAISE_OPEN, _PRAISE_CLOSE, EMO_HAPPY, 0.4, 0.5, 0.6)


def complaint(rng: random.Random) -> str:
    return compose(rng, _COMPLAINT, _slots(rng, None), _COMPLAINT_OPEN, _COMPLAINT_CLOSE, EMO_SAD, 0.4, 0.6, 0.5)


_CHATTER_TAIL = ("", "", "", "，哈哈", "，小鹿冲", "～", "！", "，我也想要", "，先收藏了", "，有没有同好",
                 "，今天{moment}就靠它了", "。", "，笑死")


def chatter(rng: random.Random) -> str:
    return compose(rng, _CHATTER, _slots(rng, None), (), _CHATTER_TAIL, EMO_NEUTRAL + EMO_HAPPY, 0, 0.6, 0.45)


def mention_prefix(rng: random.Random) -> str:
    """How a user addresses the brand in their own post."""
    return pick(rng, ("@小鹿零食官方微博 ", "@小鹿零食官方微博 ", "", "小鹿零食 ", "#小鹿零食# "))
