"""The route stage's hand-off: topics matched, alerts raised from stored items, idempotent."""

from __future__ import annotations

from inhouse.core.models import ItemTopic
from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Alert, Incident, IncidentEvent, Topic

from .factories import item, viral_thread


def test_intake_links_matching_items_and_their_reposts(workspace):
    Topic.objects.create(workspace=workspace, name="brand", query="鹿角脆")
    post = item(workspace, "新出的鹿角脆片太好吃")
    other = item(workspace, "今天喝了小米粥")
    repost = item(workspace, "转发微博", kind="repost", parent=post.platform_id)
    assert intake([post, other, repost]) == 2
    assert set(ItemTopic.objects.values_list("item_id", flat=True)) == {post.id, repost.id}


def test_a_viral_thread_opens_one_incident_and_routing_twice_adds_nothing(workspace):
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    items = viral_thread(workspace)
    intake(items)
    counts = (ItemTopic.objects.count(), Alert.objects.count(), Incident.objects.count(),
              IncidentEvent.objects.count())
    intake(items)
    assert counts == (81, 1, 1, 1)
    assert (ItemTopic.objects.count(), Alert.objects.count(), Incident.objects.count(),
            IncidentEvent.objects.count()) == counts
    alert = Alert.objects.get()
    assert alert.kind == "viral" and alert.item_ids[0] == items[0].platform_id


def test_inactive_topics_take_nothing(workspace):
    Topic.objects.create(workspace=workspace, name="brand", query="*", active=False)
    assert intake([item(workspace)]) == 0
