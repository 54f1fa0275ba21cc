"""Formatting of KPI values, changes and durations for the analytics pages and reports."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

LABELS = {
    "fans": gettext_lazy("Followers"),
    "fan_growth": gettext_lazy("Follower growth"),
    "items": gettext_lazy("Items from others"),
    "own_posts": gettext_lazy("Our posts"),
    "engagement_per_post": gettext_lazy("Engagement per post"),
    "engagement_per_fan": gettext_lazy("Engagement per follower"),
    "reposts": gettext_lazy("Reposts of our posts"),
    "reach": gettext_lazy("Reposts' reach"),
    "negative_share": gettext_lazy("Negative share"),
    "first_response": gettext_lazy("Median first response"),
    "share_of_voice": gettext_lazy("Share of voice"),
}
# For these a rise is bad news.
LOWER_IS_BETTER = {"negative_share", "first_response"}


@register.filter
def kpi_label(key: str) -> str:
    return str(LABELS.get(key, key))


@register.filter
def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    if seconds < 3600:
        return _("%(m)d min") % {"m": seconds // 60}
    if seconds < 86400:
        return _("%(h).1f h") % {"h": seconds / 3600}
    return _("%(d).1f d") % {"d": seconds / 86400}


@register.filter
def kpi_value(kpi, which: str = "value") -> str:
    value = getattr(kpi, which)
    if value is None:
        return "—"
    if kpi.fmt == "pct":
        return f"{100 * value:.1f}%"
    if kpi.fmt == "float":
        return f"{value:,.1f}"
    if kpi.fmt == "duration":
        return duration(value)
    return f"{int(value):,}"


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


@register.filter
def kpi_change(kpi) -> str:
    change = kpi.change
    if change is None:
        return "—"
    arrow = "▲" if change > 0 else ("▼" if change < 0 else "＝")
    return f"{arrow} {abs(100 * change):.0f}%"


@register.filter
def kpi_tone(kpi) -> str:
    """CSS class: vs-good when the change is good news, vs-up when it is bad, vs-flat else."""
    change = kpi.change
    if not change:
        return "vs-flat"
    good = change < 0 if kpi.key in LOWER_IS_BETTER else change > 0
    return "vs-good" if good else "vs-up"


@register.filter
def reason_label(code: str) -> str:
    labels = {
        "default_name": _("default nickname (用户 + digits)"),
        "empty_bio": _("empty bio"),
        "no_location": _("no real location"),
        "new_account": _("account under 60 days old"),
        "few_posts": _("fewer than 10 posts of their own"),
        "no_followers": _("3 followers or fewer"),
        "follows_many": _("follows hundreds, followed by almost nobody"),
        "mostly_spam": _("most of what they wrote to us is spam"),
        "duplicate_text": _("copy-paste text shared with other accounts"),
    }
    if code.startswith("topic:"):
        return _("talks about %(w)s") % {"w": code[6:]}
    if code.startswith("location:"):
        return _("in %(p)s") % {"p": code[9:]}
    return labels.get(code, code)


@register.filter
def b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


@register.filter
def intent_label(code: str) -> str:
    from inhouse.core.models import Intent

    return str(dict(Intent.choices).get(code, code))
