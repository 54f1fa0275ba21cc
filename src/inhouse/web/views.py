"""The desk's pages. Thin: figures come from queries.py, filters from listing.py."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.content import queries as content_queries
from inhouse.core.models import Item, ItemKind
from inhouse.core.paging import capped_page
from inhouse.web import listing, queries
from inhouse.web.thread import thread_of
from inhouse.web.workspace import choose_workspace, desk_view


@desk_view
def home(request: HttpRequest) -> HttpResponse:
    desk = request.desk
    workspace = desk.workspace
    now = timezone.now()
    official = queries.official_author_ids(workspace)
    context = {
        "now": now,
        "volume": queries.volume(workspace, now),
        "hours": queries.hourly(workspace, now),
        "partners": queries.partners(
            workspace, now, official, hide_messages=not desk.can_view_messages
        ),
        "content": queries.content(workspace, now, official),
        "incidents": queries.open_incidents(workspace),
        "scheduled": content_queries.scheduled_today(workspace),
        "in_review": content_queries.waiting_for_review(workspace),
        "has_items": Item.objects.filter(workspace=workspace).exists(),
    }
    if desk.sees_customer_service:
        context["service"] = queries.customer_service(workspace, official)
    if apps.is_installed("inhouse.partners"):
        from inhouse.partners.queries import radar

        context["radar"] = radar(workspace, request.user, since=now - dt.timedelta(days=7))
    return render(request, "web/home.html", context)


@desk_view(perm=Perm.ITEMS_VIEW)
def item_list(request: HttpRequest) -> HttpResponse:
    desk = request.desk
    hide = not desk.can_view_messages
    form = listing.ItemFilterForm(
        request.GET, emotions=listing.emotions_in(desk.workspace), hide_messages=hide
    )
    data = form.cleaned_data if form.is_valid() else {}
    page = capped_page(listing.filtered_items(desk.workspace, data, hide_messages=hide),
                       listing.PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx swaps only the results while the user types; a full load renders the whole page.
    if request.htmx and not request.htmx.boosted:
        return render(request, "web/items/_results.html", context)
    return render(request, "web/items/list.html", context)


@desk_view(perm=Perm.ITEMS_VIEW)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    desk = request.desk
    hide = not desk.can_view_messages
    item = (
        Item.objects.filter(workspace=desk.workspace, pk=pk).select_related("author").first()
    )
    if item is None or (hide and item.kind == ItemKind.MESSAGE):
        raise Http404("no such item in this workspace")
    context = {"item": item, "thread": thread_of(item, desk.workspace, hide_messages=hide)}
    return render(request, "web/items/detail.html", context)


@require_POST
@desk_view
def switch_workspace(request: HttpRequest) -> HttpResponse:
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        workspace_id = 0
    if not choose_workspace(request, workspace_id):
        raise Http404("you are not a member of that workspace")
    # Home, not the page the user was on: an item page belongs to the old workspace.
    return redirect("web:home")
