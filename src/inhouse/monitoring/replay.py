"""Replay: rules + a stream of items in event-time order -> alerts. No database, no network.

Used by ``inhouse monitor replay``, the evaluation, the benchmark and (over stored items) the
monitoring intake, so the live desk and a replay raise the same alerts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from inhouse.monitoring.detect import (
    Alert,
    BurstDetector,
    BurstParams,
    EmergingParams,
    EmergingTermsDetector,
    Event,
    ViralDetector,
    ViralParams,
)
from inhouse.monitoring.query import All, Matcher, QueryError, parse, terms
from inhouse.monitoring.segment import Segmenter, normalize

DETECTORS = ("burst", "viral", "emerging")
# Emerging terms need a brand for words to appear beside, and would segment every item.
STAR_DETECTORS = ("burst", "viral")
MAX_DISORDER_S = 300  # items up to 5 minutes out of order are tolerated (crawlers jitter)

SentimentFn = Callable[[list[str]], list[bool]]


class RulesError(ValueError):
    """RULES.yaml is wrong; says which topic and key."""


class StreamError(ValueError):
    """An input line is wrong; says which line and field."""

    def __init__(self, line: int, field_name: str, message: str):
        super().__init__(f"line {line}: field '{field_name}': {message}")
        self.line = line


@dataclass
class TopicSpec:
    name: str
    query: str
    detectors: tuple[str, ...] = DETECTORS
    burst: BurstParams = field(default_factory=BurstParams)
    viral: ViralParams = field(default_factory=ViralParams)
    emerging: EmergingParams = field(default_factory=EmergingParams)


def _params(cls, values: Any, where: str):
    if values is None:
        return cls()
    if not isinstance(values, dict):
        raise RulesError(f"{where}: expected a mapping of parameters")
    known = {f.name: f.type for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise RulesError(f"{where}: unknown parameter {unknown[0]!r}; known: {', '.join(known)}")
    try:
        # PyYAML reads 1e-5 as a string (YAML 1.1 wants 1.0e-5): convert by declared type.
        cast = {"float": float, "int": int}
        return cls(**{k: cast.get(known[k], lambda x: x)(v) for k, v in values.items()})
    except (TypeError, ValueError) as exc:
        raise RulesError(f"{where}: {exc}") from None


def topic_spec(entry: Any, index: int = 0) -> TopicSpec:
    """One ``{name, query, ...}`` entry of RULES.yaml (or a Topic row's fields) checked."""
    where = f"topics[{index}]"
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: expected a mapping with name and query")
    name, query = entry.get("name"), entry.get("query")
    if not isinstance(name, str) or not name.strip():
        raise RulesError(f"{where}: 'name' is missing")
    where = f"topics[{index}] ({name})"
    if not isinstance(query, str):
        raise RulesError(f"{where}: 'query' is missing (use '*' to take every item)")
    try:
        tree = parse(query)
    except QueryError as exc:
        raise RulesError(f"{where}: query {exc}") from None
    detectors = entry.get("detectors") or (STAR_DETECTORS if isinstance(tree, All) else DETECTORS)
    bad = [d for d in detectors if d not in DETECTORS]
    if bad:
        raise RulesError(f"{where}: unknown detector {bad[0]!r}; known: {', '.join(DETECTORS)}")
    return TopicSpec(
        name=name.strip(), query=query, detectors=tuple(detectors),
        burst=_params(BurstParams, entry.get("burst"), f"{where}.burst"),
        viral=_params(ViralParams, entry.get("viral"), f"{where}.viral"),
        emerging=_params(EmergingParams, entry.get("emerging"), f"{where}.emerging"),
    )


def load_rules(text: str) -> tuple[list[TopicSpec], list[str]]:
    """Parse RULES.yaml text: returns the topics and the optional ``dictionary`` words."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise RulesError("expected a mapping with 'topics:', a list of {name, query}")
    dictionary = data.get("dictionary") or []
    if not isinstance(dictionary, list):
        raise RulesError("'dictionary' must be a list of words")
    specs = [topic_spec(entry, i) for i, entry in enumerate(data["topics"])]
    names = [s.name for s in specs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RulesError(f"topic name {sorted(dupes)[0]!r} is used twice")
    return specs, [str(w) for w in dictionary]


def build_detectors(spec: TopicSpec, seg: Segmenter) -> list[Any]:
    """The detectors a topic asked for, fresh (state starts empty)."""
    detectors: list[Any] = []
    if "burst" in spec.detectors:
        detectors.append(BurstDetector(spec.name, spec.burst))
    if "viral" in spec.detectors:
        detectors.append(ViralDetector(spec.name, spec.viral))
    if "emerging" in spec.detectors:
        # The workspace's own names and their parts (家电 of 暖风家电) are known, not emerging.
        ignore = {*terms(parse(spec.query))} | {
            w[i:j] for w in seg.dictionary for i in range(len(w)) for j in range(i + 2, len(w) + 1)}
        detectors.append(EmergingTermsDetector(spec.name, seg.words, ignore, spec.emerging,
                                               common=seg.is_common))
    return detectors


class _Topic:
    def __init__(self, spec: TopicSpec, seg: Segmenter, dictionary: Sequence[str]):
        self.spec = spec
        self.matcher = Matcher(spec.query, seg)
        self.members: set[str] = set()  # ids matched, so their reposts and comments belong too
        self.detectors = build_detectors(spec, seg)
        self.needs_sentiment = any(d in spec.detectors for d in ("burst", "emerging"))

    def takes(self, ev: Event, norm: str) -> bool:
        if self.matcher.takes_all:
            return True
        if (ev.root_id and ev.root_id in self.members) or (
                ev.parent_id and ev.parent_id in self.members):
            self.members.add(ev.id)
            return True
        if self.matcher.matches_normalized(norm):
            self.members.add(ev.id)
            return True
        return False


def nlp_sentiment(dictionary: Sequence[str] = ()) -> SentimentFn:
    """Negative or not, from the NLP module (imported lazily: the models load on first use)."""
    def run(texts: list[str]) -> list[bool]:
        from inhouse.nlp import analyze_texts

        return [r.sentiment == "negative" for r in analyze_texts(texts, dictionary=dictionary)]
    return run


class Monitor:
    """Topics and their detectors over one stream; feed batches in event-time order."""

    def __init__(self, topics: Sequence[TopicSpec], dictionary: Sequence[str] = (),
                 sentiment: SentimentFn | None = None):
        self.seg = Segmenter(dictionary)
        self.topics = [_Topic(t, self.seg, dictionary) for t in topics]
        self.sentiment = sentiment or nlp_sentiment(dictionary)

    def feed_batch(self, events: Sequence[Event]) -> list[Alert]:
        topics = self.topics
        routed = []
        for ev in events:
            norm = normalize(ev.text) if ev.text else ""
            routed.append((ev, [t for t in topics if t.takes(ev, norm)]))
        todo = [ev for ev, ts in routed
                if ev.negative is None and ev.text and any(t.needs_sentiment for t in ts)]
        if todo:
            for ev, neg in zip(todo, self.sentiment([ev.text for ev in todo]), strict=True):
                ev.negative = neg
        alerts: list[Alert] = []
        for ev, topics in routed:
            for topic in topics:
                for det in topic.detectors:
                    alerts.extend(det.feed(ev))
        return alerts

    def run(self, events: Iterable[Event], batch: int = 2000) -> Iterator[Alert]:
        chunk: list[Event] = []
        for ev in events:
            chunk.append(ev)
            if len(chunk) >= batch:
                yield from self.feed_batch(chunk)
                chunk = []
        if chunk:
            yield from self.feed_batch(chunk)


_SENTIMENTS = {"negative": True, "positive": False, "neutral": False}


def event_from_json(obj: Any, line: int = 0) -> Event:
    """One input object (the issue's stream format) as an Event; StreamError names the field."""
    if not isinstance(obj, dict):
        raise StreamError(line, "(line)", "expected a JSON object")
    try:
        ident = obj["id"]
    except KeyError:
        raise StreamError(line, "id", "is missing") from None
    kind = obj.get("kind") or "post"
    if kind not in ("post", "repost", "comment", "reply"):
        raise StreamError(line, "kind", f"{kind!r} is not post, repost or comment")
    raw_time = obj.get("created_at")
    try:
        if isinstance(raw_time, int | float) and not isinstance(raw_time, bool):
            when = dt.datetime.fromtimestamp(raw_time, dt.UTC)
        else:
            when = dt.datetime.fromisoformat(raw_time)
        when.timestamp()  # year 1 or 9999 with an offset leaves the representable range
    except (TypeError, ValueError, OverflowError, OSError):
        raise StreamError(line, "created_at",
                          f"{raw_time!r} is not ISO 8601 with an offset") from None
    offset = when.utcoffset()
    if offset is None:
        raise StreamError(line, "created_at", f"{raw_time!r} has no UTC offset (+08:00)")
    author = obj.get("author") or {}
    if not isinstance(author, dict):
        raise StreamError(line, "author", "expected an object")
    sentiment = obj.get("sentiment")
    text = obj.get("text") or ""
    if not isinstance(text, str):
        raise StreamError(line, "text", f"expected a string, got {type(text).__name__}")
    try:
        followers = int(author.get("followers_count") or 0)
    except (TypeError, ValueError, OverflowError):
        raise StreamError(line, "author.followers_count",
                          f"{author.get('followers_count')!r} is not a whole number") from None
    return Event(
        id=str(ident), kind=kind, ts=when.timestamp(), offset=int(offset.total_seconds()),
        text=text,
        author_id=str(author.get("id") or author.get("uid") or ""),
        author_name=author.get("screen_name") or "",
        followers=followers,
        verified=bool(author.get("verified")),
        parent_id=str(obj.get("parent_id") or ""), root_id=str(obj.get("root_id") or ""),
        negative=_SENTIMENTS.get(sentiment) if isinstance(sentiment, str) else None,
    )


def read_stream(lines: Iterable[str]) -> Iterator[Event]:
    """Events from JSONL lines; checks event-time order (small jitter tolerated)."""
    latest = float("-inf")
    loads = json.loads
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
            raise StreamError(number, "(line)", f"not valid JSON: {exc}") from None
        ev = event_from_json(obj, number)
        if ev.ts < latest:
            if latest - ev.ts > MAX_DISORDER_S:
                raise StreamError(number, "created_at", "earlier than a previous item by more "
                                  "than 5 minutes; sort the stream by event time")
            ev.ts = latest  # jitter: detectors need a clock that never runs backwards
        latest = ev.ts
        yield ev


def replay(rules_text: str, lines: Iterable[str], out: TextIO,
           sentiment: SentimentFn | None = None) -> int:
    """The CLI's work: write one JSON line per alert to ``out``; returns how many."""
    topics, dictionary = load_rules(rules_text)
    monitor = Monitor(topics, dictionary, sentiment)
    n = 0
    for alert in monitor.run(read_stream(lines)):
        out.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n
