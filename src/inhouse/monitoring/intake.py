"""Route's hand-off to monitoring: match topics, run the detectors, open or join incidents.

Contract (pipeline.route): ``intake(items) -> int`` takes analysed items and returns how many
matched a topic. Idempotent: ItemTopic rows are unique per (item, topic), alerts per
(topic, key), and each item is fed to a topic's detectors once.

Detection is incremental. Each topic keeps its detectors' state in ``DetectorState`` with a
cursor (the last item fed, by event time then id); a batch feeds only the topic's items past
the cursor, so the work per batch is the batch, not the week. Items that arrive late are
handled like the replay handles a jittery stream: up to ``MAX_DISORDER_S`` behind the cursor
they are fed at the cursor's time; later than that, the topic's state is rebuilt from the
stored items ``HISTORY`` before the late item (alerts already stored keep their key, so
nothing fires twice). A changed rule, detector setting or workspace dictionary rebuilds too.

One writer per topic: linking and feeding happen while holding the topic's DetectorState row
(``select_for_update``; on SQLite the IMMEDIATE transaction is the lock), so two workers
routing overlapping batches never feed an item twice or double-fire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import pickle
import zlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inhouse.core.models import Account, Item, ItemTopic, Workspace
from inhouse.monitoring import actions
from inhouse.monitoring.detect import Alert, Event
from inhouse.monitoring.models import DetectorState, Topic
from inhouse.monitoring.query import Matcher
from inhouse.monitoring.replay import MAX_DISORDER_S, RulesError, build_detectors, topic_spec
from inhouse.monitoring.segment import Segmenter, normalize

log = logging.getLogger(__name__)

# How far back a rebuild looks: a week gives the burst baseline every weekday and hour.
HISTORY = dt.timedelta(days=7)
_LOCAL_OFFSET = 8 * 3600  # hour of day and weekday are read in Beijing time
STATE_VERSION = 2  # 2: the viral detector forgets old depths and retired posts
# Detector attributes rebuilt from the topic's settings rather than stored.
_NOT_STORED = frozenset({"topic", "p", "segment", "common", "ignore"})


def intake(items: list[Item]) -> int:
    by_workspace: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_workspace[item.workspace_id].append(item)
    matched = 0
    for workspace_id, group in by_workspace.items():
        topics = list(Topic.objects.filter(workspace_id=workspace_id, active=True))
        if topics:
            matched += _intake_workspace(group[0].workspace, topics, group)
    return matched


def _intake_workspace(workspace: Workspace, topics: list[Topic], items: list[Item]) -> int:
    seg = Segmenter(workspace.dictionary or [])
    items = sorted(items, key=lambda i: (i.created_at, i.id))
    norms = [normalize(i.text or "") for i in items]
    matched = 0
    for topic in topics:
        try:
            matcher = Matcher(topic.query, seg)
        except ValueError:
            continue  # saved through actions, so valid; a hand-edited row must not stop routing
        # Matching and cutting the texts are pure: done before taking the topic's lock, so
        # two workers do them in parallel and hold the lock only for the writes and the
        # detectors. Thread members are known only under the lock; their words are cut now
        # too (the segmenter's cache serves the emerging-terms detector).
        hits = [matcher.matches_normalized(norm) for norm in norms]
        for item, norm, hit in zip(items, norms, hits, strict=True):
            if norm and (hit or item.root_platform_id or item.parent_platform_id):
                seg.tokenize(norm)
        with topic_lock(topic) as state:
            linked = _link(workspace, topic, hits, items)
            matched += len(linked)
            if linked:
                _detect(topic, seg, state, linked)
    return matched


def _link(workspace: Workspace, topic: Topic, matched: list[bool], items: list[Item]) -> list[Item]:
    """Store the topic's ItemTopic rows for ``items`` (``matched``: each one's text matches the
    topic's rule); returns the newly linked items."""
    roots = {i.root_platform_id or i.parent_platform_id for i in items} - {""}
    # The item's workspace too, so the join reads core_item by its (workspace, platform id)
    # index: without it PostgreSQL scanned the whole item table for the ids, every batch.
    members = set(
        ItemTopic.objects.filter(workspace=workspace, topic=topic.name,
                                 item__workspace=workspace, item__platform_id__in=roots)
        .values_list("item__platform_id", flat=True)
    ) if roots else set()
    hits = []
    for item, match in zip(items, matched, strict=True):
        thread = item.root_platform_id or item.parent_platform_id
        if (thread and thread in members) or match:
            members.add(item.platform_id)
            hits.append(item)
    if not hits:
        return []
    known = set(ItemTopic.objects.filter(topic=topic.name, item__in=hits)
                .values_list("item_id", flat=True))
    new = [i for i in hits if i.id not in known]
    ItemTopic.objects.bulk_create(
        [ItemTopic(workspace=workspace, item=i, topic=topic.name, created_at=i.created_at)
         for i in new], ignore_conflicts=True, batch_size=500)
    return new


class topic_lock:  # noqa: N801 - used as a context manager, reads as a statement
    """``with topic_lock(topic) as state:`` a transaction holding the topic's DetectorState
    row; nobody else feeds the topic until it ends."""

    def __init__(self, topic: Topic):
        self.topic = topic
        self._atomic = transaction.atomic()

    def __enter__(self) -> DetectorState:
        DetectorState.objects.get_or_create(topic=self.topic)
        self._atomic.__enter__()
        return DetectorState.objects.select_for_update().get(topic=self.topic)

    def __exit__(self, *exc: Any) -> None:
        self._atomic.__exit__(*exc)


def fingerprint(topic: Topic, seg: Segmenter) -> str:
    raw = json.dumps([STATE_VERSION, topic.query, topic.settings or {}, sorted(seg.dictionary)],
                     sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def snapshot(detectors: list[Any]) -> bytes:
    """The detectors' state as bytes (their parameters and callables are rebuilt, not kept)."""
    parts = [(type(d).__name__,
              {k: v for k, v in vars(d).items() if k not in _NOT_STORED and not callable(v)})
             for d in detectors]
    return zlib.compress(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL), 1)


def restore(detectors: list[Any], data: bytes) -> bool:
    """Load ``snapshot`` bytes into freshly built detectors; False if they do not fit."""
    try:
        # Written only by snapshot() into our own table, never from user input.
        parts = pickle.loads(zlib.decompress(bytes(data)))  # noqa: S301
    except Exception:  # noqa: BLE001 - a corrupt or old state is rebuilt, never fatal
        return False
    if [name for name, _ in parts] != [type(d).__name__ for d in detectors]:
        return False
    for det, (_, attrs) in zip(detectors, parts, strict=True):
        vars(det).update(attrs)
    return True


def _feed_rows(topic: Topic, since: dt.datetime | None = None,
               after: tuple[dt.datetime, int] | None = None):
    rows = ItemTopic.objects.filter(workspace=topic.workspace, topic=topic.name)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if after is not None:
        at, pk = after
        rows = rows.filter(Q(created_at__gt=at) | Q(created_at=at, item_id__gt=pk))
    return (rows.select_related("item__author").order_by("created_at", "item_id")
            .iterator(chunk_size=2000))


def _items_after(topic: Topic, cursor: tuple[dt.datetime, int], linked: list[Item]) -> list[Item]:
    """The topic's items past the cursor, in feed order. Usually they are the batch's own
    linked items, already in memory: only their keys are read, and only items another worker
    linked are loaded."""
    at, pk = cursor
    keys = list(ItemTopic.objects.filter(workspace=topic.workspace, topic=topic.name)
                .filter(Q(created_at__gt=at) | Q(created_at=at, item_id__gt=pk))
                .order_by("created_at", "item_id").values_list("item_id", flat=True))
    known = {item.id: item for item in linked}
    missing = [key for key in keys if key not in known]
    if missing:
        known.update(Item.objects.select_related("author").in_bulk(missing))
    return [known[key] for key in keys]


def _detect(topic: Topic, seg: Segmenter, state: DetectorState, linked: list[Item]) -> int:
    """Feed the topic's detectors what is new since the state's cursor; store the alerts.
    Returns how many alerts were new."""
    try:
        spec = topic_spec({"name": topic.name, "query": topic.query, **(topic.settings or {})})
    except RulesError:
        return 0
    detectors = build_detectors(spec, seg)
    fp = fingerprint(topic, seg)
    first = min(linked, key=lambda i: (i.created_at, i.id))
    cursor = (state.cursor_at, state.cursor_item) if state.cursor_at else None
    warm = (cursor is not None and state.state is not None and state.fingerprint == fp
            and restore(detectors, state.state))
    late = [i for i in linked if warm and (i.created_at, i.id) <= cursor]
    oldest_late = min((i.created_at for i in late), default=None)
    new = 0
    if warm and oldest_late is not None and (
            (cursor[0] - oldest_late).total_seconds() > MAX_DISORDER_S):
        warm = False  # too late to slot in: rebuild from the week before it
        detectors = build_detectors(spec, seg)
    if not warm:
        since = oldest_late or first.created_at
        rows = (r.item for r in _feed_rows(topic, since=since - HISTORY))
        new, last, fed = _run(topic, detectors, rows, store_from=since.timestamp())
        state.rebuilt_at = timezone.now()
        state.fed = fed
        # Costly when frequent (a week fed again): say why, so operators and benchmarks see it.
        log.info("topic %s: detectors rebuilt from %d items (%s)", topic.pk, fed,
                 "items arrived late" if oldest_late else "no usable state")
    else:
        # A little late: fed at the cursor's time, as the replay does with a jittery stream.
        for item in sorted(late, key=lambda i: (i.created_at, i.id)):
            ev = event_from_item(item)
            ev.ts = cursor[0].timestamp()
            new += _store(topic, [a for d in detectors for a in d.feed(ev)])
        new2, last, fed = _run(topic, detectors, _items_after(topic, cursor, linked),
                               store_from=float("-inf"))
        new += new2
        state.fed += fed + len(late)
        last = last or cursor
    if last:
        state.cursor_at, state.cursor_item = last
    state.fingerprint = fp
    state.state = snapshot(detectors)
    state.save()
    return new


def _run(topic: Topic, detectors: list[Any], items: Iterable[Item], store_from: float
         ) -> tuple[int, tuple[dt.datetime, int] | None, int]:
    new, fed, last = 0, 0, None
    for item in items:
        ev = event_from_item(item)
        fired = [a for d in detectors for a in d.feed(ev)]
        if fired and ev.ts >= store_from:
            new += _store(topic, fired)
        last = (item.created_at, item.id)
        fed += 1
    return new, last, fed


def _store(topic: Topic, fired: list[Alert]) -> int:
    new = 0
    for found in fired:
        # The account's own posts spreading fast is the campaign working, not a crisis.
        if found.kind == "viral" and _is_official(topic, found.item_ids[0]):
            continue
        new += actions.record_alert(topic, found)[1]
    return new


def _is_official(topic: Topic, post_id: str) -> bool:
    official = set(Account.objects.filter(workspace=topic.workspace)
                   .values_list("platform_uid", flat=True))
    # By platform id, the author checked here (see inbox.intake: an author filter in SQL can
    # make the planner walk the account's whole history).
    authors = Item.objects.filter(workspace=topic.workspace, platform_id=post_id).values_list(
        "author__uid", flat=True)
    return any(uid in official for uid in authors)


def event_from_item(item: Item) -> Event:
    author = item.author
    return Event(
        id=item.platform_id, kind=item.kind, ts=item.created_at.timestamp(),
        offset=_LOCAL_OFFSET, text=item.text,
        author_id=author.uid if author else "", author_name=author.screen_name if author else "",
        followers=(author.followers_count or 0) if author else 0,
        verified=bool(author and author.verified),
        parent_id=item.parent_platform_id, root_id=item.root_platform_id,
        negative=(item.sentiment == "negative") if item.sentiment else None,
    )
