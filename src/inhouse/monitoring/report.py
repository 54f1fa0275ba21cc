"""The post-incident report: what happened, what the team did, how fast, and what we learned.

``report_context`` gathers it once for both the desk page and the PDF, so they never differ;
``report_pdf`` renders the same body through ``inhouse.reports.pdf`` (weasyprint). The spread
chart is a static SVG from ``inhouse.reports.charts`` (matplotlib, CJK labels as paths), used
as-is on the page and in the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from inhouse.core.models import Item
from inhouse.monitoring.evidence import incident_trees, spreading_posts
from inhouse.monitoring.models import EventKind, Incident

STEP = dt.timedelta(minutes=30)
SENTIMENTS = ("negative", "neutral", "positive")


def window(incident: Incident) -> tuple[dt.datetime, dt.datetime]:
    """Six hours before the first signal to twelve after the last, on half-hour marks; the
    resolution is included when it came within three days (later, the chart would be flat)."""
    start = incident.opened_at - dt.timedelta(hours=6)
    start = start.replace(minute=start.minute - start.minute % 30, second=0, microsecond=0)
    end = incident.last_signal_at
    if incident.resolved_at and incident.resolved_at - end <= dt.timedelta(days=3):
        end = max(end, incident.resolved_at)
    return start, max(end + dt.timedelta(hours=12), start + dt.timedelta(hours=18))


def duration_text(delta: dt.timedelta | None) -> str:
    """'1 h 05 min', '2 d 3 h', '12 min'; '—' for none."""
    if delta is None:
        return "—"
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": mins}
    return _("%(m)d min") % {"m": mins}


def _series(incident: Incident, start: dt.datetime, end: dt.datetime
            ) -> tuple[list[tuple[dt.datetime, int, int]], Counter]:
    rows = (Item.objects.filter(workspace=incident.workspace,
                                topic_links__topic=incident.topic.name,
                                created_at__gte=start, created_at__lt=end)
            .values_list("created_at", "sentiment"))
    n = int((end - start) / STEP) + 1
    buckets = [[start + i * STEP, 0, 0] for i in range(n)]
    sentiment: Counter = Counter()
    for at, label in rows.iterator(chunk_size=5000):
        b = buckets[min(int((at - start) / STEP), n - 1)]
        b[1] += 1
        b[2] += label == "negative"
        sentiment[label if label in SENTIMENTS else "unknown"] += 1
    return [tuple(b) for b in buckets], sentiment


def spread_chart_svg(buckets: list[tuple[dt.datetime, int, int]]) -> str:
    from inhouse.reports.charts import line_chart_svg

    return line_chart_svg(
        {_("all items"): [(at, n) for at, n, _neg in buckets],
         _("negative"): [(at, neg) for at, _n, neg in buckets]},
        _("Items per 30 minutes"), _("items"), empty_text=_("No items stored"))


def report_context(incident: Incident) -> dict[str, Any]:
    alerts = list(incident.alerts.all())
    start, end = window(incident)
    buckets, sentiment = _series(incident, start, end)
    total = sum(sentiment.values())
    peak = max(buckets, key=lambda b: b[1]) if buckets else None
    firsts = spreading_posts(incident, alerts)
    first_post = (Item.objects.filter(workspace=incident.workspace, platform_id__in=firsts)
                  .select_related("author").order_by("created_at").first()) if firsts else None
    trees = incident_trees(incident, alerts)
    events = list(incident.events.select_related("actor", "alert"))
    from inhouse.reports.charts import svg_data_uri

    return {
        "incident": incident,
        "alerts": alerts,
        "first_post": first_post,
        "trees": [{"tree": t, "spreaders": t.key_spreaders()} for t in trees],
        "chart_uri": svg_data_uri(spread_chart_svg(buckets)),
        "window_start": start, "window_end": end,
        "peak": peak and {"at": peak[0], "items": peak[1], "negative": peak[2]},
        "sentiment": [{"label": label, "count": sentiment.get(label, 0),
                       "share": sentiment.get(label, 0) / total if total else 0.0}
                      for label in (*SENTIMENTS, "unknown") if label != "unknown"
                      or sentiment.get("unknown")],
        "items_total": total,
        "actions": [e for e in events if e.kind != EventKind.ALERT],
        "signals": [e for e in events if e.kind == EventKind.ALERT],
        "to_first_response": duration_text(
            incident.first_response_at - incident.opened_at if incident.first_response_at
            else None),
        "to_resolution": duration_text(
            incident.resolved_at - incident.opened_at if incident.resolved_at else None),
    }


def report_pdf(incident: Incident, context: dict[str, Any] | None = None) -> bytes:
    """The report as PDF bytes (in the active language)."""
    from inhouse.reports.pdf import html_to_pdf

    html = render_to_string("monitoring/report_pdf.html", context or report_context(incident))
    return html_to_pdf(html)
