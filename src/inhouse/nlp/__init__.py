"""Chinese text analysis for Weibo: pure functions, no Django, no database.

Public interface used by the pipeline (inhouse.pipeline.analyze):
- ``analyze_texts(texts, dictionary=()) -> list[TextAnalysis]``
- ``near_duplicate_keys(texts) -> list[str]``
Also: ``segment`` / ``segment_many`` (jieba with the workspace's names kept whole),
``normalize`` / ``parse`` (Weibo markup). See docs/nlp.md.
"""

from __future__ import annotations

from typing import Any

from inhouse.nlp.api import TextAnalysis, analyze_batch, analyze_texts, near_duplicate_keys

__all__ = ["TextAnalysis", "analyze_batch", "analyze_texts", "near_duplicate_keys", "normalize", "parse",
           "segment", "segment_many"]


def __getattr__(name: str) -> Any:
    # lazy, so importing the package does not load jieba or OpenCC
    if name in ("segment", "segment_many"):
        from inhouse.nlp import segmenter as module
    elif name in ("normalize", "parse"):
        from inhouse.nlp import textnorm as module
    else:
        raise AttributeError(name)
    return getattr(module, name)
