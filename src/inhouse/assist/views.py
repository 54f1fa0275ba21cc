"""The desk's AI buttons and the provider settings. Each view needs the permission of the
data behind the draft, so a role never sees a draft of what it may not read (the agency sees
none: it may not read conversations or incidents)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.assist import actions, budget, drafts
from inhouse.assist.forms import ProviderForm
from inhouse.assist.models import AssistDraft, DraftKind
from inhouse.content.actions import MoveRefused
from inhouse.web.workspace import desk_view


@desk_view(perm=Perm.TOKENS_MANAGE)
def provider_settings(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    provider = actions.provider_of(workspace)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        key = "" if form.cleaned_data["remove_key"] else (form.cleaned_data["api_key"] or None)
        actions.save_provider(workspace, request.user, api_key=key,
                              **{f: form.cleaned_data[f] for f in actions.FIELDS})
        messages.success(request, _("AI provider settings saved."))
        return redirect("assist:settings")
    return render(request, "assist/settings.html", {
        "form": form, "provider": provider, "used": budget.used_today(provider),
        "recent": AssistDraft.objects.filter(workspace=workspace)[:20]})


def _conversation(request: HttpRequest, pk: int):
    from inhouse.inbox.models import Conversation

    conversation = Conversation.objects.filter(workspace=request.desk.workspace, pk=pk).first()
    if conversation is None:
        raise Http404("no such conversation in this workspace")
    return conversation


def _incident(request: HttpRequest, pk: int):
    from inhouse.monitoring.models import Incident

    incident = Incident.objects.filter(workspace=request.desk.workspace, pk=pk).first()
    if incident is None:
        raise Http404("no such incident in this workspace")
    return incident


def _said(request: HttpRequest, draft: AssistDraft) -> None:
    if draft.outcome == "traced":
        messages.success(request, _("Draft ready: every claim cites its source."))
    elif draft.outcome == "untraced":
        messages.warning(request, _("Draft ready, but marked claims trace to no source."))
    else:
        messages.info(request, draft.reason)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def reply_draft(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    _said(request, drafts.draft_reply(conversation, request.user))
    return redirect(reverse("inbox:conversation", args=[conversation.pk]) + "#ai-draft")


@require_POST
@desk_view(perm=Perm.INCIDENTS_MANAGE)
def statement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    _said(request, drafts.draft_statement(incident, request.user))
    return redirect(reverse("monitoring:incident", args=[incident.pk]) + "#ai-statement")


@require_POST
@desk_view(perm=Perm.INCIDENTS_MANAGE)
def incident_summary(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    _said(request, drafts.summarize_incident(incident, request.user))
    return redirect(reverse("monitoring:incident", args=[incident.pk]) + "#ai-summary")


@require_POST
@desk_view(perm=Perm.INCIDENTS_MANAGE)
def statement_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the statement as a post draft, or (``approve``) approve it in one click."""
    draft = AssistDraft.objects.filter(workspace=request.desk.workspace, pk=pk,
                                       kind=DraftKind.STATEMENT).first()
    if draft is None:
        raise Http404("no such statement in this workspace")
    approve = request.POST.get("approve") == "1"
    needed = Perm.CONTENT_PUBLISH if approve else Perm.DRAFTS_EDIT
    if not request.desk.can(needed):
        return render(request, "web/not_allowed.html", status=403)
    try:
        post = actions.statement_to_content(draft, request.user, approve=approve)
    except (PermissionError, ValueError, MoveRefused) as exc:
        messages.error(request, str(exc))
        return redirect(reverse("monitoring:incident", args=[draft.subject.split(":")[1]])
                        + "#ai-statement")
    messages.success(request, _("The statement is now post draft #%(pk)s.") % {"pk": post.pk})
    return redirect("content:draft", post.pk)


@require_POST
@desk_view(perm=Perm.DRAFTS_REVIEW)
def report_summary(request: HttpRequest, kind: str) -> HttpResponse:
    """The report's narrative, drafted by those who review what goes out (owner, operator).
    It cites posts and incidents, so it also needs the items permission (the agency reads
    aggregate reports, not the items; a viewer only reads)."""
    from inhouse.analytics.periods import report_period

    if not (request.desk.can(Perm.ITEMS_VIEW) and request.desk.can(Perm.REPORTS_VIEW)):
        return render(request, "web/not_allowed.html", status=403)
    try:
        period = report_period(kind, request.POST.get("end") or "")
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    _said(request, drafts.summarize_week(request.desk.workspace, request.user, kind, period))
    return redirect(reverse("analytics:report", args=[kind]) + f"?end={period.end}#ai-summary")
