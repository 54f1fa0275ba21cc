"""Near-duplicate keys fold spam-wave variants and leave distinct posts apart."""

from inhouse.nlp import near_duplicate_keys
from inhouse.nlp.dedupe import skeleton

WAVE = [
    "关注我领取小鹿零食免费试吃大礼包,名额有限先到先得!@小明 [心]",
    "关注我领取小鹿零食免费试吃大礼包,名额有限先到先得!!@大红 @小王 [哈哈][哈哈]",
    "關注我領取小鹿零食免費試吃大禮包,名額有限先到先得 http://t.cn/Ab12",
    "关注我领取小鹿零食免费试吃大礼包啦,名额有限先到先得!第88位",
    "//@路人甲:关注我领取小鹿零食免费试吃大礼包,名额有限先到先得",
]
OTHERS = [
    "小鹿零食的鹿角脆今天到货了,包装很好,味道也不错",
    "请问鹿角脆什么时候补货?等了好久了",
    "快递三天了还没发货,客服也不回复,太失望了",
]


def test_spam_wave_variants_share_one_key():
    keys = near_duplicate_keys(WAVE + OTHERS)
    assert len(set(keys[: len(WAVE)])) == 1 and keys[0]


def test_distinct_posts_get_distinct_keys():
    keys = near_duplicate_keys(WAVE + OTHERS)
    assert len(set(keys[len(WAVE):])) == len(OTHERS)
    assert keys[0] not in keys[len(WAVE):]


def test_exact_copies_get_the_same_key_in_any_batch():
    alone = near_duplicate_keys([OTHERS[0]])[0]
    assert near_duplicate_keys([OTHERS[1], OTHERS[0] + " @某人 [心]"])[1] == alone


def test_too_short_posts_get_no_key():
    assert near_duplicate_keys(["转发微博", "哈哈哈", ""]) == ["", "", ""]


def test_skeleton_drops_names_digits_emoticons_and_punctuation():
    assert skeleton("好吃!第88位 [心] abc") == "好吃第位"
