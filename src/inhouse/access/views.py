"""The owner's pages for access: the audit log (filter, export as CSV) and the members list
where roles are changed through ``set_role``, which audits the change."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inhouse.access.actions import set_role
from inhouse.access.models import AuditEntry, Membership, Role
from inhouse.access.permissions import Perm
from inhouse.core.models import Workspace
from inhouse.core.paging import capped_page
from inhouse.web.workspace import desk_view

PAGE_SIZE = 100


class AuditFilter(forms.Form):
    action = forms.CharField(label=gettext_lazy("Action"), required=False, max_length=64,
                             widget=forms.TextInput(attrs={"list": "audit-actions"}))
    actor = forms.CharField(label=gettext_lazy("Actor"), required=False, max_length=150)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


def workspace_entries(workspace: Workspace) -> QuerySet[AuditEntry]:
    """The workspace's entries, plus the logins (recorded without a workspace) of its members."""
    members = Membership.objects.filter(workspace=workspace).values_list("user__username",
                                                                         flat=True)
    logins = [f"user:{name.lower()}" for name in members]
    return AuditEntry.objects.filter(Q(workspace=workspace)
                                     | Q(workspace__isnull=True, target__in=logins))


def filtered(workspace: Workspace, data: dict[str, Any]) -> QuerySet[AuditEntry]:
    entries = workspace_entries(workspace).select_related("actor")
    if data.get("action"):
        # "inbox" finds inbox.reply, inbox.close ...; "inbox.reply" finds just that.
        action = data["action"]
        entries = entries.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if data.get("actor"):
        entries = entries.filter(actor_label__icontains=data["actor"])
    zone = timezone.get_current_timezone()
    if data.get("since"):
        entries = entries.filter(at__gte=dt.datetime.combine(data["since"], dt.time(), zone))
    if data.get("until"):
        end = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time(), zone)
        entries = entries.filter(at__lt=end)
    return entries


def _clean(request: HttpRequest) -> tuple[AuditFilter, dict[str, Any]]:
    form = AuditFilter(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@desk_view(perm=Perm.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    form, data = _clean(request)
    page = capped_page(filtered(ws, data), PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    actions = (workspace_entries(ws).order_by("action").values_list("action", flat=True)
               .distinct())
    return render(request, "access/audit.html", {
        "form": form, "page": page, "query": query.urlencode(), "actions": list(actions)})


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # A spreadsheet would run a cell starting with these as a formula (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    yield ["at", "actor", "action", "target", "before", "after"]
    for e in entries.iterator(chunk_size=2000):
        yield [e.at.isoformat(), _cell(e.actor_label), _cell(e.action), _cell(e.target),
               "" if e.before is None else _cell(e.before),
               "" if e.after is None else _cell(e.after)]


class _Echo:
    def write(self, value: str) -> str:
        return value


@desk_view(perm=Perm.AUDIT_VIEW)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    ws = request.desk.workspace
    _form, data = _clean(request)
    writer = csv.writer(_Echo())
    # The BOM lets Excel open UTF-8 Chinese text correctly.
    body = (("\ufeff" if i == 0 else "") + writer.writerow(row)
            for i, row in enumerate(csv_rows(filtered(ws, data))))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{ws.slug}-{stamp}.csv"'
    return response


@desk_view(perm=Perm.MEMBERS_MANAGE)
def members(request: HttpRequest) -> HttpResponse:
    ws = request.desk.workspace
    rows = Membership.objects.filter(workspace=ws).select_related("user").order_by(
        "user__username")
    return render(request, "access/members.html", {"members": rows, "roles": Role.choices})


@require_POST
@desk_view(perm=Perm.MEMBERS_MANAGE)
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    ws = request.desk.workspace
    membership = Membership.objects.filter(workspace=ws, pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("no such member in this workspace")
    role = request.POST.get("role", "")
    if role not in Role.values:
        messages.error(request, _("Choose one of the roles."))
    elif (membership.role == Role.OWNER and role != Role.OWNER
          and not Membership.objects.filter(workspace=ws, role=Role.OWNER)
          .exclude(pk=membership.pk).exists()):
        # Without an owner nobody could manage members, tokens or channels again.
        messages.error(request, _("The workspace keeps at least one owner: make someone else "
                                  "owner first."))
    else:
        set_role(ws, membership.user, role, by=request.user)
        messages.success(request, _("%(user)s is now %(role)s.") % {
            "user": membership.user.get_username(), "role": Role(role).label})
    return redirect("access:members")
