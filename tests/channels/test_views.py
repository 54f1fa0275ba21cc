"""The channels page as the owner uses it; other roles are shown the not-allowed page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inhouse.channels import actions
from inhouse.channels.models import Channel

URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=PAGEKEY"


@pytest.fixture
def owner_client(client, cast):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read English text
    client.force_login(cast["owner"])
    return client


def test_the_page_shows_each_channel_state_and_why_it_is_off(owner_client, workspace, cast):
    on = actions.add_channel(workspace, cast["owner"], kind="wecom", name="PR group",
                             values={"url": URL})
    off = actions.add_channel(workspace, cast["owner"], kind="wecom", name="Old group",
                              values={"url": URL})
    Channel.objects.filter(pk=off.pk).update(
        enabled=False, disabled_reason="WeCom answered 93000 'invalid webhook url'",
        last_error="WeCom answered 93000 'invalid webhook url'")
    page = owner_client.get(reverse("channels:list")).content.decode()
    assert "PR group" in page and "Old group" in page
    assert "93000" in page and reverse("channels:test", args=[on.pk]) in page
    assert "PAGEKEY" not in page


@pytest.mark.parametrize("role", ["operator", "expert", "agency", "viewer"])
def test_other_roles_do_not_manage_channels(client, cast, role):
    client.force_login(cast[role])
    assert client.get(reverse("channels:list")).status_code == 403
    assert client.post(reverse("channels:add", args=["wecom"]),
                       {"name": "x", "url": URL}).status_code == 403
    assert not Channel.objects.exists()


def test_the_owner_adds_a_channel_with_escalation_through_the_form(owner_client, workspace):
    response = owner_client.post(reverse("channels:add", args=["dingtalk"]), {
        "name": "Sales", "url": URL, "secret": "SECxyz", "keyword": "inhouse",
        "escalation": "15 | Duty | 13800000000, zhangsan\n45 | | @all",
    })
    assert response.status_code == 302
    channel = Channel.objects.get(workspace=workspace)
    assert channel.secrets == {"url": URL, "secret": "SECxyz"}
    assert channel.config["escalation"] == [
        {"after_minutes": 15.0, "channel": "Duty", "mentions": ["13800000000", "zhangsan"]},
        {"after_minutes": 45.0, "channel": "", "mentions": ["@all"]},
    ]


def test_the_edit_form_never_shows_secrets_and_blank_keeps_them(owner_client, workspace, cast):
    channel = actions.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                                  values={"url": URL})
    page = owner_client.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    assert "PAGEKEY" not in page and "leave blank to keep it" in page
    owner_client.post(reverse("channels:edit", args=[channel.pk]),
                      {"name": "PR team", "url": "", "escalation": ""})
    channel.refresh_from_db()
    assert channel.name == "PR team" and channel.secrets == {"url": URL}


def test_a_bad_escalation_line_is_explained(owner_client):
    response = owner_client.post(reverse("channels:add", args=["wecom"]),
                                 {"name": "PR", "url": URL, "escalation": "soon | Duty"})
    assert response.status_code == 200 and "start with the minutes" in response.content.decode()


def test_send_test_reports_the_outcome_on_the_page(owner_client, workspace, cast, monkeypatch):
    channel = actions.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                                  values={"url": URL})
    from inhouse.alerts import TransportError
    from inhouse.alerts.wecom.transport import WeComTransport

    def refuse(self, message):
        raise TransportError("WeCom answered 93000 'invalid webhook url'", permanent=True)

    monkeypatch.setattr(WeComTransport, "send", refuse)
    response = owner_client.post(reverse("channels:test", args=[channel.pk]), follow=True)
    assert "93000" in response.content.decode()


def test_switching_off_and_on_from_the_page(owner_client, workspace, cast):
    channel = actions.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                                  values={"url": URL})
    owner_client.post(reverse("channels:toggle", args=[channel.pk]))
    channel.refresh_from_db()
    assert not channel.enabled and channel.disabled_reason
    owner_client.post(reverse("channels:toggle", args=[channel.pk]))
    channel.refresh_from_db()
    assert channel.enabled


def test_another_workspace_channel_is_not_found(owner_client, cast):
    from inhouse.core.models import Workspace

    other = Workspace.objects.create(name="Other", slug="other")
    channel = Channel.objects.create(workspace=other, kind="wecom", name="theirs")
    assert owner_client.get(reverse("channels:edit", args=[channel.pk])).status_code == 404
