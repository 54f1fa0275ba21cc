"""Desk pages for learning from the team: correct an item's sentiment or intent, and the
workspace model's page (versions, retrain on demand, roll back).

Reading an item's corrections needs Perm.ITEMS_VIEW (private messages also MESSAGES_VIEW);
correcting, retraining and rolling back need Perm.INBOX_REPLY — the people who answer
customers are the ones who see the analysis go wrong. Every change goes through
inhouse.pipeline.learning, which audits it.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.core.models import Intent, Item, ItemKind, Sentiment
from inhouse.pipeline import learning
from inhouse.pipeline.models import Correction, WorkspaceModel
from inhouse.web.workspace import desk_view

_REFUSED = (learning.LearningError, learning.NotAllowed)


def _item_for(request: HttpRequest, pk: int) -> Item:
    desk = request.desk
    item = Item.objects.filter(workspace=desk.workspace, pk=pk).first()
    if item is None or (item.kind == ItemKind.MESSAGE and not desk.can_view_messages):
        raise Http404("no such item in this workspace")
    return item


def _panel_context(request: HttpRequest, item: Item) -> dict:
    return {
        "item": item,
        "can_correct": request.desk.can(Perm.INBOX_REPLY),
        "corrections": Correction.objects.filter(item=item).select_related("by").order_by("-at")[:20],
        "sentiments": Sentiment.choices, "intents": Intent.choices,
    }


@desk_view(perm=Perm.ITEMS_VIEW)
def item_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The item page's correction panel (loaded by htmx; a page of its own without JS)."""
    item = _item_for(request, pk)
    template = "web/_corrections_panel.html" if request.htmx else "web/corrections_page.html"
    return render(request, template, _panel_context(request, item))


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    field = request.POST.get("field", "")
    value = request.POST.get("value", "")
    try:
        if value and value != getattr(item, field, None):
            learning.correct_item(item, field, value, by=request.user)
            messages.success(request, _("Correction saved; the next retrain learns from it."))
    except _REFUSED as exc:
        messages.error(request, str(exc))
    if request.htmx:
        return render(request, "web/_corrections_panel.html", _panel_context(request, item))
    return redirect("web:item", pk=item.pk)


@desk_view(perm=Perm.INBOX_REPLY)
def learning_page(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    context = {
        "versions": WorkspaceModel.objects.filter(workspace=workspace).select_related("created_by")
        .defer("arrays"),
        "corrections": Correction.objects.filter(workspace=workspace).select_related("by", "item")
        .order_by("-at")[:50],
        "n_corrections": Correction.objects.filter(workspace=workspace).count(),
    }
    context["active"] = next((v for v in context["versions"] if v.active), None)
    return render(request, "web/learning.html", context)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def retrain(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    try:
        model = learning.retrain(workspace, by=request.user)
    except _REFUSED as exc:
        messages.error(request, str(exc))
        return redirect("web:learning")
    transaction.on_commit(lambda: learning.reanalyze_task.delay(workspace.pk))
    messages.success(request, _("Version %(v)d is active; recent items are being relabelled.")
                     % {"v": model.version})
    return redirect("web:learning")


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def activate(request: HttpRequest) -> HttpResponse:
    workspace = request.desk.workspace
    raw = request.POST.get("version", "")
    if raw != "base" and not raw.isdigit():
        messages.error(request, _("Choose a version or the base model."))
        return redirect("web:learning")
    try:
        learning.activate(workspace, None if raw == "base" else int(raw), by=request.user)
    except _REFUSED as exc:
        messages.error(request, str(exc))
        return redirect("web:learning")
    transaction.on_commit(lambda: learning.reanalyze_task.delay(workspace.pk))
    messages.success(request, _("The base model is active again.") if raw == "base"
                     else _("Version %(v)s is active.") % {"v": raw})
    return redirect("web:learning")
