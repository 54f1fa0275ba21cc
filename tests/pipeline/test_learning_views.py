"""The desk's correction panel and learning page, as each role sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inhouse.core.models import Item
from inhouse.pipeline.models import Correction, WorkspaceModel

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def items(workspace):
    from inhouse.pipeline.analyze import analyze_items

    made = [Item.objects.create(workspace=workspace, platform_id=str(n), kind=kind, text=text,
                                created_at=dt.datetime(2026, 11, 9, 10, n, tzinfo=dt.UTC))
            for n, (kind, text) in enumerate([("comment", "请问鹿角脆保质期多久？"), ("comment", "今天天气不错"),
                                              ("message", "订单一直没发货，太慢了")])]
    analyze_items([i.pk for i in made])
    return made


def test_an_operator_corrects_an_item_and_retrains(client, cast, items, workspace):
    client.force_login(cast["operator"])
    item = items[1]
    panel = client.get(reverse("web:item_corrections", args=[item.pk]), HTTP_HX_REQUEST="true", **EN)
    assert panel.status_code == 200 and 'name="field" value="intent"' in panel.content.decode()
    page = client.get(reverse("web:item", args=[item.pk]), **EN)
    assert reverse("web:item_corrections", args=[item.pk]) in page.content.decode()

    answer = client.post(reverse("web:item_correct", args=[item.pk]),
                         {"field": "intent", "value": "spam"}, HTTP_HX_REQUEST="true", **EN)
    assert answer.status_code == 200 and "→ <strong>spam</strong>" in answer.content.decode()
    item.refresh_from_db()
    assert item.intent == "spam"
    corr = Correction.objects.get(item=item)
    assert corr.by == cast["operator"] and corr.after == "spam"

    bad = client.post(reverse("web:item_correct", args=[item.pk]), {"field": "intent", "value": "question"},
                      HTTP_HX_REQUEST="true", **EN)
    assert "expected one of" in bad.content.decode()
    assert Correction.objects.filter(item=item).count() == 1

    client.post(reverse("web:learning_retrain"), **EN)
    assert WorkspaceModel.objects.get(workspace=workspace).active
    page = client.get(reverse("web:learning"), **EN).content.decode()
    assert "Version 1 is in use." in page and "今天天气不错" in page
    client.post(reverse("web:learning_activate"), {"version": "base"}, **EN)
    assert not WorkspaceModel.objects.filter(workspace=workspace, active=True).exists()
    assert "The base model is in use." in client.get(reverse("web:learning"), **EN).content.decode()


def test_a_viewer_reads_corrections_but_cannot_make_them(client, cast, items):
    client.force_login(cast["viewer"])
    item = items[0]
    panel = client.get(reverse("web:item_corrections", args=[item.pk]), **EN)
    assert panel.status_code == 200 and 'name="field"' not in panel.content.decode()
    refused = client.post(reverse("web:item_correct", args=[item.pk]), {"field": "intent", "value": "spam"})
    assert refused.status_code == 403 and not Correction.objects.exists()
    # a private message is hidden from who may not read messages
    assert client.get(reverse("web:item_corrections", args=[items[2].pk])).status_code == 404
    assert client.get(reverse("web:learning")).status_code == 403


def test_the_learning_page_speaks_chinese(client, cast, items):
    client.force_login(cast["owner"])
    page = client.get(reverse("web:learning"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "从团队更正中学习" in page and "正在使用基础模型。" in page
