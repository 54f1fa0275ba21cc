"""Desk pages under /campaigns/: campaigns and their plans, the live follow, instant posts
and the report.

Reading a campaign's plan needs CAMPAIGNS_PLAN or REPORTS_VIEW; planning (campaign, events,
timeline) CAMPAIGNS_PLAN — the agency too; the people on duty CAMPAIGNS_MANAGE; the live
discussion shows public items, so ITEMS_VIEW; an instant post CONTENT_PUBLISH and being on
duty; the report REPORTS_VIEW. Every change calls inhouse.campaigns.actions.
"""

from __future__ import annotations

import csv
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.campaigns import actions, report
from inhouse.campaigns.forms import CampaignForm, DutyForm, EventForm, InstantForm, TimelineForm
from inhouse.campaigns.models import Campaign, CampaignItem, OfflineEvent
from inhouse.content.models import Draft
from inhouse.web.workspace import desk_view

LIVE_LIMIT = 100
READ = (Perm.CAMPAIGNS_PLAN, Perm.REPORTS_VIEW)


def any_of(*perms: Perm):
    """desk_view for a page several roles reach through different permissions."""
    def decorate(view):
        @desk_view
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not any(request.desk.can(p) for p in perms):
                return render(request, "web/not_allowed.html", status=403)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign, pk=pk, workspace=request.desk.workspace)


def _context(request: HttpRequest, **extra) -> dict:
    desk = request.desk
    return {"can_plan": desk.can(Perm.CAMPAIGNS_PLAN), "can_manage": desk.can(Perm.CAMPAIGNS_MANAGE),
            "can_live": desk.can(Perm.ITEMS_VIEW), "can_report": desk.can(Perm.REPORTS_VIEW), **extra}


@any_of(*READ)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.filter(workspace=request.desk.workspace).prefetch_related("partners")
    return render(request, "campaigns/list.html", _context(request, campaigns=campaigns))


def _form_kwargs(form: CampaignForm) -> dict:
    return {k: form.cleaned_data[k] for k in ("name", "goal", "starts_at", "ends_at", "hashtag", "partners")}


@desk_view(perm=Perm.CAMPAIGNS_PLAN)
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ws = request.desk.workspace
    campaign = _campaign(request, pk) if pk else None
    initial = {}
    if campaign is not None:
        initial = {**campaign.snapshot(), "starts_at": campaign.starts_at, "ends_at": campaign.ends_at,
                   "partners": list(campaign.partners.values_list("pk", flat=True))}
    form = CampaignForm(request.POST or None, workspace=ws, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if campaign is None:
                campaign = actions.create_campaign(ws, request.user, **_form_kwargs(form))
            else:
                actions.update_campaign(campaign, request.user, **_form_kwargs(form))
            return redirect("campaigns:detail", campaign.pk)
        except actions.Refused as error:
            form.add_error(None, str(error))
    return render(request, "campaigns/edit.html", _context(request, form=form, campaign=campaign),
                  status=400 if form.errors else 200)


@any_of(*READ)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    events = list(campaign.events.prefetch_related("timeline"))
    drafts = Draft.objects.filter(workspace=campaign.workspace, campaign=campaign.name).select_related("author")
    return render(request, "campaigns/detail.html", _context(
        request, campaign=campaign, events=events, drafts=drafts,
        on_duty=campaign.on_duty.order_by("username"),
        duty_form=DutyForm(workspace=campaign.workspace,
                           initial={"people": list(campaign.on_duty.values_list("pk", flat=True))}),
        event_form=EventForm(initial={"starts_at": campaign.starts_at, "ends_at": campaign.starts_at}),
        timeline_form=TimelineForm(),
        may_post=actions.may_post_instantly(campaign, request.user),
        instant_form=InstantForm(events=events)))


@desk_view(perm=Perm.CAMPAIGNS_MANAGE)
@require_POST
def duty(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = DutyForm(request.POST, workspace=campaign.workspace)
    if form.is_valid():
        actions.set_on_duty(campaign, request.user, form.cleaned_data["people"])
        messages.success(request, _("Saved."))
    return redirect("campaigns:detail", campaign.pk)


@desk_view(perm=Perm.CAMPAIGNS_PLAN)
@require_POST
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = EventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The event needs a name, a start and an end."))
    else:
        try:
            actions.add_event(campaign, request.user, **form.cleaned_data)
        except actions.Refused as error:
            messages.error(request, str(error))
    return redirect("campaigns:detail", campaign.pk)


def _event(request: HttpRequest, pk: int) -> OfflineEvent:
    return get_object_or_404(OfflineEvent.objects.select_related("campaign"), pk=pk,
                             campaign__workspace=request.desk.workspace)


@desk_view(perm=Perm.CAMPAIGNS_PLAN)
@require_POST
def event_remove(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    actions.remove_event(event, request.user)
    return redirect("campaigns:detail", event.campaign_id)


@desk_view(perm=Perm.CAMPAIGNS_PLAN)
@require_POST
def timeline_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = TimelineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A timeline step needs a time and what happens."))
    else:
        try:
            actions.add_timeline_entry(event, request.user, form.cleaned_data["at"], form.cleaned_data["what"])
        except actions.Refused as error:
            messages.error(request, str(error))
    return redirect("campaigns:detail", event.campaign_id)


@desk_view(perm=Perm.ITEMS_VIEW)
def live(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's discussion as it arrives; the page polls itself (htmx) every 15 s."""
    campaign = _campaign(request, pk)
    links = (CampaignItem.objects.filter(campaign=campaign).select_related("item", "item__author")
             .order_by("-created_at", "-id")[:LIVE_LIMIT])
    events = list(campaign.events.all())
    context = _context(request, campaign=campaign, links=links, total=campaign.links.count(),
                       may_post=actions.may_post_instantly(campaign, request.user),
                       instant_form=InstantForm(events=events))
    if request.headers.get("HX-Request"):
        return render(request, "campaigns/_feed.html", context)
    return render(request, "campaigns/live.html", context)


@desk_view(perm=Perm.CONTENT_PUBLISH)
@require_POST
def instant(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    events = list(campaign.events.all())
    form = InstantForm(request.POST, events=events)
    if not form.is_valid():
        messages.error(request, _("Write the post's text."))
        return redirect("campaigns:live", campaign.pk)
    event = next((e for e in events if e.pk == form.cleaned_data["event"]), None)
    try:
        post = actions.instant_post(campaign, request.user, form.cleaned_data["text"],
                                    nonce=form.cleaned_data["nonce"], event=event,
                                    rip=request.META.get("REMOTE_ADDR", ""))
    except PermissionDenied:
        return render(request, "web/not_allowed.html", status=403)
    except actions.Refused as error:
        messages.error(request, str(error))
        return redirect("campaigns:live", campaign.pk)
    messages.success(request, _("Published: draft #%(pk)d is on its way to Weibo.") % {"pk": post.draft_id})
    return redirect("campaigns:live", campaign.pk)


def _report_context(request: HttpRequest, pk: int) -> dict:
    campaign = _campaign(request, pk)
    built = report.build(campaign)
    return _context(request, campaign=campaign, report=built, chart=report.day_chart_svg(built))


@desk_view(perm=Perm.REPORTS_VIEW)
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "campaigns/report.html", _report_context(request, pk))


@desk_view(perm=Perm.REPORTS_VIEW)
def campaign_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    # UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese names right.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-report.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(report.csv_rows(report.build(campaign)))
    return response


@desk_view(perm=Perm.REPORTS_VIEW)
def campaign_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from inhouse.reports.charts import svg_data_uri
    from inhouse.reports.pdf import pdf_download

    context = _report_context(request, pk)
    context["chart_uri"] = svg_data_uri(context["chart"])  # an <img> prints surely in PDF
    return pdf_download(lambda: report.report_pdf(context),
                        f"campaign-{context['campaign'].pk}-report.pdf")
