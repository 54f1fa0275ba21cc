"""An item's thread for the item page: the conversation as a tree, reposts as chains."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from inhouse.core.models import Item, ItemKind, Workspace

# Past this many items a thread (a viral post) is cut; the item list shows the rest.
THREAD_LIMIT = 500
_CHAIN = re.compile(r"//\s*@([^:：\s/]+)\s*[:：]")


@dataclass
class ChainLink:
    name: str
    text: str


def repost_chain(text: str) -> tuple[str, list[ChainLink]]:
    """Split a repost's text into its own words and the ``//@name: words`` chain it carries.

    Weibo appends each earlier reposter's words after ``//@name:``, nearest first.
    """
    matches = list(_CHAIN.finditer(text))
    if not matches:
        return text.strip(), []
    own = text[: matches[0].start()].strip()
    links = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        links.append(ChainLink(name=match.group(1), text=text[match.end() : end].strip()))
    return own, links


@dataclass
class Node:
    item: Item
    depth: int
    own_text: str = ""
    chain: list[ChainLink] = field(default_factory=list)


@dataclass
class Thread:
    root: Item | None
    conversation: list[Node]  # root, comments, replies: depth-first, by time among siblings
    reposts: list[Node]
    total: int
    truncated: bool


def thread_of(item: Item, workspace: Workspace, hide_messages: bool = False) -> Thread:
    key = item.thread_root_id
    qs = Item.objects.filter(workspace=workspace, root_platform_id=key)
    if hide_messages:
        qs = qs.exclude(kind=ItemKind.MESSAGE)
    members = list(qs.select_related("author").order_by("created_at", "id")[: THREAD_LIMIT + 1])
    truncated = len(members) > THREAD_LIMIT
    members = members[:THREAD_LIMIT]
    root = item if item.platform_id == key else (
        Item.objects.filter(workspace=workspace, platform_id=key).select_related("author").first()
    )
    total = qs.count() if truncated else len(members)

    reposts = []
    talk: list[Item] = []
    for member in members:
        if member.kind == ItemKind.REPOST:
            own, chain = repost_chain(member.text)
            reposts.append(Node(item=member, depth=0, own_text=own, chain=chain))
        else:
            talk.append(member)
    return Thread(
        root=root,
        conversation=_tree(root, talk),
        reposts=reposts,
        total=total,
        truncated=truncated,
    )


def _tree(root: Item | None, talk: list[Item]) -> list[Node]:
    """Depth-first order with indentation; an item whose parent we lack hangs off the root."""
    ids = {i.platform_id for i in talk}
    if root is not None:
        ids.add(root.platform_id)
    children: dict[str, list[Item]] = {}
    top = root.platform_id if root is not None else ""
    for member in talk:
        parent = member.parent_platform_id
        if not parent or parent not in ids or parent == member.platform_id:
            parent = top
        children.setdefault(parent, []).append(member)

    nodes: list[Node] = []
    seen: set[str] = set()

    def walk(platform_id: str, depth: int) -> None:
        for child in children.get(platform_id, []):
            if child.platform_id in seen:  # defend against cycles in bad data
                continue
            seen.add(child.platform_id)
            nodes.append(Node(item=child, depth=min(depth, 6)))
            walk(child.platform_id, depth + 1)

    if root is not None:
        nodes.append(Node(item=root, depth=0))
        seen.add(root.platform_id)
        walk(root.platform_id, 1)
    else:
        walk("", 0)
    return nodes
