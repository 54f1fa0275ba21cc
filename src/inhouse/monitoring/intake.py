"""Route's hand-off to monitoring: match topics, run the detectors, open or join incidents.

Contract (pipeline.route): ``intake(items) -> int`` takes analysed items and returns how many
matched a topic. Idempotent: ItemTopic rows are unique per (item, topic) and alerts per
(topic, key), and the detectors are re-run over the stored items of the topic (event time,
``HISTORY`` back from the batch), so routing a batch twice stores nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from inhouse.core.models import Account, Item, ItemTopic, Workspace
from inhouse.monitoring import actions
from inhouse.monitoring.detect import Event
from inhouse.monitoring.models import Topic
from inhouse.monitoring.query import Matcher
from inhouse.monitoring.replay import RulesError, build_detectors, topic_spec
from inhouse.monitoring.segment import Segmenter, normalize

# How far back the detectors look: a week gives the burst baseline every weekday and hour.
HISTORY = dt.timedelta(days=7)
_LOCAL_OFFSET = 8 * 3600  # hour of day and weekday are read in Beijing time


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
    roots = {i.root_platform_id or i.parent_platform_id for i in items} - {""}
    links: list[ItemTopic] = []
    touched: list[Topic] = []
    for topic in topics:
        try:
            matcher = Matcher(topic.query, seg)
        except ValueError:
            continue  # saved through actions, so valid; a hand-edited row must not stop routing
        members = set(
            ItemTopic.objects.filter(workspace=workspace, topic=topic.name,
                                     item__platform_id__in=roots)
            .values_list("item__platform_id", flat=True)
        ) if roots else set()
        hits = 0
        for item, norm in zip(items, norms, strict=True):
            thread = item.root_platform_id or item.parent_platform_id
            if (thread and thread in members) or matcher.matches_normalized(norm):
                members.add(item.platform_id)
                links.append(ItemTopic(workspace=workspace, item=item, topic=topic.name,
                                       created_at=item.created_at))
                hits += 1
        if hits:
            touched.append(topic)
    ItemTopic.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
    for topic in touched:
        detect_topic(topic, seg, items[0].created_at, items[-1].created_at)
    return len(links)


def detect_topic(topic: Topic, seg: Segmenter, since: dt.datetime, until: dt.datetime) -> int:
    """Run the topic's detectors over its stored items up to ``until``; store the alerts fired
    at or after ``since``. Returns how many alerts were new."""
    try:
        spec = topic_spec({"name": topic.name, "query": topic.query, **(topic.settings or {})})
    except RulesError:
        return 0
    detectors = build_detectors(spec, seg)
    # The account's own posts spreading fast is the campaign working, not a crisis.
    official = set(Account.objects.filter(workspace=topic.workspace).values_list("platform_uid", flat=True))
    authors: dict[str, str] = {}
    rows = (
        Item.objects.filter(workspace=topic.workspace, topic_links__topic=topic.name,
                            created_at__gte=since - HISTORY, created_at__lte=until)
        .select_related("author").order_by("created_at", "id")
    )
    new = 0
    for item in rows.iterator(chunk_size=2000):
        ev = event_from_item(item)
        authors[ev.id] = ev.author_id
        for det in detectors:
            for found in det.feed(ev):
                if found.kind == "viral" and authors.get(found.item_ids[0]) in official:
                    continue
                if found.ts >= since.timestamp():
                    new += actions.record_alert(topic, found)[1]
    return new


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
