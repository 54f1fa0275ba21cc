"""The inbox's desk pages. Thin: data from queries.py, every change through actions.py.

Who sees what: the list and conversations need Perm.ITEMS_VIEW (private messages also
Perm.MESSAGES_VIEW); an expert sees only the conversations escalated to them, from their
task list; customer profiles need Perm.CUSTOMERS_VIEW. The agency sees none of it.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inhouse.access.permissions import Perm
from inhouse.core.models import Author
from inhouse.core.paging import capped_page
from inhouse.inbox import actions, knowledge, queries
from inhouse.inbox.cost import communication_cost
from inhouse.inbox.forms import (
    AnswerForm,
    EscalateForm,
    FilterForm,
    NoteForm,
    ReplyForm,
    TagsForm,
)
from inhouse.inbox.models import Conversation, ConversationKind, Escalation, EventKind
from inhouse.outbox.models import OutboundWrite
from inhouse.web.workspace import desk_view

PAGE_SIZE = 50
_REFUSED = (actions.NotAllowed, actions.ReplyRefused)


def _conversation_for(request: HttpRequest, pk: int) -> Conversation:
    """The conversation if this user may read it; 404 otherwise (no hint that it exists)."""
    desk = request.desk
    conversation = get_object_or_404(
        Conversation.objects.select_related("customer", "assignee", "account", "workspace"),
        pk=pk, workspace=desk.workspace)
    experts_own = (desk.can(Perm.ESCALATED_ANSWER)
                   and queries.is_experts_conversation(conversation, request.user))
    if experts_own:
        return conversation
    if not desk.can(Perm.ITEMS_VIEW):
        raise Http404("no such conversation")
    if conversation.kind == ConversationKind.MESSAGE and not desk.can(Perm.MESSAGES_VIEW):
        raise Http404("no such conversation")
    return conversation


def _rip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@desk_view(perm=Perm.ITEMS_VIEW)
def inbox_list(request: HttpRequest) -> HttpResponse:
    desk = request.desk
    hide = not desk.can(Perm.MESSAGES_VIEW)
    form = FilterForm(request.GET or {"state": "open"})
    data = form.cleaned_data if form.is_valid() else {"state": "open"}
    found = queries.conversations(desk.workspace, state=data.get("state", ""),
                                  intent=data.get("intent", ""),
                                  sentiment=data.get("sentiment", ""),
                                  overdue=bool(data.get("overdue")), hide_messages=hide)
    page = capped_page(found, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "now": timezone.now(),
        "counts": queries.counts_by_state(desk.workspace, hide_messages=hide),
        "can_reply": desk.can(Perm.INBOX_REPLY),
    }
    return render(request, "inbox/list.html", context)


def _timeline(conversation: Conversation) -> list[dict]:
    """Events with the time each waited since the one before (the hand-offs' cost)."""
    rows, previous = [], None
    for event in conversation.events.select_related("actor"):
        rows.append({"event": event, "gap": event.at - previous if previous else None})
        previous = event.at
    return rows


def _prefill(conversation: Conversation, suggestions: list[knowledge.Suggestion],
             escalations: list[Escalation]) -> tuple[str, str]:
    """Reply text and the KB entry it cites: an expert's fresh answer beats a suggestion."""
    answered = [e for e in escalations if e.answered_at]
    last_reply = conversation.last_response_at
    if answered and (last_reply is None or answered[-1].answered_at > last_reply):
        return answered[-1].answer[:140], answered[-1].kb_entry_id
    if suggestions:
        return suggestions[0].answer[:140], suggestions[0].entry_id
    return "", ""


@desk_view
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    desk = request.desk
    conv = _conversation_for(request, pk)
    items = list(queries.conversation_items(conv))
    customer_words = [i for i in items if i.conversation_link.from_customer]
    latest = customer_words[-1].text if customer_words else conv.preview
    suggestions = knowledge.suggest(desk.workspace, latest) if conv.is_open else []
    escalations = list(conv.escalations.select_related("expert", "asked_by").order_by("asked_at"))
    text, kb_entry = _prefill(conv, suggestions, escalations)
    write_ids = [e.detail.get("write") for e in conv.events.filter(kind=EventKind.REPLY_QUEUED)]
    can_reply = desk.can(Perm.INBOX_REPLY)
    history = []
    if conv.customer_id:
        history = (queries.conversations(desk.workspace, hide_messages=not desk.can(Perm.MESSAGES_VIEW))
                   .filter(customer=conv.customer).exclude(pk=conv.pk)[:10])
    context = {
        "conversation": conv, "items": items, "suggestions": suggestions,
        "escalations": escalations, "timeline": _timeline(conv),
        "writes": OutboundWrite.objects.filter(pk__in=[w for w in write_ids if w]).order_by("created_at"),
        "history": history, "can_reply": can_reply, "now": timezone.now(),
        "can_see_customer": desk.can(Perm.CUSTOMERS_VIEW),
        "reply_refused": _reply_refusal(conv),
        "window": actions.message_window(conv),
    }
    if can_reply:
        context["reply_form"] = ReplyForm(initial={"text": text, "kb_entry": kb_entry,
                                                   "key": f"inbox:{conv.pk}:{uuid.uuid4().hex}"})
        context["escalate_form"] = EscalateForm(
            experts=actions.members_with(desk.workspace, Perm.ESCALATED_ANSWER),
            initial={"question": latest})
        context["assignees"] = actions.members_with(desk.workspace, Perm.INBOX_REPLY)
    return render(request, "inbox/conversation.html", context)


def _reply_refusal(conv: Conversation) -> str:
    try:
        actions.reply_target(conv)
    except actions.ReplyRefused as error:
        return str(error)
    return ""


def _back(conv: Conversation) -> HttpResponse:
    return redirect("inbox:conversation", pk=conv.pk)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conv = _conversation_for(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reply was not sent: %(errors)s")
                       % {"errors": " ".join(e for errs in form.errors.values() for e in errs)})
        return _back(conv)
    try:
        actions.reply(conv, form.cleaned_data["text"], by=request.user, rip=_rip(request),
                      kb_entry_id=form.cleaned_data["kb_entry"], key=form.cleaned_data["key"] or None)
    except _REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Reply queued; it shows here once Weibo has it."))
    return _back(conv)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    conv = _conversation_for(request, pk)
    user_id = request.POST.get("assignee") or ""
    members = {u.pk: u for u in actions.members_with(conv.workspace, Perm.INBOX_REPLY)}
    assignee = request.user if user_id == "me" else members.get(int(user_id)) if user_id.isdigit() else None
    try:
        actions.assign(conv, assignee, by=request.user)
    except _REFUSED as error:
        messages.error(request, str(error))
    return _back(conv)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    conv = _conversation_for(request, pk)
    experts = actions.members_with(conv.workspace, Perm.ESCALATED_ANSWER)
    form = EscalateForm(request.POST, experts=experts)
    if not form.is_valid():
        messages.error(request, _("Choose an expert to ask."))
        return _back(conv)
    expert = next(u for u in experts if u.pk == form.cleaned_data["expert"])
    try:
        actions.escalate_to_expert(conv, expert, form.cleaned_data["question"], by=request.user)
    except _REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Asked %(expert)s; their answer will come back here.")
                         % {"expert": expert.get_username()})
    return _back(conv)


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    conv = _conversation_for(request, pk)
    actions.close(conv, by=request.user, reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("Conversation closed."))
    return redirect("inbox:list")


@require_POST
@desk_view(perm=Perm.INBOX_REPLY)
def close_spam(request: HttpRequest) -> HttpResponse:
    closed = actions.bulk_close_spam(request.desk.workspace, by=request.user)
    messages.success(request, _("Closed %(n)d spam conversations.") % {"n": closed})
    return redirect("inbox:list")


@desk_view(perm=Perm.ITEMS_VIEW)
def cost(request: HttpRequest) -> HttpResponse:
    weeks = communication_cost(request.desk.workspace, weeks=int(request.GET.get("weeks", 4) or 4))
    return render(request, "inbox/cost.html", {"weeks": weeks})


@desk_view(perm=Perm.ESCALATED_ANSWER)
def tasks(request: HttpRequest) -> HttpResponse:
    desk = request.desk
    found = list(queries.expert_tasks(desk.workspace, request.user, open_only=False)[:100])
    context = {
        "open": [e for e in found if e.answered_at is None],
        "done": [e for e in found if e.answered_at is not None][:20],
        "form": AnswerForm(), "can_add_to_kb": knowledge.can_add_entries(),
    }
    return render(request, "inbox/tasks.html", context)


@require_POST
@desk_view(perm=Perm.ESCALATED_ANSWER)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.select_related("conversation__workspace"),
                                   pk=pk, conversation__workspace=request.desk.workspace)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer first."))
        return redirect("inbox:tasks")
    try:
        actions.answer_escalation(escalation, form.cleaned_data["answer"], by=request.user,
                                  add_to_knowledge=form.cleaned_data["add_to_knowledge"])
    except actions.NotAllowed:
        raise Http404("no such task") from None
    except actions.ReplyRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer sent back to the team."))
    return redirect("inbox:tasks")


def _customer_for(request: HttpRequest, pk: int) -> Author:
    customer = get_object_or_404(Author, pk=pk)
    if not customer.items.filter(workspace=request.desk.workspace).exists():
        raise Http404("no such customer in this workspace")
    return customer


@desk_view(perm=Perm.CUSTOMERS_VIEW)
def customer(request: HttpRequest, pk: int) -> HttpResponse:
    desk = request.desk
    person = _customer_for(request, pk)
    hide = not desk.can(Perm.MESSAGES_VIEW)
    conversations = list(queries.conversations(desk.workspace, hide_messages=hide)
                         .filter(customer=person))
    tags = list(person.tags.filter(workspace=desk.workspace).values_list("tag", flat=True))
    context = {
        "customer": person, "conversations": conversations,
        "items": queries.customer_items(desk.workspace, person, hide_messages=hide),
        "sentiment_days": queries.sentiment_by_day(desk.workspace, person),
        "notes": person.notes.filter(workspace=desk.workspace).select_related("by"),
        "tags": tags, "tags_form": TagsForm(initial={"tags": ", ".join(tags)}),
        "note_form": NoteForm(),
        "likely_target": queries.likely_target_customer(person, len(conversations)),
    }
    return render(request, "inbox/customer.html", context)


@require_POST
@desk_view(perm=Perm.CUSTOMERS_VIEW)
def customer_note(request: HttpRequest, pk: int) -> HttpResponse:
    person = _customer_for(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_note(request.desk.workspace, person, form.cleaned_data["text"], by=request.user)
    return redirect("inbox:customer", pk=person.pk)


@require_POST
@desk_view(perm=Perm.CUSTOMERS_VIEW)
def customer_tags(request: HttpRequest, pk: int) -> HttpResponse:
    person = _customer_for(request, pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        actions.set_tags(request.desk.workspace, person,
                         form.cleaned_data["tags"].replace("，", ",").split(","), by=request.user)
    return redirect("inbox:customer", pk=person.pk)
