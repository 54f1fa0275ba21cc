"""Alert reasons and incident titles are said in the reader's language from the stored numbers;
rows without the numbers keep their stored English text; the replay output stays English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from inhouse.channels.models import Channel, Delivery
from inhouse.monitoring import actions, wording
from inhouse.monitoring.detect import BurstDetector, EmergingTermsDetector, Event, ViralDetector
from inhouse.monitoring.detect.base import Alert as Found
from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Alert, Incident, Topic

from .factories import viral_thread
from .streams import START, merge, rhythm, wave


def run(detector, events):
    return [a for ev in events for a in detector.feed(ev)]


@pytest.fixture(scope="module")
def burst() -> Found:
    at = START + dt.timedelta(days=3, hours=15)
    (alert,) = run(BurstDetector("小鹿零食"), merge(rhythm(days=4), wave(at, 30, 20, "差评")))
    return alert


@pytest.fixture(scope="module")
def viral() -> Found:
    post = Event(id="p1", kind="post", ts=START.timestamp(), author_name="小鹿零食",
                 followers=50_000)
    reposts = [
        Event(id=f"r{i}", kind="repost", ts=START.timestamp() + 20 * i, root_id="p1",
              parent_id="p1" if i % 3 else f"r{i - 1}", author_name=f"fan{i}",
              followers=200_000 if i == 5 else 300 + i, verified=i in (5, 7),
              text="//@fan:太恶心了" if i % 3 == 0 else "")
        for i in range(1, 120)
    ]
    (alert,) = run(ViralDetector("brand"), [post, *reposts])
    return alert


@pytest.fixture(scope="module")
def emerging() -> Found:
    at = START + dt.timedelta(days=3, hours=15)
    base = rhythm(days=4, text="小鹿零食 味道 一般 包装 好看")
    flies = [Event(id=f"f{i}", kind="post", ts=at.timestamp() + 60 * i, author_id=f"a{i}",
                   text=f"小鹿零食 里 吃出 苍蝇 恶心 {'甲乙丙丁戊己庚辛壬癸子丑'[i]}",
                   negative=True) for i in range(12)]
    alerts = run(EmergingTermsDetector("brand", str.split, ignore={"小鹿零食"}), merge(base, flies))
    return alerts[0]


def numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.e+-]*\d|\d", text)


def test_a_burst_reads_in_english_as_stored_and_in_chinese_with_the_same_numbers(burst):
    d = burst.data
    with translation.override("en"):
        english = wording.alert_reason(burst)
    with translation.override("zh-hans"):
        chinese = wording.alert_reason(burst)
    assert english == burst.reason  # the English sentence is the stored one, word for word
    assert f"{d['count']} negative items about 小鹿零食 in 10 minutes" in english
    assert f"{d['count']} 条关于小鹿零食的负面内容" in chinese and "10 分钟内" in chinese
    assert "星期四" in chinese and d["local_time"] in chinese  # START + 3 days is a Thursday
    assert f"{d['expected']:.2f}" in chinese and f"p={d['p_value']:.1e}" in chinese
    assert "误报率 1e-06" in chinese and "negative" not in chinese
    assert sorted(numbers(english)) == sorted(numbers(chinese))


def test_a_viral_alert_in_both_languages(viral):
    d = viral.data
    with translation.override("en"):
        english = wording.alert_reason(viral)
    with translation.override("zh-hans"):
        chinese = wording.alert_reason(viral)
    # Plural forms agree with the counts here, so English is again the stored sentence.
    assert d["verified"] == 2 and english == viral.reason
    assert chinese.startswith("@小鹿零食 的微博 p1 正在快速传播：")
    assert f"累计 {d['reposts']} 次" in chinese and "2 位认证用户转发" in chinese
    assert f"转发者覆盖粉丝 {d['reach']:,}" in chinese
    assert "@fan5（粉丝 200,000，已认证）" not in chinese  # names keep ASCII brackets
    assert "@fan5 (粉丝 200,000，已认证)" in chinese and "关键转发者：" in chinese
    assert sorted(numbers(english)) == sorted(numbers(chinese))


def test_singular_counts_read_as_singular_in_english(viral):
    one = Found(**{**viral.__dict__, "data": {**viral.data, "verified": 1}})
    with translation.override("en"):
        assert "1 verified reposter," in wording.alert_reason(one)


def test_an_emerging_term_in_both_languages(emerging):
    d = emerging.data
    with translation.override("en"):
        english = wording.alert_reason(emerging)
    with translation.override("zh-hans"):
        chinese = wording.alert_reason(emerging)
    assert english == emerging.reason
    assert f"“{d['term']}”出现在关于brand的最近 {d['recent_total']} 条负面内容中的 {d['recent']} 条" in chinese
    assert f"60 分钟，{d['authors']} 人" in chinese and "之前 7 天" in chinese
    assert f"G²={d['g2']:.1f}" in chinese
    assert ("同时上升：" in chinese) == bool(d["also"])


def test_an_alert_without_its_numbers_keeps_its_stored_reason(burst):
    bare = Found(**{**burst.__dict__, "data": {}})
    old = Found(**{**burst.__dict__, "data": {"count": 14, "expected": 2.6}})  # before 0004
    broken = Found(**{**burst.__dict__, "data": {**burst.data, "weekday": "Tue"}})
    with translation.override("zh-hans"):
        for alert in (bare, old, broken):
            assert wording.alert_reason(alert) == burst.reason


def test_replay_json_keeps_the_stored_english_reason(burst):
    with translation.override("zh-hans"):
        assert burst.to_json()["reason"] == burst.reason
        assert "negative items" in burst.to_json()["reason"]


@pytest.mark.django_db
def test_incident_titles_follow_the_reader_and_old_rows_keep_theirs(workspace, client, cast):
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    intake(viral_thread(workspace))
    incident = Incident.objects.get()
    assert incident.title_data == {"topic": "brand", "kind": "viral", "term": ""}
    with translation.override("en"):
        assert wording.incident_title(incident) == "brand: Post spreading fast"
    with translation.override("zh-hans"):
        assert wording.incident_title(incident) == "brand：快速传播的微博"
    client.force_login(cast["operator"])
    url = f"/monitoring/incidents/{incident.pk}/"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "正在快速传播" in zh and "is spreading" not in zh and "brand：快速传播的微博" in zh
    assert "is spreading" in en and "brand: Post spreading fast" in en
    listing = client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "brand: Post spreading fast" in listing
    Incident.objects.filter(pk=incident.pk).update(title_data={}, title="旧标题")
    Alert.objects.filter(incident=incident).update(data={})
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "旧标题" in zh and "is spreading" in zh  # stored text for rows without the numbers


@pytest.mark.django_db
def test_channel_messages_are_in_the_workspace_language(workspace, settings, burst):
    topic = Topic.objects.create(workspace=workspace, name="小鹿零食", query="小鹿零食")
    Channel.objects.create(workspace=workspace, kind="webhook", name="PR", config={}, enabled=True)
    ts = (timezone.now() - dt.timedelta(minutes=5)).timestamp()
    recent = Found(**{**burst.__dict__, "ts": ts})
    with translation.override("en"):  # whoever triggered intake; the channel does not care
        actions.record_alert(topic, recent)
    message = Delivery.objects.get().message
    assert message["title"].startswith("[") and "小鹿零食：负面讨论激增" in message["title"]
    assert "条关于小鹿零食的负面内容" in message["text"]
    settings.MONITORING_ALERT_LANGUAGE = "en"
    actions.record_alert(topic, Found(**{**recent.__dict__, "key": "burst:2",
                                         "severity": "critical"}))
    message = Delivery.objects.order_by("id").last().message
    assert "小鹿零食: Burst of negative talk" in message["title"]
    assert message["text"] == burst.reason
