"""The home page's figures, on a fixed clock so hours and days are exact."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from inhouse.web import queries
from tests.web import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 15, 30, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def brand(workspace):
    return f.official(workspace)


@pytest.fixture
def fan(db):
    return f.author("1001", "小王")


def test_today_starts_at_local_midnight_not_utc():
    # 00:30 in Shanghai is still the previous day in UTC.
    early = dt.datetime(2026, 11, 20, 0, 30, tzinfo=SHANGHAI)
    assert queries.day_start(early) == at(20, 0)
    assert queries.day_start(early, 6) == at(14, 0)
    assert queries.week_start(NOW) == at(16, 0)  # 2026-11-16 is a Monday


def test_volume_compares_today_with_the_same_stretch_of_earlier_days(workspace, fan):
    for day in range(14, 20):
        f.item(workspace, "post", at(day, 9), "x", by=fan, sentiment="negative")
        f.item(workspace, "post", at(day, 10), "x", by=fan, sentiment="positive")
        f.item(workspace, "post", at(day, 20), "after 15:30, not in the window", by=fan)
    for minute in range(4):
        f.item(workspace, "post", at(20, 11, minute), "x", by=fan, sentiment="negative")
    f.item(workspace, "post", at(20, 16), "in the future", by=fan)

    volume = queries.volume(workspace, NOW)

    assert volume.today.total == 4
    assert volume.today.negative == 4
    assert volume.usual.total == 2
    assert volume.usual.negative_share == 0.5
    assert volume.ratio("total") == 2.0


def test_volume_without_earlier_days_has_no_baseline(workspace, fan):
    f.item(workspace, "post", at(20, 9), "x", by=fan)
    volume = queries.volume(workspace, NOW)
    assert volume.today.total == 1
    assert volume.usual is None
    assert volume.ratio("total") is None


def test_negative_spike_is_the_worst_hour_against_its_usual(workspace, fan):
    for day in range(14, 20):
        f.item(workspace, "post", at(day, 13), "x", by=fan, sentiment="negative")
    for minute in range(8):
        f.item(workspace, "post", at(20, 13, minute), "x", by=fan, sentiment="negative")
    f.item(workspace, "post", at(20, 9), "x", by=fan, sentiment="negative")

    hours = queries.hourly(workspace, NOW)

    assert len(hours.hours) == 16  # 00:00 to 15:00
    assert hours.spike.hour == 13
    assert hours.spike.negative == 8
    assert hours.spike.usual_negative == 1.0
    assert hours.spike_is_unusual
    assert hours.hours[9].total == 1


def test_a_usual_amount_of_negative_talk_is_no_spike(workspace, fan):
    for day in range(14, 21):
        for minute in range(6):
            f.item(workspace, "post", at(day, 13, minute), "x", by=fan, sentiment="negative")
    hours = queries.hourly(workspace, NOW)
    assert hours.spike.hour == 13
    assert not hours.spike_is_unusual


def test_consultation_answered_by_the_official_account_no_longer_waits(workspace, brand, fan):
    post = f.item(workspace, "post", at(20, 8), "新品", by=brand)
    asked = f.item(workspace, "comment", at(20, 9), "有货吗", by=fan, parent=post,
                   intent="consultation")
    f.item(workspace, "comment", at(20, 10), "还有花生吗", by=fan, parent=post,
           intent="consultation")
    f.item(workspace, "reply", at(20, 11), "有的", by=brand, parent=asked)
    # An official reply before the question does not answer it.
    late = f.item(workspace, "comment", at(20, 12), "在吗", by=fan, parent=post,
                  intent="consultation")
    f.item(workspace, "comment", at(20, 12), "好吃", by=fan, parent=post, intent="praise")

    waiting = queries.waiting_consultations(workspace, queries.official_author_ids(workspace))
    texts = sorted(waiting.values_list("text", flat=True))
    assert texts == ["在吗", "还有花生吗"]

    # The home page counts the inbox's conversations: one customer asking on one post is
    # one consultation, waiting since the question after the brand's last answer.
    from inhouse.core.models import Item
    from inhouse.inbox.intake import intake
    from inhouse.pipeline.route import route_items

    Item.objects.update(analyzed_at=at(20, 13))  # routing takes analysed items
    route_items(list(Item.objects.filter(workspace=workspace).values_list("pk", flat=True)),
                registry=[("inbox", intake)])
    service = queries.customer_service(workspace, queries.official_author_ids(workspace))
    assert service.waiting == 1
    assert service.oldest_at == late.created_at


def test_private_message_answered_in_its_conversation(workspace, brand, fan):
    first = f.item(workspace, "message", at(20, 9), "订单没到", by=fan, intent="consultation")
    f.item(workspace, "message", at(20, 9, 5), "马上查", by=brand, parent=first)
    mention = f.item(workspace, "post", at(20, 10), "@小鹿零食官方 怎么退货", by=fan,
                     intent="consultation", account=brand_account(workspace))
    unrelated = f.item(workspace, "post", at(20, 10), "怎么退货", by=fan, intent="consultation")

    waiting = set(queries.waiting_consultations(
        workspace, queries.official_author_ids(workspace)).values_list("pk", flat=True))
    assert waiting == {mention.pk}
    assert unrelated.pk not in waiting  # a post that does not concern the account


def brand_account(workspace):
    return workspace.accounts.get()


def test_partners_and_content(workspace, brand, fan):
    for day in (12, 15, 19, 20):
        f.item(workspace, "comment", at(day, 9), f"合作 {day}", by=fan, intent="cooperation")
    # The official account answering a partner is not itself a partner signal.
    f.item(workspace, "reply", at(20, 10), "欢迎私信商务", by=brand, intent="cooperation")
    f.item(workspace, "post", at(20, 9), "今天的", by=brand)
    f.item(workspace, "repost", at(17, 9), "周二的", by=brand)
    f.item(workspace, "post", at(15, 9), "上周的", by=brand)

    found = queries.partners(workspace, NOW, queries.official_author_ids(workspace))
    assert found.count == 3
    assert [i.text for i in found.latest] == ["合作 20", "合作 19", "合作 15"]

    content = queries.content(workspace, NOW, queries.official_author_ids(workspace))
    assert (content.today, content.week) == (1, 2)
