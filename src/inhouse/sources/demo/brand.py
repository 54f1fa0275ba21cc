"""The fictional cast of the demo week: the brand, its products, the partner, the knowledge base.

Every name here is invented. Uids are 10-digit strings in a range chosen for the demo; they
are not meant to point at anyone real.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BRAND = "小鹿零食"
OFFICIAL_NAME = "小鹿零食官方微博"
OFFICIAL_UID = "7390000001"
PARTNER_BRAND = "暖风家电"
PARTNER_NAME = "暖风家电官方"
PARTNER_UID = "7390000002"
HASHTAG = "#小鹿暖冬零食节#"
HASHTAG_WORD = "小鹿暖冬零食节"
CAMPAIGN_NAME = "小鹿暖冬零食节 × 暖风家电"
MALL = "云栖汇购物中心"
MALL_SPOT = "云栖汇购物中心一楼中庭"
EVENT_CITY = "杭州"


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    spec: str
    price: str
    ingredients: str
    allergens: str
    shelf_life: str
    stock: str
    flavours: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default_factory=tuple)


PRODUCTS: tuple[Product, ...] = (
    Product("lujiaocui", "鹿角脆", "80g/袋", "12.9元",
            "玉米粉、植物油、白砂糖、食用盐、海苔粉、食品用香精",
            "不含麸质配料；生产线同时加工含小麦、大豆的产品，过敏体质请谨慎",
            "9个月（常温避光）", "原味、海苔味现货，芝士味补货中，预计3天内到仓",
            ("原味", "海苔味", "芝士味"), ("鹿角脆脆",)),
    Product("jianguobao", "鹿鹿每日坚果", "25g×30袋/盒", "129元",
            "巴旦木、腰果、核桃仁、榛子仁、蔓越莓干、蓝莓干",
            "含树坚果（巴旦木、腰果、核桃、榛子），坚果过敏者请勿食用",
            "8个月（开袋后请当天吃完）", "现货充足，下单48小时内发货",
            ("经典款", "少糖款"), ("每日坚果", "坚果包")),
    Product("niurouli", "松林牛肉粒", "100g/袋", "39.9元",
            "牛肉、白砂糖、酿造酱油（含大豆、小麦）、食用盐、香辛料",
            "含大豆、小麦", "6个月（常温避光，开袋后冷藏并尽快食用）",
            "五香味现货，麻辣味库存紧张，每单限购5袋", ("五香", "麻辣"), ("牛肉粒",)),
    Product("haitaicui", "小鹿海苔脆", "40g/罐", "9.9元",
            "海苔、白芝麻、麦芽糖浆、大米", "含芝麻", "10个月",
            "现货，线下便利店同步有售", ("芝麻夹心", "杏仁夹心"), ("海苔脆", "海苔")),
    Product("mashu", "雪糯麻薯", "210g/盒（约12枚）", "19.9元",
            "糯米粉、红豆馅、白砂糖、全脂奶粉、麦芽糖", "含乳制品", "6个月（25℃以下阴凉保存）",
            "红豆味现货，抹茶味预计下周一补货", ("红豆", "抹茶"), ("麻薯",)),
    Product("sugarcookie", "鹿角酥黄油饼干", "300g/盒", "26.8元",
            "小麦粉、黄油、鸡蛋、白砂糖、食用盐", "含小麦（麸质）、鸡蛋、乳制品",
            "12个月", "现货", ("原味", "海盐味"), ("黄油饼干", "鹿角酥")),
    Product("caomei", "冻干草莓脆", "30g/袋", "16.9元", "草莓（100%冻干，无添加糖）",
            "不含常见过敏原", "12个月（开袋后请密封防潮）", "现货", (), ("草莓脆", "冻干草莓")),
    Product("giftbox", "暖冬限定礼盒", "8袋装+联名暖手宝", "168元",
            "鹿角脆、每日坚果、松林牛肉粒、雪糯麻薯各2袋，附暖风家电联名暖手宝一个",
            "含树坚果、大豆、小麦、乳制品（详见各单品）", "6个月（以礼盒内最短保质期单品为准）",
            "活动期间限量3000盒，售完即止", (), ("礼盒", "联名礼盒", "暖冬礼盒")),
)
PRODUCT_BY_KEY = {p.key: p for p in PRODUCTS}

# Topics a customer asks about; each maps to one knowledge-base fact per product or a
# brand-wide fact (product None).
PRODUCT_TOPICS = ("ingredients", "allergens", "price", "shelf_life", "stock")
GENERAL_TOPICS = ("shipping", "where_to_buy", "after_sales", "storage", "invoice", "event")


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    product: str | None
    question: str
    answer: str

    def as_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "topic": self.topic, "product": self.product,
                "question": self.question, "answer": self.answer}


def _product_facts(p: Product) -> list[Fact]:
    return [
        Fact(f"{p.key}-ingredients", "ingredients", p.key, f"{p.name}的配料是什么？",
             f"{p.name}（{p.spec}）配料：{p.ingredients}。"),
        Fact(f"{p.key}-allergens", "allergens", p.key, f"{p.name}含过敏原吗？",
             f"{p.name}过敏原信息：{p.allergens}。"),
        Fact(f"{p.key}-price", "price", p.key, f"{p.name}多少钱？",
             f"{p.name}官方旗舰店售价{p.price}（{p.spec}），活动价以店铺页面为准。"),
        Fact(f"{p.key}-shelf_life", "shelf_life", p.key, f"{p.name}保质期多久？",
             f"{p.name}保质期{p.shelf_life}，生产日期见包装背面喷码。"),
        Fact(f"{p.key}-stock", "stock", p.key, f"{p.name}有货吗？", f"{p.name}：{p.stock}。"),
    ]


GENERAL_FACTS: tuple[Fact, ...] = (
    Fact("shipping", "shipping", None, "多久发货？快递几天到？",
         "官方旗舰店下单后48小时内发货（预售商品以页面为准），江浙沪皖一般次日达，"
         "其他地区2-4天，新疆、西藏等偏远地区5-7天。"),
    Fact("where_to_buy", "where_to_buy", None, "在哪里可以买到？",
         "天猫和京东的小鹿零食官方旗舰店、微信小程序“小鹿零食商城”，以及华东地区部分连锁便利店均有售。"),
    Fact("after_sales", "after_sales", None, "收到破损或有问题的商品怎么办？",
         "收到商品7天内，拍下包装和问题部位的照片，通过旗舰店在线客服或私信官方微博联系我们，"
         "核实后补发或退款，运费由我们承担。官方不会通过电话索要银行卡或验证码。"),
    Fact("storage", "storage", None, "零食怎么保存？",
         "请常温、阴凉、避光、防潮保存；开袋后请密封并尽快食用，肉制品开袋后建议冷藏。"),
    Fact("invoice", "invoice", None, "可以开发票吗？企业团购怎么联系？",
         "旗舰店订单可在订单页申请电子发票；企业团购请私信官方微博留下联系方式，商务同事一个工作日内联系您。"),
    Fact("event", "event", None, "暖冬零食节快闪店在哪里、什么时候？",
         f"{HASHTAG}联名快闪店在{EVENT_CITY}{MALL_SPOT}，活动当天14:00-20:00，"
         "现场试吃、暖风家电体验，转发抽奖送联名礼盒。"),
)

KNOWLEDGE_BASE: tuple[Fact, ...] = tuple(
    [f for p in PRODUCTS for f in _product_facts(p)] + list(GENERAL_FACTS)
)
FACT_BY_ID = {f.id: f for f in KNOWLEDGE_BASE}


def dictionary() -> list[str]:
    """Words the workspace's segmenter should keep whole."""
    words = [BRAND, OFFICIAL_NAME, PARTNER_BRAND, PARTNER_NAME, HASHTAG_WORD, MALL]
    for p in PRODUCTS:
        words.append(p.name)
        words.extend(p.aliases)
    return words


def brand_facts() -> dict:
    """The scenario's fixed data, as written into truth.json."""
    return {
        "brand": BRAND,
        "official": {"uid": OFFICIAL_UID, "screen_name": OFFICIAL_NAME},
        "partner": {"uid": PARTNER_UID, "screen_name": PARTNER_NAME, "brand": PARTNER_BRAND},
        "hashtag": HASHTAG,
        "products": [
            {"key": p.key, "name": p.name, "spec": p.spec, "price": p.price,
             "ingredients": p.ingredients, "allergens": p.allergens,
             "shelf_life": p.shelf_life, "stock": p.stock, "flavours": list(p.flavours)}
            for p in PRODUCTS
        ],
        "knowledge_base": [f.as_dict() for f in KNOWLEDGE_BASE],
        "dictionary": dictionary(),
    }
