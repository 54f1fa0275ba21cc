"""An incident's evidence read back from the stored items: the spreading posts and their
repost trees, and the numbers the incident page and the post-incident report share."""

from __future__ import annotations

from django.db.models import Q

from inhouse.core.models import Item
from inhouse.monitoring.models import Alert, Incident
from inhouse.monitoring.tree import Row, Tree, build_tree

MAX_TREES = 3
MAX_REPOSTS = 20_000  # a thread bigger than this is drawn from its first 20,000 reposts


def spreading_posts(incident: Incident, alerts: list[Alert] | None = None) -> list[str]:
    """Platform ids of the posts the incident is about: each viral alert's post (they come
    first in item_ids), else the first evidence item of the other alerts."""
    alerts = alerts if alerts is not None else list(incident.alerts.all())
    viral = [a.item_ids[0] for a in alerts if a.kind == "viral" and a.item_ids]
    others = [a.item_ids[0] for a in alerts if a.kind != "viral" and a.item_ids]
    return list(dict.fromkeys(viral or others))


def _row(item: Item) -> Row:
    a = item.author
    return Row(id=item.platform_id, kind=item.kind, at=item.created_at, text=item.text or "",
               author=a.screen_name if a else "", author_id=a.uid if a else "",
               followers=(a.followers_count or 0) if a else 0, verified=bool(a and a.verified),
               parent_id=item.parent_platform_id, pk=item.pk)


def repost_tree(workspace, post_id: str) -> Tree | None:
    """The stored repost tree of ``post_id``; None when the post has no stored reposts."""
    fields = ("id", "platform_id", "kind", "created_at", "text", "parent_platform_id",
              "author__screen_name", "author__uid", "author__followers_count",
              "author__verified")
    rows = list(
        Item.objects.filter(workspace=workspace, kind="repost")
        .filter(Q(root_platform_id=post_id) | Q(root_platform_id="", parent_platform_id=post_id))
        .select_related("author").only(*fields).order_by("created_at", "id")[:MAX_REPOSTS]
    )
    if not rows:
        return None
    post = (Item.objects.filter(workspace=workspace, platform_id=post_id)
            .select_related("author").only(*fields).first())
    root = _row(post) if post else Row(id=post_id, kind="post", at=rows[0].created_at)
    return build_tree(root, [_row(r) for r in rows])


def incident_trees(incident: Incident, alerts: list[Alert] | None = None) -> list[Tree]:
    trees = []
    for post_id in spreading_posts(incident, alerts):
        tree = repost_tree(incident.workspace, post_id)
        if tree is not None:
            trees.append(tree)
        if len(trees) >= MAX_TREES:
            break
    return trees
