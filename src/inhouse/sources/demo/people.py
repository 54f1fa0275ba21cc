"""Who writes in the demo week: ordinary fans, zombie bots, and a few named verified accounts.

Nicknames are assembled from parts so thousands of them stay distinct and plausible;
bots get Weibo's default 用户 + 10 digits name and an empty profile, as real ones do.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from inhouse.sources.demo import brand
from inhouse.sources.demo.textkit import pick

CST = dt.timezone(dt.timedelta(hours=8))

LOCATIONS = (
    "浙江 杭州", "浙江 宁波", "浙江 温州", "上海 浦东新区", "上海 徐汇区", "北京 朝阳区", "北京 海淀区",
    "江苏 南京", "江苏 苏州", "江苏 无锡", "广东 广州", "广东 深圳", "广东 佛山", "四川 成都",
    "重庆 渝北区", "湖北 武汉", "湖南 长沙", "福建 厦门", "福建 福州", "山东 济南", "山东 青岛",
    "河南 郑州", "陕西 西安", "安徽 合肥", "天津 南开区", "辽宁 沈阳", "黑龙江 哈尔滨",
    "云南 昆明", "广西 南宁", "江西 南昌", "河北 石家庄", "山西 太原", "贵州 贵阳",
    "吉林 长春", "海南 海口", "甘肃 兰州", "新疆 乌鲁木齐", "内蒙古 呼和浩特", "海外 美国", "其他",
)
_ADJ = ("爱吃零食的", "不想上班的", "快乐的", "困困的", "努力减肥的", "深夜放毒的", "今天也要开心的",
        "会飞的", "贪吃的", "佛系的", "暴躁的", "温柔的", "认真搬砖的", "吃不胖的", "早睡失败的",
        "迷路的", "元气满满的", "一只", "想去旅行的", "不吃香菜的", "熬夜冠军", "社恐的", "话痨的")
_NOUN = ("小熊", "橘子", "胖虎", "猫咪", "阿呆", "饭团", "小鱼干", "土豆", "奶糖", "汤圆", "兔叽",
         "柠檬", "布丁", "芒果", "小笼包", "咸鱼", "海绵", "西瓜", "年糕", "可乐", "柚子", "栗子",
         "豆包", "蘑菇", "考拉", "团子", "鹌鹑蛋", "酸奶", "毛毛虫", "小狐狸", "仓鼠", "麻团")
_SUFFIX = ("酱", "君", "呀", "_", "233", "2020", "1998", "0521", "吖", "er", "本尊", "Official",
           "不是我", "在此", "的日常", "同学", "小号", "Lily", "Coco", "Momo", "桑")
_LATIN = ("Momo", "Lily", "Yuki", "Kiki", "Sunny", "Echo", "Nana", "Leo", "Ryan", "Vivian",
          "Tina", "Jerry", "Coco", "Abby", "Kevin", "Mia")
_DESCRIPTIONS = ("", "", "", "吃货一枚", "热爱生活", "打工人", "三分钟热度", "快乐肥宅", "咖啡续命",
                 "在读研究生", "二胎宝妈", "程序员", "喜欢猫", "记录生活", "减肥中勿扰", "美食爱好者",
                 "摄影爱好者", "佛系青年", "健身打卡", "追星女孩", "爱旅行")


@dataclass(frozen=True)
class Person:
    uid: str
    screen_name: str
    followers_count: int
    friends_count: int
    statuses_count: int
    verified: bool = False
    verified_type: int = -1
    location: str = "其他"
    description: str = ""
    created_at: dt.datetime = dt.datetime(2015, 1, 1, tzinfo=CST)
    gender: str = "f"
    role: str = "fan"  # fan, bot, official, partner, influencer, media, business

    def author(self) -> dict:
        """The author dict of the record format."""
        return {
            "uid": self.uid, "screen_name": self.screen_name,
            "followers_count": self.followers_count, "friends_count": self.friends_count,
            "statuses_count": self.statuses_count, "verified": self.verified,
            "verified_type": self.verified_type, "location": self.location,
            "description": self.description, "created_at": self.created_at.isoformat(),
        }

    def payload(self, weibo_time: str) -> dict:
        """The user object of a Weibo API payload."""
        return {
            "id": int(self.uid), "idstr": self.uid, "screen_name": self.screen_name,
            "name": self.screen_name, "location": self.location, "description": self.description,
            "gender": self.gender, "followers_count": self.followers_count,
            "friends_count": self.friends_count, "statuses_count": self.statuses_count,
            "verified": self.verified, "verified_type": self.verified_type,
            "created_at": weibo_time,
        }


def _named(uid: str, name: str, followers: int, vtype: int, location: str, description: str,
           role: str, year: int = 2014) -> Person:
    return Person(uid, name, followers, 300 + followers % 700, 2000 + followers % 9000,
                  verified=vtype >= 0, verified_type=vtype, location=location,
                  description=description, created_at=dt.datetime(year, 3, 8, 10, 0, tzinfo=CST),
                  role=role)


OFFICIAL = _named(brand.OFFICIAL_UID, brand.OFFICIAL_NAME, 862_340, 2, "浙江 杭州",
                  "小鹿零食官方微博｜好吃不贵，每一口都认真｜客服私信9:00-22:00", "official", 2016)
PARTNER = _named(brand.PARTNER_UID, brand.PARTNER_NAME, 2_310_000, 2, "广东 佛山",
                 "暖风家电官方微博｜让每个冬天都暖一点", "partner", 2012)
# Industry figures and media: verified accounts whose reposts move numbers.
FOOD_BLOGGER = _named("7390000011", "吃遍江南的阿措", 312_000, 0, "浙江 杭州",
                      "美食博主｜探店｜零食测评 商务合作请私信", "influencer")
INDUSTRY_MEDIA = _named("7390000012", "食品产业观察", 524_000, 3, "北京 朝阳区",
                        "关注食品行业的深度报道", "media", 2011)
APPLIANCE_MEDIA = _named("7390000013", "家电圈速递", 186_000, 3, "广东 深圳",
                         "家电行业资讯与评测", "media")
RETAIL_EXPERT = _named("7390000014", "零售观察者老周", 95_400, 0, "上海 徐汇区",
                       "零售行业分析师｜前快消品牌市场总监", "influencer")
SAFETY_BLOGGER = _named("7390000015", "食品安全那些事儿", 1_260_000, 0, "北京 海淀区",
                        "食品安全科普博主｜知名健康博主", "influencer")
LOCAL_MEDIA = _named("7390000016", "钱塘都市快报", 3_480_000, 3, "浙江 杭州",
                     "本地新闻｜爆料请私信", "media", 2010)
CONSUMER_KOL = _named("7390000017", "消费维权小分队", 806_000, 0, "广东 广州",
                      "消费维权｜曝光不良商家｜投稿私信", "influencer")
GOSSIP_KOL = _named("7390000018", "热点搬运工", 2_050_000, 0, "北京 朝阳区",
                    "知名搞笑幽默博主｜热点搬运", "influencer")
# Businesses that write in with cooperation intent (private messages, comments).
BUSINESSES = (
    _named("7390000021", "邻里优选便利店", 48_000, 2, "浙江 杭州", "华东社区便利店连锁", "business"),
    _named("7390000022", "青禾茶饮官方", 410_000, 2, "江苏 苏州", "一杯好茶，青禾出品", "business"),
    _named("7390000023", "星橙MCN", 23_000, 2, "浙江 杭州", "达人孵化｜直播带货", "business"),
    _named("7390000024", "礼遇企业福利", 8_900, 2, "上海 浦东新区", "企业年节福利定制", "business"),
    _named("7390000025", "一起露营吧俱乐部", 61_000, 7, "浙江 湖州", "户外露营社群", "business"),
)
CRISIS_POSTER = Person("5391024716", "柚子不吃香菜", 862, 420, 3105, location="浙江 杭州",
                       description="普通上班族｜记录生活",
                       created_at=dt.datetime(2017, 6, 2, 21, 4, tzinfo=CST), role="fan")
NAMED: tuple[Person, ...] = (OFFICIAL, PARTNER, FOOD_BLOGGER, INDUSTRY_MEDIA, APPLIANCE_MEDIA,
                             RETAIL_EXPERT, SAFETY_BLOGGER, LOCAL_MEDIA, CONSUMER_KOL,
                             GOSSIP_KOL, *BUSINESSES, CRISIS_POSTER)


def _nickname(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.35:
        return pick(rng, _ADJ) + pick(rng, _NOUN)
    if style < 0.65:
        return pick(rng, _NOUN) + pick(rng, _SUFFIX)
    if style < 0.8:
        return pick(rng, _LATIN) + pick(rng, ("_", "", "的", "-")) + pick(rng, _NOUN)
    if style < 0.9:
        return pick(rng, _NOUN) + pick(rng, _NOUN) + str(rng.randint(1, 999))
    return pick(rng, _ADJ) + pick(rng, _LATIN)


def make_fans(rng: random.Random, count: int, start: dt.datetime) -> list[Person]:
    """Ordinary users with log-normal follower counts; a few small yellow-V accounts."""
    seen: dict[str, int] = {}
    fans = []
    for i in range(count):
        name = _nickname(rng)
        if name in seen:
            seen[name] += 1
            name = f"{name}{seen[name]}"
        else:
            seen[name] = 0
        followers = int(math.exp(rng.gauss(5.0, 1.6)))
        vtype = 0 if followers > 20_000 and rng.random() < 0.4 else (220 if followers > 5000 and rng.random() < 0.1 else -1)
        created = start - dt.timedelta(days=rng.randint(60, 4500), seconds=rng.randint(0, 86399))
        fans.append(Person(
            uid=str(5_000_000_000 + 7919 * i + rng.randint(0, 7000)),
            screen_name=name, followers_count=followers,
            friends_count=rng.randint(30, 1500), statuses_count=rng.randint(5, 12_000),
            verified=vtype != -1, verified_type=vtype, location=pick(rng, LOCATIONS),
            description=pick(rng, _DESCRIPTIONS), created_at=created,
            gender=pick(rng, ("f", "f", "m")), role="fan",
        ))
    return fans


def make_bots(rng: random.Random, count: int, start: dt.datetime) -> list[Person]:
    """Zombie accounts: default name, no followers, follow many, registered days ago."""
    bots = []
    for i in range(count):
        uid = str(6_100_000_000 + 104_729 * i + rng.randint(0, 100_000))
        bots.append(Person(
            uid=uid, screen_name=f"用户{uid}", followers_count=rng.choice((0, 0, 0, 1, 2, 3)),
            friends_count=rng.randint(600, 2000), statuses_count=rng.randint(0, 6),
            location=pick(rng, ("其他", "其他", "其他", "广东 其他", "海外 其他")),
            created_at=start - dt.timedelta(days=rng.randint(1, 40), seconds=rng.randint(0, 86399)),
            gender=pick(rng, ("f", "m")), role="bot",
        ))
    return bots
