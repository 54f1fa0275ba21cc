"""Chinese text analysis for Weibo: pure functions, no Django, no database.

Public interface used by the pipeline (inhouse.pipeline.analyze):
- ``analyze_texts(texts, dictionary=()) -> list[TextAnalysis]``
- ``near_duplicate_keys(texts) -> list[str]``
"""

from __future__ import annotations

from inhouse.nlp.api import TextAnalysis, analyze_texts, near_duplicate_keys

__all__ = ["TextAnalysis", "analyze_texts", "near_duplicate_keys"]
