"""``{{ alert|reason }}`` and ``{{ incident|incident_title }}``: said in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

from inhouse.monitoring import wording

register = template.Library()


@register.filter
def reason(alert: Any) -> str:
    return wording.alert_reason(alert)


@register.filter
def incident_title(incident: Any) -> str:
    return wording.incident_title(incident)
