"""Desk pages under /monitoring/: incidents, one incident, topics and their rule editor.

Seeing incidents and topics needs ITEMS_VIEW (they show public items): owner, operator and
viewer; the agency and the expert are refused. Acting needs INCIDENTS_MANAGE, editing rules
RULES_MANAGE; every change goes through inhouse.monitoring.actions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.core.models import Item
from inhouse.monitoring import actions
from inhouse.monitoring.chart import spread_svg
from inhouse.monitoring.evidence import incident_trees
from inhouse.monitoring.models import EventKind, Incident, IncidentState, Topic
from inhouse.monitoring.query import Matcher, QueryError
from inhouse.monitoring.report import report_context, report_pdf
from inhouse.monitoring.segment import Segmenter
from inhouse.monitoring.tree import cut
from inhouse.reports.pdf import pdf_download
from inhouse.web.workspace import desk_view

PREVIEW_DAYS = 7
PREVIEW_SCAN = 20_000  # items read for a preview; enough for a week of a small brand


@desk_view(perm=Perm.ITEMS_VIEW)
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = (Incident.objects.filter(workspace=request.desk.workspace)
                 .select_related("topic", "owner").annotate(n_alerts=Count("alerts")))
    return render(request, "monitoring/incident_list.html", {
        "open": [i for i in incidents if i.is_open],
        "closed": [i for i in incidents if not i.is_open][:50],
    })


def _suggestions(incident: Incident) -> list[str]:
    kinds = {a.kind for a in incident.alerts.all()}
    steps = []
    if incident.state == IncidentState.NEW:
        steps.append(_("Acknowledge it so the team knows someone owns it."))
    if incident.state in (IncidentState.NEW, IncidentState.ACKNOWLEDGED):
        steps.append(_("Reply publicly to the first post within the hour: say you have seen it "
                       "and are checking, then contact the customer privately."))
    if "viral" in kinds:
        steps.append(_("Key reposters are carrying it: answer under their reposts too."))
    if "emerging" in kinds:
        steps.append(_("Check the facts behind the emerging term with quality or logistics "
                       "before a statement."))
    if incident.state == IncidentState.RESPONDING:
        steps.append(_("Publish a statement with the facts and what you will do; record it here."))
    if incident.state == IncidentState.MONITORING:
        steps.append(_("Follow up with the customer and watch the volume for a day before "
                       "resolving."))
    return steps


def _spread(incident: Incident) -> tuple[str, list[Item]]:
    start = incident.opened_at - dt.timedelta(hours=6)
    end = max(incident.last_signal_at + dt.timedelta(hours=12), start + dt.timedelta(hours=12))
    items = list(
        Item.objects.filter(workspace=incident.workspace, topic_links__topic=incident.topic.name,
                            created_at__gte=start, created_at__lt=end)
        .values_list("created_at", "sentiment")
    )
    step = dt.timedelta(minutes=30)
    n = int((end - start) / step) + 1
    counts = [[start + i * step, 0, 0] for i in range(n)]
    for at, sentiment in items:
        b = counts[min(int((at - start) / step), n - 1)]
        b[1] += 1
        b[2] += sentiment == "negative"
    title = _("Items about %(topic)s per 30 minutes (bars) and negative share (line)") % {
        "topic": incident.topic.name}
    return mark_safe(spread_svg([tuple(b) for b in counts], title, incident.opened_at)), items


@desk_view(perm=Perm.ITEMS_VIEW)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.select_related("topic", "owner"),
                                 pk=pk, workspace=request.desk.workspace)
    alerts = list(incident.alerts.all())
    evidence = {i for a in alerts for i in a.item_ids[:1]}
    key_ids = [i for a in alerts if a.kind == "viral" for i in a.data.get("key_reposters", [])]
    found = {i.platform_id: i for i in Item.objects.filter(
        workspace=incident.workspace, platform_id__in=evidence | set(key_ids)
    ).select_related("author")}
    first = min((found[i] for i in evidence if i in found), key=lambda i: i.created_at,
                default=None)
    chart, _items = _spread(incident)
    trees = [{"tree": t, "shown": cut(t), "spreaders": t.key_spreaders()}
             for t in incident_trees(incident, alerts)]
    return render(request, "monitoring/incident_detail.html", {
        "trees": trees,
        "incident": incident, "alerts": alerts, "first_post": first,
        "key_reposters": [found[i] for i in key_ids if i in found],
        "chart": chart, "events": incident.events.select_related("actor", "alert"),
        "next_states": actions.NEXT_STATES.get(incident.state, ()),
        "state_labels": dict(IncidentState.choices),
        "team_events": [(k, EventKind(k).label) for k in actions.TEAM_EVENTS],
        "suggestions": _suggestions(incident),
        "can_manage": request.desk.can(Perm.INCIDENTS_MANAGE),
    })


@require_POST
@desk_view(perm=Perm.INCIDENTS_MANAGE)
def incident_transition(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk, workspace=request.desk.workspace)
    try:
        actions.transition_incident(incident, request.POST.get("state", ""), request.user,
                                    request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        return HttpResponse(" ".join(getattr(exc, "messages", [str(exc)])), status=400)
    return redirect("monitoring:incident", pk=pk)


@require_POST
@desk_view(perm=Perm.INCIDENTS_MANAGE)
def incident_event(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk, workspace=request.desk.workspace)
    try:
        actions.add_incident_event(incident, request.POST.get("kind", ""),
                                   request.POST.get("text", "").strip(), request.user)
    except (ValidationError, PermissionDenied) as exc:
        return HttpResponse(" ".join(getattr(exc, "messages", [str(exc)])), status=400)
    return redirect("monitoring:incident", pk=pk)


def preview(workspace, query: str) -> tuple[list[Item], int, str]:
    """Items of the last PREVIEW_DAYS (before the newest stored item) the query matches."""
    try:
        matcher = Matcher(query, Segmenter(workspace.dictionary or []))
    except QueryError as exc:
        return [], 0, str(exc)
    latest = Item.objects.filter(workspace=workspace).order_by("-created_at").first()
    if latest is None:
        return [], 0, ""
    rows = (Item.objects.filter(workspace=workspace,
                                created_at__gte=latest.created_at - dt.timedelta(days=PREVIEW_DAYS))
            .exclude(text="").only("id", "platform_id", "text", "created_at", "sentiment", "kind")
            .order_by("-created_at")[:PREVIEW_SCAN])
    hits = [i for i in rows if matcher.matches(i.text)]
    return hits[:30], len(hits), ""


@desk_view(perm=Perm.ITEMS_VIEW)
def topic_list(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    error = ""
    if request.method == "POST":
        if not request.desk.can(Perm.RULES_MANAGE):
            return render(request, "web/not_allowed.html", status=403)
        try:
            topic = actions.create_topic(ws, request.user, request.POST.get("name", ""),
                                         request.POST.get("query", ""))
            return redirect("monitoring:topic", pk=topic.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=PREVIEW_DAYS)
    topics = Topic.objects.filter(workspace=ws).annotate(
        n_open=Count("incidents", filter=~Q(incidents__state=IncidentState.RESOLVED),
                     distinct=True))
    return render(request, "monitoring/topic_list.html", {
        "topics": topics, "error": error, "since": week_ago,
        "can_edit": request.desk.can(Perm.RULES_MANAGE),
    })


@desk_view(perm=Perm.ITEMS_VIEW)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, workspace=request.desk.workspace)
    can_edit = request.desk.can(Perm.RULES_MANAGE)
    error = ""
    query = request.GET.get("query", topic.query)
    if request.method == "POST":
        if not can_edit:
            return render(request, "web/not_allowed.html", status=403)
        query = request.POST.get("query", "")
        try:
            actions.update_topic(topic, request.user, query=query,
                                 active=request.POST.get("active") == "on")
            return redirect("monitoring:topic", pk=pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    hits, total, parse_error = preview(topic.workspace, query)
    return render(request, "monitoring/topic_detail.html", {
        "topic": topic, "query": query, "hits": hits, "total": total,
        "error": error or parse_error, "can_edit": can_edit, "days": PREVIEW_DAYS,
    })


@desk_view(perm=Perm.ITEMS_VIEW)
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The post-incident report; people who manage incidents write its lessons here."""
    incident = get_object_or_404(Incident.objects.select_related("topic", "owner"),
                                 pk=pk, workspace=request.desk.workspace)
    can_manage = request.desk.can(Perm.INCIDENTS_MANAGE)
    error = ""
    if request.method == "POST":
        if not can_manage:
            return render(request, "web/not_allowed.html", status=403)
        try:
            actions.save_incident_lessons(incident, request.POST.get("lessons", ""), request.user)
            return redirect("monitoring:incident_report", pk=pk)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
    return render(request, "monitoring/report.html", {
        **report_context(incident), "can_manage": can_manage, "error": error})


@desk_view(perm=Perm.ITEMS_VIEW)
def incident_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.select_related("topic", "owner"),
                                 pk=pk, workspace=request.desk.workspace)
    return pdf_download(lambda: report_pdf(incident),
                        f"incident-{incident.pk}-{incident.opened_at:%Y%m%d}.pdf")
