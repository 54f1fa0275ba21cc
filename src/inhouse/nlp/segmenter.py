"""Word segmentation with jieba, keeping the workspace's own names whole.

jieba's module-level dictionary is process-wide, so adding one workspace's names there would
leak into every other workspace. Instead we use one private ``jieba.Tokenizer`` (``lazydict``:
its dictionary loads lazily, only the entries the texts can contain) and cut each text around
the dictionary names first: a name is emitted as one token whatever jieba would have done with
it, even names with spaces or Latin letters in them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from inhouse.nlp.textnorm import normalize_many


def _jieba():
    # The process's one jieba dictionary, loaded lazily bucket by bucket (lazydict): the same
    # words as a fully loaded jieba.Tokenizer, shared with the knowledge base and monitoring.
    from inhouse.nlp.lazydict import tokenizer

    return tokenizer()


@lru_cache(maxsize=64)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Longest names first, so "小鹿零食旗舰店" wins over "小鹿零食"."""
    cleaned = sorted({n for n in normalize_many(list(names)) if n}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(n) for n in cleaned))


def segment(text: str, dictionary: Sequence[str] = (), *, normalized: bool = False) -> list[str]:
    """Tokens of ``text`` (normalised first unless ``normalized``); spaces are dropped."""
    return segment_many([text], dictionary, normalized=normalized)[0]


def segment_many(texts: Sequence[str], dictionary: Sequence[str] = (), *,
                 normalized: bool = False) -> list[list[str]]:
    norm = list(texts) if normalized else normalize_many(texts)
    pattern = _name_pattern(tuple(sorted(set(dictionary))))
    tk = _jieba()
    out = []
    for text in norm:
        tokens: list[str] = []
        pos = 0
        for match in pattern.finditer(text) if pattern else ():
            tokens.extend(tk.lcut(text[pos:match.start()]))
            tokens.append(match.group(0))
            pos = match.end()
        tokens.extend(tk.lcut(text[pos:]))
        out.append([t for t in tokens if t.strip()])
    return out
