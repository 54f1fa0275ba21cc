"""Segmentation for listening rules, on top of ``inhouse.nlp``'s segmenter.

Cutting text into words is ``inhouse.nlp.segment_many`` (jieba with the workspace's names kept
whole, one shared tokenizer that is never mutated); this module only adds what rule matching
needs beyond a list of words: character offsets in the normalised text, a per-text cache, and
two lexicon questions (is this a word of the general dictionary? an everyday one?) answered from
jieba's dictionary as the segmenter loads it (``inhouse.nlp.lazydict``).

Normalisation here is deliberately lighter than ``inhouse.nlp.normalize``: NFKC and lower case
only, so offsets stay put and the ``//@name:`` chains and mentions stay in the text for the
viral detector and for rules that name an account.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

Token = tuple[str, int, int]  # (word, start, end) in the normalised text

# Above this count in jieba's dictionary a word is everyday language (有点 3,706, 没想到 2,783;
# 苍蝇 362, 失望 1,234 stay).
COMMON_FREQ = 2000

def normalize(text: str) -> str:
    """Full-width to half-width and lower case, so '鹿角脆ＰＲＯ' finds 'pro'."""
    return unicodedata.normalize("NFKC", text).lower()


def _offsets(text: str, words: list[str]) -> list[Token]:
    # nlp's segmenter returns the words in order and drops only whitespace, so each word is
    # found at or after the end of the previous one.
    tokens: list[Token] = []
    pos = 0
    for word in words:
        start = text.find(word, pos)
        if start < 0:  # never expected; keep the token without breaking the offsets after it
            continue
        tokens.append((word, start, start + len(word)))
        pos = start + len(word)
    return tokens


class Segmenter:
    """Cuts normalised text into tokens with offsets; knows which tokens are dictionary words."""

    def __init__(self, dictionary: Iterable[str] = ()):
        words = sorted({normalize(w).strip() for w in dictionary if w and w.strip()},
                       key=len, reverse=True)
        self.dictionary = frozenset(words)
        self._names = tuple(words)
        self._cache: dict[str, list[Token]] = {}

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of already-normalised ``text``; workspace words are whole tokens."""
        # The rule matcher and the emerging-terms detector ask for the same text in turn,
        # and reposts repeat their original's text: a small cache serves both.
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        if len(self._cache) > 4096:
            self._cache.clear()
        from inhouse.nlp import segment_many

        tokens = self._cache[text] = _offsets(
            text, segment_many([text], self._names, normalized=True)[0])
        return tokens

    def is_other_word(self, word: str) -> bool:
        """True for a word of the general dictionary that is not one of the workspace's."""
        return word not in self.dictionary and _known(word)

    def is_common(self, word: str) -> bool:
        """An everyday word: more frequent in jieba's general dictionary than COMMON_FREQ."""
        return word not in self.dictionary and _freq(word) > COMMON_FREQ

    def words(self, text: str) -> list[str]:
        return [w for w, _, _ in self.tokenize(normalize(text))]


@lru_cache(maxsize=65536)
def _freq(word: str) -> int:
    from inhouse.nlp.lazydict import frequency  # the process's one jieba dictionary

    return frequency(word)


@lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    return len(word) > 1 and _freq(word) > 0
