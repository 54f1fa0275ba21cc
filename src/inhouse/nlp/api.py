"""Interim analysis API; the NLP issue replaces the internals with trained models."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

VERSION = "interim-0"


@dataclass(frozen=True)
class TextAnalysis:
    sentiment: str  # positive | neutral | negative
    p_positive: float
    emotion: str  # angry | fear | happy | neutral | sad | surprise
    intent: str  # consultation | complaint | praise | cooperation | spam | other
    version: str = VERSION


def analyze_texts(texts: Sequence[str], dictionary: Sequence[str] = ()) -> list[TextAnalysis]:
    return [TextAnalysis("neutral", 0.5, "neutral", "other") for _ in texts]


_NOISE = re.compile(r"@[\w\-]+|https?://\S+|\[[^\]]{1,8}\]|\d+|\W+")


def near_duplicate_keys(texts: Sequence[str]) -> list[str]:
    keys = []
    for text in texts:
        core = _NOISE.sub("", text or "")
        keys.append(hashlib.blake2b(core.encode(), digest_size=8).hexdigest() if len(core) >= 6 else "")
    return keys
