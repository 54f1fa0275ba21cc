"""The analysis entry points the pipeline and the CLI call, one batch at a time.

Order of the stages for a batch: normalise → sentiment → emotion → neutral rule → intent.
Heavy modules (numpy, the models) are imported on first call so ``import inhouse.nlp``
stays cheap for the web process and the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# p_positive inside this band AND the emotion model's best class "neutral" → neutral.
# Chosen on SMP2020-EWECT dev (happy → positive; angry/sad/fear → negative; neutral → neutral):
# see neutral_rows in eval/nlp_eval.py and docs/nlp.md. Outside the band the binary model decides.
NEUTRAL_BAND = (0.15, 0.85)


@dataclass(frozen=True)
class TextAnalysis:
    sentiment: str  # positive | neutral | negative
    p_positive: float
    emotion: str  # angry | fear | happy | neutral | sad | surprise
    intent: str  # consultation | complaint | praise | cooperation | spam | other
    version: str = "none"
    intent_rule: str = ""  # which intent rule fired, for the desk to show why
    topics: tuple[str, ...] = field(default_factory=tuple)


def models_version() -> str:
    from inhouse.nlp.classify import get_model

    return f"{get_model('sentiment').version}+{get_model('emotion').version}"


def sentiment_label(p_positive: float, emotion: str, band: tuple[float, float] = NEUTRAL_BAND) -> str:
    if emotion == "neutral" and band[0] < p_positive < band[1]:
        return "neutral"
    return "positive" if p_positive >= 0.5 else "negative"


def analyze_texts(texts: Sequence[str], dictionary: Sequence[str] = ()) -> list[TextAnalysis]:
    """Analyse a batch of raw Weibo texts; one result per text, in order.

    ``dictionary`` (the workspace's names) does not change the classifiers, which read
    characters, not words; it is accepted so callers need not know that (see ``segment``).
    """
    from inhouse.nlp.textnorm import clean, widen_simplify_many

    if not texts:
        return []
    widened = widen_simplify_many(texts)
    return _analyze(widened, [clean(w) for w in widened])


def analyze_batch(texts: Sequence[str], dictionary: Sequence[str] = ()
                  ) -> tuple[list[TextAnalysis], list[str]]:
    """``analyze_texts`` and ``near_duplicate_keys`` of one batch, normalising it once."""
    from inhouse.nlp.dedupe import near_duplicate_keys as keys
    from inhouse.nlp.textnorm import clean, widen_simplify_many

    if not texts:
        return [], []
    widened = widen_simplify_many(texts)
    norm = [clean(w) for w in widened]
    return _analyze(widened, norm), keys(texts, normalized=norm)


def _analyze(widened: list[str], norm: list[str]) -> list[TextAnalysis]:
    from inhouse.nlp.classify import get_model
    from inhouse.nlp.intent import classify_intents
    from inhouse.nlp.textnorm import _TOPIC

    p_pos = get_model("sentiment").predict_proba(norm)[:, 1]
    emo_model = get_model("emotion")  # same feature space: the batch is hashed once for both
    emotions = [emo_model.classes[i] for i in emo_model.predict_proba(norm).argmax(axis=1)]
    version = models_version()
    p_list = [round(p, 4) for p in p_pos.tolist()]
    intents = classify_intents(widened, norm, p_list, emotions)
    out = []
    for wide, p, emotion, intent in zip(widened, p_list, emotions, intents, strict=True):
        topics = tuple(dict.fromkeys(t.strip() for t in _TOPIC.findall(wide) if t.strip())) if "#" in wide else ()
        out.append(TextAnalysis(sentiment_label(p, emotion), p, emotion, intent.intent, version,
                                intent.rule, topics))
    return out


def near_duplicate_keys(texts: Sequence[str]) -> list[str]:
    """A cluster key per text; near-duplicates in the batch share it, "" for too short."""
    from inhouse.nlp.dedupe import near_duplicate_keys as keys

    return keys(texts)
