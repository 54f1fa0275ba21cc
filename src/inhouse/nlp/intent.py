"""Intent: transparent rules plus a trained text model.

consultation, complaint, praise, cooperation, spam, other. ``classify_intents`` (the batch
entry point) lets a rule decide whenever one fires; the text model (complaint / consultation
/ other / praise, trained on real data, see intent_data.py) decides the texts no rule claims,
when its best class is complaint or praise (``FILL_CLASSES``) and at least ``fill_threshold``
likely (chosen on dev data when the model is trained, see intent_train.py). Why the rules
keep the first word: on Weibo text from a brand's own inbox they are more precise than a
model trained on other domains (the figures are in docs/intent-and-learning.md). ``classify_intent`` below is the rules alone.

Rules read the half-width, simplified text (digits and URLs still in it) and the sentiment
and emotion already computed. First match wins, in this order, because it is the order in
which a mistake costs the team most: spam (never route it to a person), cooperation (a
partner waiting), complaint (an unhappy customer), consultation (a question), praise.
Each result names the rule that fired, so the desk can show why. Weak spots: see docs/nlp.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

INTENTS = ("consultation", "complaint", "praise", "cooperation", "spam", "other")
FILL_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
MODEL_NAME = "intent"

_SPAM = [
    ("phone", re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|(?<!\d)400[\s-]?\d{3}[\s-]?\d{4}")),
    ("contact", re.compile(r"加\s*[vV微威薇]|[vV][xX]|微信号?[:：\s]|wx[:：\s]?[a-zA-Z0-9]|qq[:：\s]?\d{5,}|扣扣|加群|私聊我", re.I)),
    ("promo", re.compile(r"刷粉|涨粉|买粉|代购|兼职|日赚|日结|返利|返现|招代理|免费领|点击链接|低价出|优惠码|刷单|引流|互粉|互关|网赚|贷款|套现|售后服务电话|客服电话")),
]
# "联名" and "商务" alone are mostly product and staff nouns (联名礼盒, 商务同事): only as a proposal
_COOPERATION = re.compile(
    r"合作|商务(合作|洽谈|联系|对接)|(想|希望|能否|可以|寻求|谈).{0,6}联名|联名(吗|\?)|对接|"
    r"赞助|代言|加盟|招商|洽谈|置换|寻求.{0,4}伙伴|样品寄|寄样|推广位|直播带货|入驻")
_COMPLAINT = re.compile(
    r"投诉|差评|退款|退货|骗|垃圾|太差|很差|真差|坑人|被坑|质量问题|不发货|还没发货|没收到|漏发|发错|"
    r"态度.{0,3}(差|恶劣)|不理人|不回复|没人回|维权|曝光|12315|消协|恶心|失望|坏了|变质|过期|发霉|"
    r"异物|吃出|拉肚子|过敏了|起疹|破损|假货|欺诈|虚假|霸王条款|再也不|拉黑|避雷|(?<!怕)踩雷|难吃|难用")
_QUESTION = re.compile(
    r"[?]|吗|怎么|如何|多少钱|价格(是|要)?多少|什么价|几块|有货|补货|什么时候|何时|哪天|发货|过敏|能不能|可不可以|是否|"
    r"哪里买|在哪|哪儿|求问|请问|咨询|有没有|几天|尺码|保质期|怎么办|包邮|运费|退换|适合|会不会|啥时候|"
    r"还有吗|链接呢|求链接")
# a plain request for information: keeps a question a consultation however the models read its tone
_ASK = re.compile(r"请问|咨询|求问|问一?下|有货|补货|多少钱|价格|尺码|保质期|过敏|哪里买|在哪|包邮|运费|"
                  r"怎么(买|用|吃|申请|办|退|联系|处理|保存|查)|能不能|可不可以|有没有|适合")
# a problem told as a request for the remedy ("袋子破了，怎么处理?", "能补发吗"): the customer
# waits for an answer, so it is a consultation even though it names a fault
_REMEDY = re.compile(r"怎么(处理|办|退|换|补|查)|能(补发|退|换|赔|查)|可以(补发|退|换)|找谁|"
                     r"(一般|大概|要)?多久(发|到|能)|要几天|正常吗|能不能(退|换|补)")
# what makes a question rhetorical: an angry one of these is a complaint, not a request
_RHETORICAL = re.compile(r"还不|凭什么|难道|到底|就完了|就这|还有脸|什么意思|搞什么|有没有良心|"
                         r"[?？]{2,}|[!！]")
# a question to other fans, not to the brand ("有没有同好", "有人一起去吗"): not a consultation
_SOCIAL = re.compile(r"有没有同好|同好(吗|呢|\?)|有人一起|有没有人(也|和我|一起)|求组队|一起去.{0,12}(吗|\?)")
_PRAISE = re.compile(
    r"好吃|好用|好喝|好看|喜欢|赞|推荐|满意|爱了|太棒|真棒|很棒|支持|回购|超好|惊喜|给力|"
    r"良心|宝藏|yyds|绝绝子|必须买|好评|点赞|安利|绝了|\[(赞|good|鼓掌|爱你|给力|好喜欢)\]", re.I)


_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
_CHAIN_MARK = " // "  # what textnorm.clean leaves where a //@name: repost link was


def model_texts(norm: Sequence[str]) -> list[str]:
    """What the intent model reads: the author's own words, without emoticon codes.

    Its training texts come from sources with no Weibo markup (customer-service questions,
    delivery reviews); left in, emoticons and quoted repost chains would tell the model
    "this is a Weibo post" rather than what the author wants.
    """
    out = []
    for text in norm:
        own = text.split(_CHAIN_MARK, 1)[0] if _CHAIN_MARK in f" {text} " else text
        own = _EMOTICON.sub("", own).replace("转发微博", "").strip(" /")
        out.append(own or _EMOTICON.sub("", text).strip() or text)
    return out


@dataclass(frozen=True)
class Intent:
    intent: str
    rule: str  # which rule fired, e.g. "spam:phone", "complaint:words", "other"


def classify_intent(text: str, p_positive: float, emotion: str) -> Intent:
    """``text``: half-width, simplified, markup intact (textnorm.widen_simplify_many output)."""
    for name, pattern in _SPAM:
        if pattern.search(text):
            return Intent("spam", f"spam:{name}")
    if _COOPERATION.search(text):
        return Intent("cooperation", "cooperation:words")
    if _COMPLAINT.search(text) and p_positive < 0.6:
        if _REMEDY.search(text) and _QUESTION.search(text):
            return Intent("consultation", "consultation:remedy")
        return Intent("complaint", "complaint:words")
    if _QUESTION.search(text):
        # an angry, clearly negative, rhetorical question that asks for nothing is a
        # complaint ("出了这种事还不回应?"); short plain questions read as negative to the
        # models, so tone alone does not make one
        if (p_positive < 0.3 and emotion == "angry" and not _ASK.search(text)
                and _RHETORICAL.search(text)):
            return Intent("complaint", "complaint:angry-question")
        if not (_SOCIAL.search(text) and not _ASK.search(_SOCIAL.sub("", text))):
            return Intent("consultation", "consultation:question")
    if p_positive < 0.15 and emotion == "angry":
        return Intent("complaint", "complaint:angry")
    if _PRAISE.search(text) and p_positive >= 0.5:
        return Intent("praise", "praise:words")
    if p_positive >= 0.9 and emotion == "happy":
        return Intent("praise", "praise:happy")
    return Intent("other", "other")


# Classes the model may give a text no rule claimed. Not consultation: every question form
# the rules know is already a consultation, and what the model calls a question beyond them
# on Weibo is mostly chatter ("打卡", "求抽中", "谁懂啊": short search-like queries, as in its
# lcqmc training text). On the demo week its consultation fills were right 43 times in 532.
FILL_CLASSES = frozenset({"complaint", "praise"})


def _fill(rule: Intent, proba: np.ndarray, classes: Sequence[str], fill_threshold: float) -> Intent:
    best = int(proba.argmax())
    if rule.intent == "other" and proba[best] >= fill_threshold and classes[best] in FILL_CLASSES:
        return Intent(classes[best], f"model:{classes[best]} ({proba[best]:.2f})")
    return rule


def fuse(widened: Sequence[str], proba: np.ndarray, p_positive: Sequence[float],
         emotions: Sequence[str], classes: Sequence[str], fill_threshold: float) -> list[Intent]:
    """The rules' intent when one fires; else the model's class if it is sure enough."""
    return [_fill(classify_intent(text, float(p), emotion), proba[row], classes, fill_threshold)
            for row, (text, p, emotion) in enumerate(zip(widened, p_positive, emotions, strict=True))]


def intent_model():
    """The shipped intent model (loaded once), or None when its file is absent."""
    from inhouse.nlp.artifact import MODELS_DIR
    from inhouse.nlp.classify import get_model

    if not (MODELS_DIR / f"{MODEL_NAME}.json").exists():
        return None
    return get_model(MODEL_NAME)


def intent_proba(norm: Sequence[str]) -> tuple[np.ndarray, list[str]] | None:
    """The model's probabilities over its classes for normalised texts, or None without a model."""
    model = intent_model()
    if model is None:
        return None
    return model.predict_proba(model_texts(norm)), list(model.classes)


def classify_intents(widened: Sequence[str], norm: Sequence[str], p_positive: Sequence[float],
                     emotions: Sequence[str]) -> list[Intent]:
    """Intent for a batch: ``widened`` as for classify_intent, ``norm`` as the models read."""
    rules = [classify_intent(t, float(p), e) for t, p, e in zip(widened, p_positive, emotions, strict=True)]
    model = intent_model()
    if model is None:  # a checkout without the model file still works, on rules alone
        return rules
    # the model only ever changes what no rule claimed: run it on those texts alone
    # (about half of a brand's inbox), which keeps its cost off the rest of the batch
    todo = [i for i, r in enumerate(rules) if r.intent == "other"]
    if todo:
        proba = model.predict_proba(model_texts([norm[i] for i in todo]))
        threshold = float(model.header["fill_threshold"])
        for row, i in enumerate(todo):
            rules[i] = _fill(rules[i], proba[row], model.classes, threshold)
    return rules
