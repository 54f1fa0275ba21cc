"""Segmentation adapter for listening rules: jieba, with the workspace dictionary kept whole.

``inhouse.nlp`` does not offer segmentation yet, so monitoring calls jieba through this one
small module; when the NLP package grows a segmenter, only this file changes.

One jieba tokenizer is shared by every workspace and never mutated: the workspace's words
(brand, products) are cut out of the text first, longest first, and jieba cuts the pieces in
between. So one enterprise's dictionary never changes how another's texts are segmented, and
no per-workspace tokenizer (50 MB, seconds to load) is built.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

Token = tuple[str, int, int]  # (word, start, end) in the normalised text

_lock = threading.Lock()
# Above this count in jieba's dictionary a word is everyday language (有点 3,706, 没想到 2,783;
# 苍蝇 362, 失望 1,234 stay).
COMMON_FREQ = 2000
_base = None


def normalize(text: str) -> str:
    """Full-width to half-width and lower case, so '鹿角脆ＰＲＯ' finds 'pro'."""
    return unicodedata.normalize("NFKC", text).lower()


def _tokenizer():
    global _base
    if _base is None:
        with _lock:
            if _base is None:
                import jieba  # lazy: 1-5 s to load, only when a rule needs segmentation

                jieba.setLogLevel(60)
                tok = jieba.Tokenizer()
                tok.initialize()
                _base = tok
    return _base


class Segmenter:
    """Cuts normalised text into tokens with offsets; knows which tokens are dictionary words."""

    def __init__(self, dictionary: Iterable[str] = ()):
        words = sorted({normalize(w).strip() for w in dictionary if w and w.strip()},
                       key=len, reverse=True)
        self.dictionary = frozenset(words)
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None
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
        tokens = self._cache[text] = self._tokenize(text)
        return tokens

    def _tokenize(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        pos = 0
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                tokens.extend(self._cut(text[pos : m.start()], pos))
                tokens.append((m.group(), m.start(), m.end()))
                pos = m.end()
        tokens.extend(self._cut(text[pos:], pos))
        return tokens

    @staticmethod
    def _cut(piece: str, offset: int) -> list[Token]:
        if not piece:
            return []
        out = []
        # HMM off: 3x faster, and unknown runs stay as single characters, which the
        # substring rule in query.py handles.
        for word, start, end in _tokenizer().tokenize(piece, HMM=False):
            if not word.isspace():
                out.append((word, start + offset, end + offset))
        return out

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
    return _tokenizer().FREQ.get(word) or 0


@lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    return len(word) > 1 and bool(_tokenizer().FREQ.get(word))
