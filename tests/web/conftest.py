"""A small, readable week of data for the desk: today against six quieter days before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from inhouse.core.models import Account, Item
from tests.web import factories as f


@dataclass
class Week:
    now: dt.datetime
    post: Item  # the official account's post of today
    waiting: Item  # a consultation nobody answered
    answered: Item  # a consultation the official account replied to
    message: Item  # a private message consultation, unanswered
    repost: Item  # a repost carrying a //@ chain
    partner: Item
    negative_today: int


@pytest.fixture
def week(workspace, cast) -> Week:
    now = timezone.now()
    # Today's items sit in the last minutes so they stay "today" whenever the tests run
    # (bar the first minutes after midnight).
    minutes = min(30, int((now - timezone.localtime(now).replace(hour=0, minute=0, second=0,
                                                                microsecond=0)).total_seconds() // 60))

    def today(offset: int) -> dt.datetime:
        return now - dt.timedelta(seconds=max(1, minutes * 60 * offset // 40))

    brand = f.official(workspace)
    account = Account.objects.get(workspace=workspace)
    fan = f.author("1001", "爱吃零食的小王", followers_count=230, location="北京")
    mom = f.author("1002", "宝妈日记", followers_count=5400, location="杭州")
    kol = f.author("1003", "零食测评君", followers_count=1_200_000, verified=True, verified_type=0)
    partner_author = f.author("2001", "美厨家电官方", verified=True, verified_type=2)

    post = f.item(workspace, "post", today(20), "新品鹿角脆上市啦！", by=brand,
                  sentiment="positive", intent="other", account=account)
    waiting = f.item(workspace, "comment", today(18), "请问鹿角脆含有花生吗？孩子过敏",
                     by=mom, parent=post, sentiment="neutral", intent="consultation",
                     emotion="fear")
    answered = f.item(workspace, "comment", today(17), "北京什么时候有货？", by=fan, parent=post,
                      sentiment="neutral", intent="consultation")
    f.item(workspace, "reply", today(16), "您好，北京下周一到货～", by=brand, parent=answered,
           sentiment="positive")
    message = f.item(workspace, "message", today(15), "我的订单三天没发货，能查一下吗", by=fan,
                     sentiment="negative", intent="consultation", account=account)
    first_repost = f.item(workspace, "repost", today(14), "好吃！", by=kol, parent=post,
                          sentiment="positive")
    repost = f.item(workspace, "repost", today(13), "转给闺蜜//@零食测评君:好吃！", by=mom,
                    parent=first_repost, sentiment="positive")
    partner = f.item(workspace, "comment", today(12), "期待和鹿角脆联名合作，欢迎私信",
                     by=partner_author, parent=post, sentiment="positive", intent="cooperation")
    for i in range(6):
        f.item(workspace, "post", today(10 - i), f"买到的鹿角脆袋子里有异物，太恶心了 {i}",
               by=fan, sentiment="negative", intent="complaint", emotion="anger")
    # Six earlier days: two quiet items each, at the same time of day as today's.
    for back in range(1, 7):
        at = now - dt.timedelta(days=back, minutes=5)
        f.item(workspace, "post", at, f"第{back}天的日常分享", by=fan, sentiment="positive")
        f.item(workspace, "comment", at, "一般般吧", by=mom, sentiment="negative")
    return Week(now=now, post=post, waiting=waiting, answered=answered, message=message,
                repost=repost, partner=partner, negative_today=7)


def route_to_inbox() -> None:
    """Thread the week's items into inbox conversations, as the pipeline would."""
    from django.utils import timezone

    from inhouse.core.models import Item
    from inhouse.inbox.intake import intake
    from inhouse.pipeline.route import route_items

    Item.objects.filter(analyzed_at__isnull=True).update(analyzed_at=timezone.now())
    route_items(list(Item.objects.values_list("pk", flat=True)), registry=[("inbox", intake)])
