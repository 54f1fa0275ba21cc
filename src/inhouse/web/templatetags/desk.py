"""Small presentation helpers for the desk: ages, comparisons with the usual, sparklines."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def age(value: dt.timedelta | None) -> str:
    """A duration the way a person says it: '3 min', '5 h', '2 d 4 h'."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def percent(value: float | None) -> str:
    # "" is what a template gives for a missing baseline (volume.usual is None).
    return "–" if value in (None, "") else f"{value * 100:.0f}%"


@register.simple_tag
def versus(today: float, usual: float | None, good: str = "down") -> str:
    """Today against the usual, as a coloured badge: '+35%', '−20%', 'as usual'.

    ``good`` says which way is welcome (green): down for volume and negative talk, up for
    positive talk; the other way is the accent colour that asks for a look."""
    if usual is None:
        return format_html('<span class="vs vs-none">{}</span>', _("no baseline yet"))
    if not usual:
        if not today:
            return format_html('<span class="vs vs-flat">{}</span>', _("as usual"))
        return format_html('<span class="vs vs-up">{}</span>', _("new today"))
    change = (today - usual) / usual
    if abs(change) < 0.1:
        return format_html('<span class="vs vs-flat">{}</span>', _("as usual"))
    sign = "+" if change > 0 else "−"
    css = "vs-good" if (change > 0) == (good == "up") else "vs-bad"
    return format_html(
        '<span class="vs {}" title="{}">{}{}%</span>',
        css,
        _("usual: %(usual).1f") % {"usual": usual},
        sign,
        f"{abs(change) * 100:.0f}",
    )


@register.simple_tag
def sparkline(hours, width: int = 288, height: int = 56) -> str:
    """Today's hours as bars (negative part darker) over a line of the usual, inline SVG."""
    slots = 24
    bar = width / slots
    top = max([h.total for h in hours] + [h.usual_total for h in hours] + [1])
    scale = (height - 4) / top
    bars = []
    for h in hours:
        x = h.hour * bar + 1
        total_h = h.total * scale
        neg_h = h.negative * scale
        bars.append((f"{x:.1f}", f"{height - total_h:.1f}", f"{bar - 2:.1f}", f"{total_h:.1f}",
                     f"{height - neg_h:.1f}", f"{neg_h:.1f}",
                     _("%(hour)02d:00 — %(total)d items, %(negative)d negative")
                     % {"hour": h.hour, "total": h.total, "negative": h.negative}))
    rects = format_html_join(
        "",
        '<g><title>{6}</title><rect class="bar" x="{0}" y="{1}" width="{2}" height="{3}"/>'
        '<rect class="bar-neg" x="{0}" y="{4}" width="{2}" height="{5}"/></g>',
        bars,
    )
    usual = " ".join(
        f"{h.hour * bar + bar / 2:.1f},{height - h.usual_total * scale:.1f}" for h in hours
    )
    has_usual = len(hours) > 1 and any(h.usual_total for h in hours)
    line = format_html('<polyline class="usual" points="{}"/>', usual) if has_usual else ""
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {0} {1}" width="100%" height="{1}" role="img" '
        'aria-label="{2}" preserveAspectRatio="none">{3}{4}</svg>',
        width, height, _("Items per hour today against the usual"), rects, line,
    )


@register.filter
def indent(depth: int) -> str:
    return f"{min(int(depth), 6) * 1.5:.1f}rem"


@register.simple_tag
def url_if_routed(name: str) -> str:
    """The URL of ``name``, or "" while the window that owns it is not routed yet, so the
    top bar links a window the moment it lands and shows it as coming until then."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""
