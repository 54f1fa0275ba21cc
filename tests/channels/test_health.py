"""A failing channel is never silent: the query, the home-page partial and the channels page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from inhouse.alerts import Message
from inhouse.channels import actions
from inhouse.channels.dispatch import deliver_pending, send_alert
from inhouse.channels.health import failing_channels
from inhouse.web.workspace import desk_for
from tests.channels.conftest import OK, T0, ScriptedBot

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=HEALTHKEY"
THROTTLED = {"errcode": 45009, "errmsg": "api freq out of limit"}
BAD_KEY = {"errcode": 93000, "errmsg": "invalid webhook url"}


def _deliver(workspace, bot, key="alert:1", at=T0):
    send_alert(workspace, Message("负面声量突增", "x", "critical"), key, now=at)
    return deliver_pending(now=at, client=bot.client)


def test_a_retrying_channel_is_failing_with_its_reason_and_last_attempt(workspace, add):
    channel = add("wecom", "PR group", url=WECOM)
    add("wecom", "Healthy", url=WECOM + "2")
    bot = ScriptedBot()
    bot.answers = lambda r: THROTTLED if "HEALTHKEY2" not in str(r.url) else OK
    _deliver(workspace, bot)
    [failure] = failing_channels(workspace)
    assert failure.channel == channel and not failure.switched_off
    assert "45009" in failure.reason and "HEALTHKEY" not in failure.reason
    assert failure.last_attempt_at == T0 and failure.failed_at == T0 and failure.waiting == 1


def test_a_channel_that_switched_itself_off_is_failing_until_it_works_again(workspace, add,
                                                                             cast):
    channel = add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(BAD_KEY))
    [failure] = failing_channels(workspace)
    assert failure.switched_off and "93000" in failure.reason
    channel.refresh_from_db()
    actions.enable_channel(workspace, cast["owner"], channel)
    assert failing_channels(workspace)  # on again, but nothing has gone through yet
    _deliver(workspace, ScriptedBot(OK), key="alert:2", at=T0 + dt.timedelta(minutes=5))
    assert failing_channels(workspace) == []


def test_a_channel_a_person_switched_off_is_not_failing(workspace, add, cast):
    channel = add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(BAD_KEY))
    channel.refresh_from_db()
    actions.disable_channel(workspace, cast["owner"], channel, reason="group archived")
    assert failing_channels(workspace) == []


def test_failing_channels_are_per_workspace(workspace, add):
    from inhouse.core.models import Workspace

    add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(BAD_KEY))
    other = Workspace.objects.create(name="其他", slug="other")
    assert failing_channels(other) == [] and len(failing_channels(workspace)) == 1


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_the_home_partial_names_the_failing_channel_and_only_the_owner_gets_the_fix_link(
        workspace, add, cast, role):
    add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(BAD_KEY))
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    request.user = cast[role]
    request.session = {}
    request.desk = desk_for(request)
    with translation.override("en"):
        html = Template('{% include "channels/_failing.html" %}').render(
            Context({"request": request}))
    assert "PR group" in html and "93000" in html and "switched itself off" in html
    assert (reverse("channels:list") in html) == (role == "owner")


@pytest.mark.parametrize("role", ["agency", "expert"])
def test_the_home_partial_is_not_shown_outside_the_team(workspace, add, cast, role):
    add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(BAD_KEY))
    request = RequestFactory().get("/")
    request.user = cast[role]
    request.session = {}
    request.desk = desk_for(request)
    html = Template('{% include "channels/_failing.html" %}').render(Context({"request": request}))
    assert html.strip() == ""


def test_the_home_partial_is_empty_when_every_channel_works(workspace, add, cast):
    add("wecom", "PR group", url=WECOM)
    _deliver(workspace, ScriptedBot(OK))
    request = RequestFactory().get("/")
    request.user = cast["owner"]
    request.session = {}
    request.desk = desk_for(request)
    html = Template('{% include "channels/_failing.html" %}').render(Context({"request": request}))
    assert html.strip() == ""


def test_the_channels_page_marks_the_failing_channel_with_reason_and_last_attempt(
        client, workspace, add, cast):
    channel = add("wecom", "PR group", url=WECOM)
    bot = ScriptedBot(THROTTLED)
    _deliver(workspace, bot)
    client.force_login(cast["owner"])
    page = client.get(reverse("channels:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = page.split(f'data-testid="channel-{channel.pk}"')[1].split("</tr>")[0]
    assert "Failing" in row and "45009" in row and T0.strftime("%Y-%m-%d") in row
