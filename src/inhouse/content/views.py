"""Content pages of the desk: drafts by state, the editor with live keynote findings, a draft
with its history and the moves the role allows, the calendar, and the keynote editor.

Every POST calls one action; the role is checked twice, by ``desk_view(perm=...)`` (a 403
page) and again by the action itself.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.content import actions
from inhouse.content import calendar as cal
from inhouse.content.forms import (
    DraftForm,
    KeynoteForm,
    RejectForm,
    ScheduleForm,
    format_mapping,
    split_words,
)
from inhouse.content.keynote import Finding, compose
from inhouse.content.models import Draft, State
from inhouse.web.workspace import desk_view

WHOLE_TEXT_RULES = {"required", "duplicate"}  # listed, not highlighted


def highlight(text: str, findings: list[Finding]) -> list[dict]:
    """The text cut into segments, each with the worst level of the findings covering it."""
    marks: list[str] = [""] * len(text)
    for f in findings:
        if f.rule in WHOLE_TEXT_RULES:
            continue
        for i in range(max(f.start, 0), min(f.end, len(text))):
            if marks[i] != "block":
                marks[i] = f.level
    segments: list[dict] = []
    for char, mark in zip(text, marks, strict=True):
        if segments and segments[-1]["level"] == mark:
            segments[-1]["text"] += char
        else:
            segments.append({"text": char, "level": mark})
    return segments


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context["may_manage_keynote"] = request.desk.can(Perm.KEYNOTE_MANAGE)
    return render(request, template, context, status=status)


def _draft(request: HttpRequest, pk: int) -> Draft:
    return get_object_or_404(Draft.objects.select_related("author", "write"), pk=pk,
                             workspace=request.desk.workspace)


def _findings_context(workspace, text: str, campaign: str = "", write_id: int | None = None) -> dict:
    findings = actions.findings_for(workspace, text, campaign, write_id)
    return {"findings": findings, "segments": highlight(text, findings), "full_text": text,
            "length": len(text), "blocking": any(f.blocks for f in findings)}


@desk_view(perm=Perm.DRAFTS_EDIT)
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = Draft.objects.filter(workspace=request.desk.workspace).select_related("author")
    by_state = {s: [] for s in State.values}
    for draft in drafts:
        by_state[draft.state].append(draft)
    columns = [(State(s).label, s, by_state[s]) for s in State.values]
    return _render(request, "content/list.html", {"columns": columns})


@desk_view(perm=Perm.DRAFTS_EDIT)
def draft_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ws = request.desk.workspace
    draft = _draft(request, pk) if pk else None
    initial = {}
    if draft is not None:
        initial = {"text": draft.text, "hashtags": " ".join(draft.hashtags),
                   "mentions": " ".join(draft.mentions), "image_refs": "\n".join(draft.image_refs),
                   "campaign": draft.campaign}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if draft is None:
                draft = actions.create_draft(ws, request.user, form.cleaned_data["text"], **form.move_kwargs())
            else:
                actions.revise_draft(draft, request.user, form.cleaned_data["text"], **form.move_kwargs())
            return redirect("content:draft", draft.pk)
        except actions.MoveRefused as error:
            form.add_error(None, str(error))
    text = draft.full_text if draft else ""
    return _render(request, "content/edit.html", {
        "form": form, "draft": draft, "keynote": actions.keynote_of(ws),
        "campaign_names": _campaign_names(ws),
        **_findings_context(ws, text, draft.campaign if draft else "", draft.write_id if draft else None)})


def _campaign_names(workspace) -> list[str]:
    """Names of the workspace's campaigns, newest first (the campaigns window sits beside
    this one, so its model is looked up, not imported)."""
    from django.apps import apps

    if not apps.is_installed("inhouse.campaigns"):
        return []
    campaign = apps.get_model("campaigns", "Campaign")
    return list(campaign.objects.filter(workspace=workspace).values_list("name", flat=True)[:50])


@desk_view(perm=Perm.DRAFTS_EDIT)
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The keynote findings for the editor's current text (htmx, as you type)."""
    post = request.POST
    text = compose(post.get("text", ""), split_words(post.get("hashtags", "")),
                   split_words(post.get("mentions", "")))
    return render(request, "content/_findings.html",
                  _findings_context(request.desk.workspace, text, post.get("campaign", "").strip()))


@desk_view(perm=Perm.DRAFTS_EDIT)
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    desk = request.desk
    can_edit, can_review, can_publish = (desk.can(Perm.DRAFTS_EDIT), desk.can(Perm.DRAFTS_REVIEW),
                                         desk.can(Perm.CONTENT_PUBLISH))
    state = draft.state
    return _render(request, "content/detail.html", {
        "draft": draft, "events": draft.events.select_related("actor"),
        **_findings_context(desk.workspace, draft.full_text, draft.campaign, draft.write_id),
        "may_revise": can_edit and state in (State.DRAFT, State.IN_REVIEW, State.REJECTED),
        "may_submit": can_edit and state == State.DRAFT,
        "may_reject": can_review and state in (State.IN_REVIEW, State.APPROVED, State.SCHEDULED),
        "may_approve": can_publish and state == State.IN_REVIEW,
        "may_schedule": can_publish and state in (State.APPROVED, State.SCHEDULED),
        "may_publish": can_publish and state in (State.APPROVED, State.SCHEDULED),
        "reject_form": RejectForm(),
        "schedule_form": ScheduleForm(initial={"when": timezone.localtime(
            draft.scheduled_for or timezone.now() + dt.timedelta(hours=1))}),
    })


def _do(request: HttpRequest, pk: int, move, *args) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        move(draft, request.user, *args)
    except PermissionDenied:
        return render(request, "web/not_allowed.html", status=403)
    except actions.MoveRefused as error:
        messages.error(request, str(error))
    return redirect("content:draft", draft.pk)


@desk_view(perm=Perm.DRAFTS_EDIT)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _do(request, pk, actions.submit_for_review)


@desk_view(perm=Perm.DRAFTS_REVIEW)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _do(request, pk, actions.reject_draft, request.POST.get("reason", ""))


@desk_view(perm=Perm.CONTENT_PUBLISH)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _do(request, pk, actions.approve_draft)


@desk_view(perm=Perm.CONTENT_PUBLISH)
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a date and time to publish at."))
        return redirect("content:draft", pk)
    return _do(request, pk, actions.schedule_draft, form.cleaned_data["when"])


@desk_view(perm=Perm.CONTENT_PUBLISH)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    rip = request.META.get("REMOTE_ADDR", "")
    return _do(request, pk, lambda draft, user: actions.publish_now(draft, user, rip=rip))


@desk_view(perm=Perm.CONTENT_PUBLISH)
@require_POST
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a scheduled post: ``date`` (YYYY-MM-DD, the calendar's drag: same time of day on
    another day) or ``when`` (the no-JS form: a full date and time). Back to the calendar."""
    draft = _draft(request, pk)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("content:calendar")
    when = None
    if request.POST.get("date"):
        try:
            day = dt.date.fromisoformat(request.POST["date"])
        except ValueError:
            day = None
        if day is not None and draft.scheduled_for is not None:
            local = timezone.localtime(draft.scheduled_for)
            when = local.replace(year=day.year, month=day.month, day=day.day)
    else:
        form = ScheduleForm(request.POST)
        if form.is_valid():
            when = form.cleaned_data["when"]
    if when is None:
        messages.error(request, _("Give a date and time to publish at."))
        return redirect(back)
    try:
        actions.reschedule_draft(draft, request.user, when)
        messages.success(request, _("Moved to %(when)s.") % {"when": f"{timezone.localtime(when):%Y-%m-%d %H:%M}"})
    except PermissionDenied:
        return render(request, "web/not_allowed.html", status=403)
    except actions.MoveRefused as error:
        messages.error(request, str(error))
    return redirect(back)


@desk_view(perm=Perm.POSTS_VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = timezone.localdate()
    weeks, previous, following = cal.grid(request.desk.workspace, view, anchor)
    return _render(request, "content/calendar.html", {
        "weeks": weeks, "view": view, "anchor": anchor, "previous": previous,
        "following": following, "today": timezone.localdate(),
        "can_schedule": request.desk.can(Perm.CONTENT_PUBLISH),
        "can_draft": request.desk.can(Perm.DRAFTS_EDIT)})


@desk_view(perm=Perm.KEYNOTE_MANAGE)
def keynote(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    current = actions.keynote_of(ws)
    form = KeynoteForm(request.POST or None, initial={
        "voice": current.voice, "banned_words": " ".join(current.banned_words),
        "sensitive_words": " ".join(current.sensitive_words),
        "required_tags": format_mapping(current.required_tags),
        "products": format_mapping(current.products)})
    if request.method == "POST" and form.is_valid():
        actions.save_keynote(ws, request.user, **form.save_kwargs())
        messages.success(request, _("Keynote saved."))
        return redirect("content:keynote")
    facts = actions.price_facts(ws, current)
    return _render(request, "content/keynote.html", {"form": form, "keynote": current, "facts": facts})
