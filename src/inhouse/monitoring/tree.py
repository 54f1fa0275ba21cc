"""The repost tree of a spreading post, and the people who carried it. Pure: no database.

Each repost hangs under the item it was reposted from: its ``parent_id`` when that is another
repost of the thread, otherwise the first name of its ``//@name:`` chain (the account it was
reposted from, read with ``inhouse.nlp.parse``) matched to that account's latest earlier
repost in the thread, otherwise the post itself. A node's **brought** count is how many
reposts came through it (its whole subtree), which is what makes someone a key spreader; a
big account whose repost nobody passed on had reach but brought nothing.

Trees of thousands of reposts are cut for reading: each node shows its ``top`` children that
brought the most (then widest reach), the rest summed up in one line; nodes deeper than
``open_depth`` start collapsed (``<details>``), so the page stays short and needs no script.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class Node:
    id: str
    author: str
    author_id: str
    followers: int
    verified: bool
    at: dt.datetime
    text: str
    pk: int | None = None  # the stored item, for a link
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    brought: int = 0  # reposts in the subtree below
    depth: int = 0
    via: str = ""  # how the parent was found: parent_id, chain, root


@dataclass
class Tree:
    root: Node
    nodes: dict[str, Node]
    max_depth: int

    @property
    def reposts(self) -> int:
        return len(self.nodes) - 1

    def reach(self) -> int:
        return sum(n.followers for n in self.nodes.values() if n is not self.root)

    def key_spreaders(self, n: int = 10) -> list[Node]:
        """Reposters who brought the most reposts, then the widest and verified ones."""
        ranked = sorted((x for x in self.nodes.values() if x is not self.root),
                        key=lambda x: (x.brought, x.verified, x.followers), reverse=True)
        return [x for x in ranked[:n] if x.brought or x.verified or x.followers >= 10_000]


@dataclass(frozen=True)
class Row:
    """What build_tree reads of one item (a stored Item or a replay event)."""

    id: str
    kind: str
    at: dt.datetime
    text: str = ""
    author: str = ""
    author_id: str = ""
    followers: int = 0
    verified: bool = False
    parent_id: str = ""
    pk: int | None = None


def _chain_parent(text: str) -> str:
    if "//@" not in text:
        return ""
    from inhouse.nlp import parse  # lazy: OpenCC loads on first use

    chain = parse(text).chain
    return chain[0] if chain else ""


def build_tree(root: Row, reposts: Iterable[Row]) -> Tree:
    """The tree under ``root`` from its reposts (any order; comments are ignored)."""
    top = Node(root.id, root.author, root.author_id, root.followers, root.verified, root.at,
               root.text, root.pk)
    nodes = {root.id: top}
    latest_by_name: dict[str, Node] = {}
    for row in sorted((r for r in reposts if r.kind == "repost" and r.id != root.id),
                      key=lambda r: (r.at, r.id)):
        node = Node(row.id, row.author, row.author_id, row.followers, row.verified, row.at,
                    row.text, row.pk)
        parent = nodes.get(row.parent_id) if row.parent_id != root.id else None
        node.via = "parent_id" if parent is not None else ""
        if parent is None:
            name = _chain_parent(row.text)
            parent = latest_by_name.get(name) if name and name != root.author else None
            node.via = "chain" if parent is not None else "root"
        parent = parent or top
        node.parent = parent
        node.depth = parent.depth + 1
        parent.children.append(node)
        nodes[row.id] = node
        if row.author:
            latest_by_name[row.author] = node
    max_depth = 0
    for node in sorted(nodes.values(), key=lambda x: x.depth, reverse=True):
        max_depth = max(max_depth, node.depth)
        if node.parent is not None:
            node.parent.brought += node.brought + 1
    for node in nodes.values():
        node.children.sort(key=lambda x: (x.brought, x.verified, x.followers), reverse=True)
    return Tree(top, nodes, max_depth)


@dataclass
class Shown:
    """One line of the cut-down tree, for the template."""

    node: Node | None
    depth: int
    children: list[Shown] = field(default_factory=list)
    open: bool = True
    hidden: int = 0  # for a summary line: how many siblings it stands for
    hidden_brought: int = 0
    hidden_reach: int = 0


def cut(tree: Tree, top: int = 8, open_depth: int = 1, max_depth: int = 12) -> Shown:
    """The tree as it is shown: ``top`` children per node, the rest summed in one line."""
    def walk(node: Node, depth: int) -> Shown:
        shown = Shown(node, depth, open=depth < open_depth)
        if depth >= max_depth:
            rest: Sequence[Node] = node.children
        else:
            shown.children = [walk(c, depth + 1) for c in node.children[:top]]
            rest = node.children[top:]
        if rest:
            shown.children.append(Shown(
                None, depth + 1, hidden=len(rest), hidden_brought=sum(c.brought for c in rest),
                hidden_reach=sum(c.followers for c in rest)))
        return shown

    return walk(tree.root, 0)
