"""Training texts for the intent model, drawn from real data in the shared folder (never the demo).

There is no labelled intent corpus for Weibo, so each class borrows a set whose texts play
that part (see docs/intent-and-learning.md for what each choice costs):

- consultation: customer questions — Alipay customer service (atec_afqmc), open-domain
  questions (lcqmc), and the shoppers' turns of Taobao customer-service chats
  (ecd_taobao_dialogue_sample) that the question rule calls a question (a weak label);
- complaint: negative food-delivery reviews (waimai_10k label 0);
- praise: positive food-delivery reviews (waimai_10k label 1);
- other: Weibo posts about anything (weibo2018, SMP2020-EWECT, clue_emotion2020) on which
  no rule fires — chatter that asks for nothing — and the shoppers' non-question turns;
- weak labels: the same Weibo posts on which a rule does fire (a question asking for
  information, complaint words in a negative post, praise words in a positive one) join
  that rule's class, so the model also sees each class written the Weibo way.

Spam and cooperation have no real labelled text here; they stay with the rules.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from inhouse.nlp.data import _need

MODEL_CLASSES = ("complaint", "consultation", "other", "praise")


def _csv(path: Path) -> list[dict[str, str]]:
    with _need(path).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _jsonl(path: Path) -> list[dict]:
    with _need(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _sample(texts: list[str], k: int, rng: random.Random) -> list[str]:
    uniq = sorted({t.strip() for t in texts if t and t.strip()})
    rng.shuffle(uniq)
    return uniq[:k]


def intent_texts(data: Path, split: str, seed: int, per_source: int = 3000
                 ) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, source names) for ``split`` ("train" or "dev"), sampled with ``seed``."""
    from inhouse.nlp.intent import _QUESTION

    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []

    def add(texts: list[str], label: str, source: str, k: int = per_source) -> None:
        out.extend((t, label, source) for t in _sample(texts, k, rng))

    atec = _csv(data / "atec_afqmc" / f"{split}.csv")
    add([r["query0"] for r in atec] + [r["query1"] for r in atec], "consultation", "atec_afqmc")
    lcqmc = _csv(data / "lcqmc" / f"{split}.csv")
    add([r["text_a"] for r in lcqmc] + [r["text_b"] for r in lcqmc], "consultation", "lcqmc")
    # shoppers open each chat; their turns are the even ones (a weak guess, good enough here)
    shopper = {t.replace(" ", "") for r in _jsonl(data / "ecd_taobao_dialogue_sample" / f"{split}.jsonl")
               for t in r["context"][0::2]}
    add([t for t in shopper if len(t) >= 4 and _QUESTION.search(t)], "consultation", "ecd_taobao")
    add([t for t in shopper if not _QUESTION.search(t)], "other", "ecd_taobao")
    waimai = _csv(data / "waimai_10k" / f"{split}.csv")
    add([r["review"] for r in waimai if r["label"] == "0"], "complaint", "waimai_10k", 2 * per_source)
    add([r["review"] for r in waimai if r["label"] == "1"], "praise", "waimai_10k", 2 * per_source)
    weibo = [r["text"] for r in _csv(data / "weibo2018_sentiment" / f"{split}.csv")]
    weibo += [r["content"] for r in _jsonl(data / "smp2020_ewect" / f"{split}.jsonl")]
    weibo += [r["content"] for r in _jsonl(data / "clue_emotion2020" / f"{split}.jsonl")]
    for label, texts in _weak_labels(sorted(set(weibo))).items():
        add(texts, label, f"weibo-rules:{label}", 2 * per_source if label == "other" else per_source)
    rng.shuffle(out)
    return [t for t, _, _ in out], [y for _, y, _ in out], [s for _, _, s in out]


def _weak_labels(texts: list[str]) -> dict[str, list[str]]:
    """Weibo posts grouped by what the rules say (see the module docstring); spam and
    cooperation hits and weak question hits are left out."""
    from inhouse.nlp.classify import get_model
    from inhouse.nlp.intent import _ASK, classify_intent
    from inhouse.nlp.textnorm import clean, widen_simplify_many

    wide = widen_simplify_many(texts)
    norm = [clean(w) for w in wide]
    p_pos = get_model("sentiment").predict_proba(norm)[:, 1]
    emo = get_model("emotion")
    emotions = [emo.classes[i] for i in emo.predict_proba(norm).argmax(axis=1)]
    out: dict[str, list[str]] = {"other": [], "consultation": [], "complaint": [], "praise": []}
    for text, w, p, e in zip(texts, wide, p_pos.tolist(), emotions, strict=True):
        rule = classify_intent(w, p, e)
        if rule.intent == "consultation" and not _ASK.search(w):
            continue  # "?" or 吗 alone: often rhetorical on Weibo
        if rule.intent in out:
            out[rule.intent].append(text)
    return out
