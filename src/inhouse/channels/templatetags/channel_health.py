"""``{% failing_channels as failing %}`` for the home page's partial channels/_failing.html."""

from __future__ import annotations

from typing import Any

from django import template

from inhouse.access.permissions import Perm
from inhouse.channels.health import ChannelFailure
from inhouse.channels.health import failing_channels as _failing

register = template.Library()


@register.simple_tag(takes_context=True)
def failing_channels(context: dict[str, Any]) -> list[ChannelFailure]:
    desk = getattr(context.get("request"), "desk", None)
    workspace = getattr(desk, "workspace", None)
    return _failing(workspace) if workspace is not None else []


@register.simple_tag(takes_context=True)
def can_fix_channels(context: dict[str, Any]) -> bool:
    desk = getattr(context.get("request"), "desk", None)
    return bool(desk and desk.can(Perm.CHANNELS_MANAGE))
