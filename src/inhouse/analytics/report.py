"""Daily and weekly reports: one context, rendered as a desk page, a standalone HTML file,
a PDF (weasyprint) and an e-mail. The PDF and the standalone file carry static SVG charts;
the desk page draws the same series with plotly."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inhouse.analytics import figures, kpis
from inhouse.analytics.models import FanRun
from inhouse.analytics.periods import Period
from inhouse.core.models import Workspace


def title_of(kind: str, period: Period) -> str:
    if kind == "daily":
        return _("Daily report %(day)s") % {"day": period.start.isoformat()}
    return _("Weekly report %(start)s – %(end)s") % {"start": period.start.isoformat(),
                                                     "end": period.end.isoformat()}


def context(workspace: Workspace, kind: str, period: Period, static: bool) -> dict:
    """What the report shows. ``static``: SVG charts (PDF, file, e-mail) instead of plotly."""
    d = kpis.dashboard(workspace, period)
    charts = figures.build(d)
    for chart in charts:
        chart.html = chart.svg() if static else chart.div()
    fan_run = FanRun.objects.filter(workspace=workspace).first()
    return {"workspace": workspace, "kind": kind, "period": period, "title": title_of(kind, period),
            "d": d, "charts": charts, "responses": kpis.response_table(d.now),
            "fan_run": fan_run, "static": static}


def render_html(workspace: Workspace, kind: str, period: Period) -> str:
    """A standalone HTML document (static charts, no script), for files and e-mail."""
    return render_to_string("analytics/report_document.html",
                            context(workspace, kind, period, static=True))


def render_pdf(workspace: Workspace, kind: str, period: Period) -> bytes:
    from inhouse.reports.pdf import html_to_pdf

    return html_to_pdf(render_html(workspace, kind, period))


def filename(workspace: Workspace, kind: str, period: Period, ext: str) -> str:
    return f"{workspace.slug}-{kind}-{period.start.isoformat()}.{ext}"


def email_report(workspace: Workspace, kind: str, period: Period, recipients: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_html(workspace, kind, period)
        pdf = render_pdf(workspace, kind, period)
        subject = f"[{workspace.name}] {title_of(kind, period)}"
        text = _("The report is attached as a PDF.")
    message = EmailMultiAlternatives(subject, text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.attach(filename(workspace, kind, period, "pdf"), pdf, "application/pdf")
    message.send()
