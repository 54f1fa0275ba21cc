"""The repost tree: parents from parent_id and //@ chains, who brought how many reposts, and a
page that stays readable for thousands of reposts."""

from __future__ import annotations

import datetime as dt

import pytest

from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Incident, Topic
from inhouse.monitoring.tree import Row, build_tree, cut

from .factories import T0, item

POST = Row(id="p", kind="post", at=T0, text="袋子里有苍蝇", author="受害者", followers=900)


def rp(i: str, minute: float, author: str, text: str = "转发微博", parent: str = "p",
       followers: int = 100, verified: bool = False) -> Row:
    return Row(id=i, kind="repost", at=T0 + dt.timedelta(minutes=minute), text=text,
               author=author, author_id=author, followers=followers, verified=verified,
               parent_id=parent)


def test_parents_come_from_parent_id_then_the_chain_then_the_post():
    tree = build_tree(POST, [
        rp("a", 1, "大V", followers=2_000_000, verified=True),
        rp("b", 2, "路人甲", parent="a"),
        rp("c", 3, "路人乙", text="太离谱//@大V:转发微博"),  # parent_id names only the post
        rp("d", 4, "路人丙", text="//@路人乙:太离谱//@大V:转发微博"),
        rp("e", 5, "路人丁", text="//@不在这里的人:转发"),
        Row(id="x", kind="comment", at=T0, text="评论不算", parent_id="p"),
    ])
    n = tree.nodes
    assert (n["b"].parent.id, n["b"].via) == ("a", "parent_id")
    assert (n["c"].parent.id, n["c"].via) == ("a", "chain")
    assert (n["d"].parent.id, n["d"].depth) == ("c", 3)
    assert (n["e"].parent.id, n["e"].via) == ("p", "root")
    assert "x" not in n and tree.reposts == 5 and tree.max_depth == 3
    assert (n["a"].brought, n["c"].brought, tree.root.brought) == (3, 1, 5)


def test_key_spreaders_are_who_brought_reposts_then_reach():
    rows = [rp("a", 1, "大V", followers=2_000_000, verified=True),
            rp("big", 1.5, "沉默大号", followers=500_000)]  # reach, but nobody passed it on
    rows += [rp(f"s{i}", 2 + i, f"粉丝{i}", parent="a") for i in range(5)]
    rows += [rp("m", 9, "中号", followers=5_000)] + [
        rp(f"t{i}", 10 + i, f"路人{i}", parent="m") for i in range(2)]
    names = [x.author for x in build_tree(POST, rows).key_spreaders()]
    assert names[:2] == ["大V", "中号"] and "沉默大号" in names and "粉丝0" not in names


def test_a_tree_of_thousands_is_cut_to_the_top_children_and_a_summary_line():
    rows = [rp(f"d{i}", i / 10, f"u{i}", followers=i) for i in range(3000)]
    rows += [rp(f"k{i}", 400 + i, f"v{i}", parent="d7") for i in range(40)]
    shown = cut(build_tree(POST, rows), top=8)
    assert len(shown.children) == 9  # eight shown, one line for the rest
    first, rest = shown.children[0], shown.children[-1]
    assert first.node.id == "d7" and not first.open and len(first.children) == 9
    assert rest.node is None and rest.hidden == 3000 - 8
    lines = 0
    stack = [shown]
    while stack:
        s = stack.pop()
        lines += 1
        stack.extend(s.children)
    assert lines < 40


@pytest.fixture
def incident_with_tree(workspace):
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    post = item(workspace, "小鹿零食的袋子里吃出苍蝇！", sentiment="negative", followers=900)
    big = item(workspace, "转发微博", at=T0 + dt.timedelta(seconds=10), kind="repost",
               parent=post.platform_id, followers=3_000_000, verified=True)
    big_name = big.author.screen_name
    items = [post, big]
    for i in range(60):
        via_big = i % 2 == 0
        items.append(item(workspace, f"天哪//@{big_name}:转发微博" if via_big else "转发微博",
                          at=T0 + dt.timedelta(seconds=20 * (i + 2)), kind="repost",
                          parent=post.platform_id, sentiment="negative"))
    intake(items)
    return Incident.objects.get(), big


def test_the_incident_page_shows_the_repost_tree_and_key_spreaders(client, cast,
                                                                   incident_with_tree):
    incident, big = incident_with_tree
    client.force_login(cast["operator"])
    html = client.get(f"/monitoring/incidents/{incident.pk}/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="repost-tree"' in html and "61 reposts" in html
    spreaders = html.split('data-testid="spreader"')
    assert big.author.screen_name in spreaders[1] and ">30<" in spreaders[1]
    assert "brought 30 reposts" in html and "and 23 more reposts (reach 2,300)" in html
