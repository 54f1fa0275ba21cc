"""Knowledge-base pages of the desk: list, entry with versions, edit, import, try a question."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.knowledge import actions
from inhouse.knowledge.forms import EntryForm, ImportForm, TryForm
from inhouse.knowledge.models import Entry
from inhouse.knowledge.suggest import suggest_for
from inhouse.web.workspace import desk_view

PAGE_SIZE = 50


def _readable(request: HttpRequest) -> bool:
    # Those who answer customers read the knowledge base; the agency does not.
    desk = request.desk
    return desk.can(Perm.KNOWLEDGE_EDIT) or desk.can(Perm.INBOX_REPLY) or desk.can(Perm.ITEMS_VIEW)


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "web/not_allowed.html", status=403)


@desk_view
def entry_list(request: HttpRequest) -> HttpResponse:
    if not _readable(request):
        return _refuse(request)
    ws = request.desk.workspace
    entries = Entry.objects.filter(workspace=ws).select_related("owner")
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(question__icontains=q) | Q(answer__icontains=q) | Q(external_id=q))
    if request.GET.get("state") != "all":
        entries = entries.filter(active=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "state": request.GET.get("state", ""),
               "can_edit": request.desk.can(Perm.KNOWLEDGE_EDIT)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "knowledge/_results.html", context)
    return render(request, "knowledge/list.html", context)


@desk_view
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _readable(request):
        return _refuse(request)
    entry = get_object_or_404(Entry.objects.select_related("owner"), pk=pk, workspace=request.desk.workspace)
    versions = entry.versions.select_related("author")
    return render(request, "knowledge/detail.html", {
        "entry": entry, "versions": versions, "current": entry.is_current(),
        "can_edit": actions.can_edit(request.user, entry.workspace, entry)})


@desk_view(perm=Perm.KNOWLEDGE_EDIT)
def entry_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ws = request.desk.workspace
    entry = get_object_or_404(Entry, pk=pk, workspace=ws) if pk else None
    if entry is not None and not actions.can_edit(request.user, ws, entry):
        return _refuse(request)
    initial = {}
    if entry is not None:
        initial = {"question": entry.question, "variants": "\n".join(entry.variants),
                   "answer": entry.answer, "tags": " | ".join(entry.tags), "owner": entry.owner,
                   "valid_until": entry.valid_until}
    form = EntryForm(request.POST or None, workspace=ws, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                entry = actions.create_entry(ws, request.user, **form.action_kwargs())
            else:
                actions.update_entry(entry, request.user, **form.action_kwargs())
            messages.success(request, _("Entry saved."))
            return redirect("knowledge:entry", entry.pk)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for name, errs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errs)
    return render(request, "knowledge/form.html", {"form": form, "entry": entry})


@require_POST
@desk_view(perm=Perm.KNOWLEDGE_EDIT)
def entry_retire(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry, pk=pk, workspace=request.desk.workspace)
    try:
        actions.retire_entry(entry, request.user)
    except PermissionDenied:
        return _refuse(request)
    messages.success(request, _("Entry retired: it is no longer suggested."))
    return redirect("knowledge:entry", entry.pk)


@desk_view(perm=Perm.KNOWLEDGE_EDIT)
def entry_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text; save it as CSV UTF-8 and try again."))
        else:
            report = actions.import_entries_csv(request.desk.workspace, request.user,
                                                io.StringIO(text, newline=""), upload.name)
    return render(request, "knowledge/import.html", {"form": form, "report": report})


@desk_view
def try_question(request: HttpRequest) -> HttpResponse:
    if not _readable(request):
        return _refuse(request)
    form = TryForm(request.GET or None)
    suggestions = None
    if form.is_valid():
        suggestions = suggest_for(request.desk.workspace, form.cleaned_data["q"], top=3)
    context = {"form": form, "suggestions": suggestions}
    if request.htmx and not request.htmx.boosted:
        return render(request, "knowledge/_suggestions.html", context)
    return render(request, "knowledge/try.html", context)
