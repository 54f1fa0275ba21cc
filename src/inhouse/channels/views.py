"""The channels page of the desk: each channel's state and last error, add/edit, send a
test, switch on/off. Thin: every change goes through actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.alerts.registry import KINDS, choices
from inhouse.channels import actions
from inhouse.channels.forms import ChannelForm
from inhouse.channels.health import annotated, is_failing
from inhouse.channels.models import Channel, Delivery
from inhouse.web.workspace import desk_view

RECENT = 20


def _channel(request: HttpRequest, pk: int) -> Channel:
    channel = Channel.objects.filter(workspace=request.desk.workspace, pk=pk).first()
    if channel is None:
        raise Http404("no such channel in this workspace")
    return channel


@desk_view(perm=Perm.CHANNELS_MANAGE)
def channel_list(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    context = {
        "channels": [(c, is_failing(c)) for c in annotated(workspace)],
        "deliveries": Delivery.objects.filter(channel__workspace=workspace)
        .select_related("channel")[:RECENT],
        "kinds": choices(),
    }
    return render(request, "channels/list.html", context)


@desk_view(perm=Perm.CHANNELS_MANAGE)
def channel_add(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("unknown channel kind")
    form = ChannelForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            channel = actions.add_channel(
                request.desk.workspace, request.user, kind=kind, name=form.cleaned_data["name"],
                values=form.values(), escalation=form.cleaned_data["escalation"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
            return redirect("channels:list")
    return render(request, "channels/form.html", {"form": form, "kind": kind, "channel": None})


@desk_view(perm=Perm.CHANNELS_MANAGE)
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    form = ChannelForm(request.POST or None, kind=channel.kind, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_channel(
                request.desk.workspace, request.user, channel, name=form.cleaned_data["name"],
                values=form.values(), escalation=form.cleaned_data["escalation"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Channel “%(name)s” saved.") % {"name": channel.name})
            return redirect("channels:list")
    return render(request, "channels/form.html",
                  {"form": form, "kind": channel.kind, "channel": channel})


@require_POST
@desk_view(perm=Perm.CHANNELS_MANAGE)
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    ok, detail = actions.send_test(request.desk.workspace, request.user, channel)
    level = messages.success if ok else messages.error
    level(request, f"{channel.name}: {detail}")
    return redirect("channels:list")


@require_POST
@desk_view(perm=Perm.CHANNELS_MANAGE)
def channel_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    if channel.enabled:
        actions.disable_channel(request.desk.workspace, request.user, channel)
    else:
        actions.enable_channel(request.desk.workspace, request.user, channel)
    return redirect("channels:list")
