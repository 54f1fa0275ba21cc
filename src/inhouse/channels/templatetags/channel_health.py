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
    """For members who see monitoring (the alerts' audience); the agency and the expert, who
    are outside the team, are not shown the team's group chats."""
    desk = getattr(context.get("request"), "desk", None)
    if desk is None or not desk.can(Perm.ITEMS_VIEW):
        return []
    return _failing(desk.workspace)


@register.simple_tag(takes_context=True)
def can_fix_channels(context: dict[str, Any]) -> bool:
    desk = getattr(context.get("request"), "desk", None)
    return bool(desk and desk.can(Perm.CHANNELS_MANAGE))
