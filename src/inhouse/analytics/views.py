"""Desk pages under /analytics/: the dashboard, fan quality, reports (page, PDF, HTML file)
and the settings (target customer, report recipients).

Seeing the dashboard and fan-quality aggregates needs ANALYTICS_VIEW (the agency included:
aggregates only); the follower-by-follower list needs CUSTOMERS_VIEW; reports REPORTS_VIEW;
settings CHANNELS_MANAGE. Changes go through inhouse.analytics.actions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inhouse.access.permissions import Perm
from inhouse.analytics import actions, figures, kpis, report
from inhouse.analytics.fanscore import LIKELY_BOT, LIKELY_TARGET
from inhouse.analytics.models import AnalyticsSettings, FanRun, FanScore, ReportKind
from inhouse.analytics.periods import Period, report_period, today
from inhouse.core.models import Author
from inhouse.reports.interactive import plotly_js_url
from inhouse.reports.pdf import pdf_download
from inhouse.web.workspace import desk_view

PRESETS = (7, 30, 90)


def _period(request: HttpRequest) -> tuple[Period, str]:
    """From ?start=&end= (custom) or ?days= (a preset ending today); errors name the field."""
    start, end = request.GET.get("start"), request.GET.get("end")
    if start and end:
        try:
            return Period.parse(start, end), ""
        except ValueError as exc:
            return Period.last(7), str(exc)
    try:
        days = int(request.GET.get("days", 7))
    except ValueError:
        return Period.last(7), _("days: not a number")
    return Period.last(days if days in PRESETS else 7), ""


@desk_view(perm=Perm.ANALYTICS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    period, error = _period(request)
    d = kpis.dashboard(request.desk.workspace, period)
    charts = figures.build(d)
    for chart in charts:
        chart.html = chart.div()
    return render(request, "analytics/dashboard.html", {
        "d": d, "charts": charts, "responses": kpis.response_table(d.now), "error": error,
        "presets": PRESETS, "plotly_js": plotly_js_url(),
        "can_reports": request.desk.can(Perm.REPORTS_VIEW),
    })


@desk_view(perm=Perm.ANALYTICS_VIEW)
def fans(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    run = FanRun.objects.filter(workspace=workspace).first()
    detail = request.desk.can(Perm.CUSTOMERS_VIEW)
    context = {"run": run, "detail": detail, "likely_bot": LIKELY_BOT,
               "likely_target": LIKELY_TARGET, "plotly_js": plotly_js_url()}
    if run is not None:
        from inhouse.reports import interactive

        hist = run.summary.get("histogram", [])
        fig = interactive.bar_figure([(f"{i / 10:.1f}", n) for i, n in enumerate(hist)],
                                     _("Followers by bot score"), _("followers"))
        context["histogram"] = interactive.figure_div(fig, div_id="chart-bot-score")
    if run is not None and detail:
        scores = FanScore.objects.filter(workspace=workspace)
        context["suspects"] = _with_authors(scores.filter(bot_score__gte=LIKELY_BOT)
                                            .order_by("-bot_score", "-items_count"))
        context["targets"] = _with_authors(scores.filter(target_score__gte=LIKELY_TARGET,
                                                         bot_score__lt=LIKELY_BOT)
                                           .order_by("-target_score", "-items_count"))
    return render(request, "analytics/fans.html", context)


def _with_authors(ordered, n: int = 50) -> list[FanScore]:
    """The first ``n`` rows of ``ordered`` with their authors: ids first (the index walk stops
    at ``n``), then one query joining only those — joining first would read every match."""
    ids = list(ordered.values_list("pk", flat=True)[:n])
    rows = FanScore.objects.in_bulk(ids)
    authors = {a.pk: a for a in Author.objects.filter(pk__in=[r.author_id for r in rows.values()])}
    for row in rows.values():
        row.author = authors[row.author_id]
    return [rows[pk] for pk in ids]


def _report_period(request: HttpRequest, kind: str) -> Period:
    try:
        return report_period(kind, request.GET.get("end") or "")
    except ValueError as exc:
        raise Http404(str(exc)) from exc


@desk_view(perm=Perm.REPORTS_VIEW)
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/reports.html", {
        "today": today(), "kinds": ReportKind.choices,
        "can_settings": request.desk.can(actions.SETTINGS_PERM),
    })


@desk_view(perm=Perm.REPORTS_VIEW)
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    period = _report_period(request, kind)
    context = report.context(request.desk.workspace, kind, period, static=False)
    context.update({"plotly_js": plotly_js_url(), "end": period.end.isoformat()})
    return render(request, "analytics/report_page.html", context)


@desk_view(perm=Perm.REPORTS_VIEW)
def report_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    period = _report_period(request, kind)
    workspace = request.desk.workspace
    if fmt == "pdf":
        return pdf_download(lambda: report.render_pdf(workspace, kind, period),
                            report.filename(workspace, kind, period, fmt))
    if fmt == "html":
        body = report.render_html(workspace, kind, period).encode()
        content_type = "text/html; charset=utf-8"
    else:
        raise Http404("no such format")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{report.filename(workspace, kind, period, fmt)}"')
    return response


@desk_view(perm=actions.SETTINGS_PERM)
def settings_page(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    conf = AnalyticsSettings.objects.filter(workspace=workspace).first() or AnalyticsSettings(
        workspace=workspace)
    errors: dict = {}
    if request.method == "POST":
        fields = ("target_keywords", "target_locations", "daily_recipients", "weekly_recipients")
        try:
            actions.update_settings(workspace, request.user,
                                    **{f: request.POST.get(f, "") for f in fields})
            return redirect("analytics:settings")
        except ValidationError as exc:
            errors = exc.message_dict
    return render(request, "analytics/settings.html", {
        "conf": conf, "errors": errors, "dictionary": workspace.dictionary,
    }, status=400 if errors else 200)
