"""Text preparation for retrieval: clean Weibo noise, segment words, cut character n-grams.

Normalisation is the NLP module's (`inhouse.nlp.normalize`: simplified characters, half
width, lower case, @names, URLs and `#topic#` markers resolved). Emoticons (`[哈哈]`) and
punctuation carry no meaning for matching a question, so they go here too.

Segmentation is the NLP module's (`inhouse.nlp.segment_many`: jieba, with the workspace
dictionary's words kept whole and never leaking into another workspace), word for word, but
run on a jieba whose dictionary loads lazily (`inhouse.nlp.lazydict`): the CLI's start-up saves ~0.8 s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
_NONWORD = re.compile(r"[\W_]+")
# Particles and pronouns: frequent in questions, never what distinguishes one from another.
# Question words (怎么, 为什么, 多少) are kept: they separate "how" from "why".
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 喔 哇 诶 嗯 我 你 您 他 她 它 我们 你们 是 在 就 都 也 "
    "请问 问下 问一下 一下 谢谢 麻烦 小编 客服 官方 在线 等 亲".split()
)


def clean_many(texts: Sequence[str]) -> list[str]:
    """Normalised text with emoticons and punctuation replaced by single spaces."""
    from inhouse.nlp.textnorm import normalize_many

    out = []
    for text in normalize_many(list(texts)):
        text = _EMOTICON.sub(" ", text)
        out.append(_NONWORD.sub(" ", text).strip())
    return out


class Segmenter:
    """Words of a cleaned text, the workspace dictionary's words kept whole, stopwords out."""

    def __init__(self, dictionary: Iterable[str] = ()) -> None:
        self.dictionary = tuple(sorted({d for d in dictionary if d and d.strip()}))

    def cut_many(self, cleaned: Sequence[str]) -> list[list[str]]:
        return [[w for w in words if w not in STOPWORDS] for words in segment_many(cleaned, self.dictionary)]


def segment_many(cleaned: Sequence[str], dictionary: Sequence[str] = ()) -> list[list[str]]:
    """`inhouse.nlp.segment_many(cleaned, dictionary, normalized=True)`, same words, on the
    lazily loaded jieba: the dictionary's names cut out first, jieba on the rest."""
    from inhouse.nlp.lazydict import tokenizer  # lazy: imports jieba
    from inhouse.nlp.segmenter import _name_pattern  # the NLP module's rule for names

    pattern = _name_pattern(tuple(sorted(set(dictionary))))
    cut = tokenizer().lcut
    out = []
    for text in cleaned:
        words: list[str] = []
        pos = 0
        for match in pattern.finditer(text) if pattern else ():
            words.extend(cut(text[pos:match.start()]))
            words.append(match.group(0))
            pos = match.end()
        words.extend(cut(text[pos:]))
        out.append([w for w in words if w.strip()])
    return out


def char_ngrams(text: str, sizes: Sequence[int] = (2, 3)) -> list[str]:
    """Character n-grams inside each space-separated chunk (never across punctuation)."""
    grams: list[str] = []
    for chunk in text.split():
        for n in sizes:
            if len(chunk) < n:
                if n == sizes[0] and chunk:
                    grams.append(chunk)  # a short chunk still counts as itself
                continue
            grams.extend(chunk[i:i + n] for i in range(len(chunk) - n + 1))
    return grams
