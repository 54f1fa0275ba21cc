"""Desk pages under /partners/: the opportunity cards and the directory.

Cards show public items and private messages' authors, so reading them needs ITEMS_VIEW
(owner, operator, viewer); moving, assigning and the directory need DIRECTORY_MANAGE (owner,
operator). The agency and experts see neither. Every change calls inhouse.partners.actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.partners import actions
from inhouse.partners.forms import ContactForm, ImportForm, OwnerForm
from inhouse.partners.models import CardState, Category, Contact, Opportunity, Radar
from inhouse.web.workspace import desk_view

MAX_IMPORT_BYTES = 2_000_000


@desk_view(perm=Perm.ITEMS_VIEW)
def cards(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    shown = (Opportunity.objects.filter(workspace=ws)
             .select_related("contact", "author", "owner").annotate(n_signals=Count("signals")))
    mine = request.GET.get("mine") == "1"
    if mine:
        shown = shown.filter(owner=request.user)
    kind = request.GET.get("kind", "")
    if kind:
        shown = shown.filter(kind=kind)
    columns = {s: [] for s in CardState.values}
    for card in shown:
        columns[card.state].append(card)
    return render(request, "partners/cards.html", {
        "columns": [(CardState(s).label, s, columns[s][:100], len(columns[s])) for s in CardState.values],
        "mine": mine, "kind": kind,
        "unread": Opportunity.objects.filter(workspace=ws, owner=request.user, seen_at__isnull=True).count(),
        "can_manage": request.desk.can(Perm.DIRECTORY_MANAGE)})


def _card(request: HttpRequest, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.select_related("contact", "author", "owner"),
                             pk=pk, workspace=request.desk.workspace)


@desk_view(perm=Perm.ITEMS_VIEW)
def card(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _card(request, pk)
    actions.mark_seen(opportunity, request.user)
    can_manage = request.desk.can(Perm.DIRECTORY_MANAGE)
    return render(request, "partners/card.html", {
        "card": opportunity,
        "signals": opportunity.signals.select_related("item", "item__author")[:200],
        "events": opportunity.events.select_related("actor"),
        "moves": [(s, CardState(s).label) for s in actions.MOVES.get(opportunity.state, ())] if can_manage else [],
        "owner_form": OwnerForm(workspace=request.desk.workspace, initial={"owner": opportunity.owner_id}),
        "can_manage": can_manage})


@desk_view(perm=Perm.DIRECTORY_MANAGE)
@require_POST
def card_move(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _card(request, pk)
    try:
        actions.move_card(opportunity, request.user, request.POST.get("state", ""), request.POST.get("note", ""))
    except PermissionDenied:
        return render(request, "web/not_allowed.html", status=403)
    except actions.Refused as error:
        messages.error(request, str(error))
    return redirect("partners:card", opportunity.pk)


@desk_view(perm=Perm.DIRECTORY_MANAGE)
@require_POST
def card_assign(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _card(request, pk)
    form = OwnerForm(request.POST, workspace=request.desk.workspace)
    if form.is_valid():
        actions.assign_card(opportunity, request.user, form.cleaned_data["owner"])
    else:
        messages.error(request, _("Choose a member of the team."))
    return redirect("partners:card", opportunity.pk)


@desk_view(perm=Perm.DIRECTORY_MANAGE)
def directory(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    form = ContactForm(request.POST or None, workspace=ws)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_contact(ws, request.user, **form.cleaned_data)
            messages.success(request, _("Added to the directory."))
            return redirect("partners:directory")
        except actions.Refused as error:
            form.add_error(None, str(error))
    radar = Radar.objects.filter(workspace=ws).first()
    contacts = (Contact.objects.filter(workspace=ws).select_related("owner")
                .annotate(n_cards=Count("opportunities")))
    return render(request, "partners/directory.html", {
        "contacts": contacts, "form": form, "import_form": ImportForm(),
        "categories": Category.choices,
        "owner_form": OwnerForm(workspace=ws, initial={"owner": radar.default_owner_id if radar else None}),
        "default_owner": actions.default_owner(ws)}, status=400 if form.errors else 200)


@desk_view(perm=Perm.DIRECTORY_MANAGE)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ws = request.desk.workspace
    contact = get_object_or_404(Contact, pk=pk, workspace=ws)
    form = ContactForm(request.POST or None, workspace=ws, initial={
        **contact.snapshot(), "owner": contact.owner_id})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_contact(contact, request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("partners:directory")
        except actions.Refused as error:
            form.add_error(None, str(error))
    return render(request, "partners/contact_edit.html", {"contact": contact, "form": form})


@desk_view(perm=Perm.DIRECTORY_MANAGE)
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk, workspace=request.desk.workspace)
    actions.remove_contact(contact, request.user)
    messages.success(request, _("Removed from the directory."))
    return redirect("partners:directory")


@desk_view(perm=Perm.DIRECTORY_MANAGE)
@require_POST
def contact_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("partners:directory")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, _("The file is larger than 2 MB; split it."))
        return redirect("partners:directory")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("%(name)s is not UTF-8 text; save it as CSV UTF-8.") % {"name": upload.name})
        return redirect("partners:directory")
    report = actions.import_contacts_csv(request.desk.workspace, request.user, text, source=upload.name)
    if report.errors:
        for error in report.errors[:20]:
            messages.error(request, error)
    else:
        messages.success(request, _("Imported: %(added)d added, %(updated)d updated.")
                         % {"added": report.added, "updated": report.updated})
    return redirect("partners:directory")


@desk_view(perm=Perm.DIRECTORY_MANAGE)
@require_POST
def default_owner(request: HttpRequest) -> HttpResponse:
    form = OwnerForm(request.POST, workspace=request.desk.workspace)
    if form.is_valid():
        actions.set_default_owner(request.desk.workspace, request.user, form.cleaned_data["owner"])
        messages.success(request, _("Saved."))
    return redirect("partners:directory")
