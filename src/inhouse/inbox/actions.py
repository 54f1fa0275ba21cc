"""Actions of the inbox: every state change on a conversation goes through one of these.

Each checks the actor's role (``inhouse.access.permissions``), writes the audit entry and a
timeline event, and does the work. Views, the API, the CLI and tasks call them alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.models import Membership
from inhouse.access.permissions import MATRIX, Perm, role_has
from inhouse.core.models import Author, Item, ItemKind, Workspace
from inhouse.inbox import knowledge
from inhouse.inbox.models import (
    OPEN_STATES,
    Conversation,
    ConversationEvent,
    ConversationKind,
    CustomerNote,
    CustomerTag,
    Escalation,
    EventKind,
    State,
)
from inhouse.outbox.actions import WriteRefused, check_text, enqueue_write
from inhouse.outbox.models import OutboundWrite, WriteKind


class NotAllowed(PermissionError):
    """The actor's role does not allow this action here."""


class ReplyRefused(WriteRefused):
    """A reply cannot be sent as written; the message says what to change."""


def require(user: AbstractBaseUser, workspace: Workspace, perm: Perm) -> str:
    role = role_of(user, workspace)
    if not role_has(role, perm):
        raise NotAllowed(f"{getattr(user, 'username', user)} ({role or 'no role'}) may not "
                         f"do '{perm}' in {workspace}")
    return role


def _event(conversation: Conversation, kind: str, by: AbstractBaseUser | None,
           at: dt.datetime | None = None, **detail: object) -> ConversationEvent:
    return ConversationEvent.objects.create(conversation=conversation, kind=kind, actor=by,
                                            at=at or timezone.now(), detail=detail)


def members_with(workspace: Workspace, perm: Perm) -> list[AbstractBaseUser]:
    roles = [role for role, perms in MATRIX.items() if perm in perms]
    return [m.user for m in Membership.objects.filter(workspace=workspace, role__in=roles)
            .select_related("user").order_by("user__username")]


def assign(conversation: Conversation, assignee: AbstractBaseUser | None, *,
           by: AbstractBaseUser) -> Conversation:
    """Give the conversation to ``assignee`` (None: back to the shared queue)."""
    workspace = conversation.workspace
    require(by, workspace, Perm.INBOX_REPLY)
    if assignee is not None and not role_has(role_of(assignee, workspace), Perm.INBOX_REPLY):
        raise NotAllowed(f"{assignee} cannot answer customers in {workspace}; assign someone who can")
    before = conversation.assignee_id
    conversation.assignee = assignee
    if conversation.state in (State.NEW, State.ASSIGNED):
        conversation.state = State.ASSIGNED if assignee else State.NEW
    conversation.save(update_fields=["assignee", "state", "updated_at"])
    _event(conversation, EventKind.ASSIGNED, by, to=getattr(assignee, "username", None))
    audit(workspace, by, "inbox.assign", f"conversation:{conversation.pk}",
          before=before, after=getattr(assignee, "pk", None))
    return conversation


def message_window(conversation: Conversation, now: dt.datetime | None = None):
    """The 72-hour window in which Weibo accepts replies to the customer's private messages
    (the connector's ``reply_window``), or None for other conversations."""
    from inhouse.weibo.fanservice import reply_window

    if conversation.kind != ConversationKind.MESSAGE:
        return None
    last = (Item.objects.filter(conversation_link__conversation=conversation,
                                conversation_link__from_customer=True, kind=ItemKind.MESSAGE)
            .order_by("-created_at").values_list("created_at", flat=True).first())
    return reply_window(last, now or timezone.now())


def reply_target(conversation: Conversation,
                 now: dt.datetime | None = None) -> tuple[str, str, str]:
    """(write kind, target, comment id) answering the customer's latest words: the comment
    replied to and its post, the mention commented under, or the customer messaged."""
    if conversation.kind == ConversationKind.MESSAGE:
        window = message_window(conversation, now)
        customer_uid = conversation.customer.uid if conversation.customer else ""
        if window is None or not customer_uid:
            raise ReplyRefused("the customer has sent no private message to answer")
        if not window.open:
            closed = timezone.localtime(window.deadline).strftime("%Y-%m-%d %H:%M")
            raise ReplyRefused(
                f"the 72-hour reply window closed at {closed}: Weibo accepts no private "
                "reply after it; answer when the customer writes again, or comment publicly")
        return WriteKind.MESSAGE, customer_uid, ""
    last = (Item.objects.filter(conversation_link__conversation=conversation,
                                conversation_link__from_customer=True)
            .order_by("-created_at", "-id").first())
    if last is None:
        raise ReplyRefused("the conversation has no customer item to answer")
    if last.kind in (ItemKind.COMMENT, ItemKind.REPLY):
        return WriteKind.REPLY, last.thread_root_id, last.platform_id
    return WriteKind.COMMENT, last.platform_id, ""


def reply(conversation: Conversation, text: str, *, by: AbstractBaseUser,
          kb_entry_id: str = "", rip: str = "", key: str | None = None,
          send_soon: bool = True) -> OutboundWrite:
    """Queue the official reply (sent by the outbox, once per key), citing the knowledge-base
    entry it came from. The conversation turns answered when the sent reply comes back."""
    workspace = conversation.workspace
    require(by, workspace, Perm.INBOX_REPLY)
    try:
        text = check_text(text)
    except WriteRefused as error:
        raise ReplyRefused(str(error)) from None
    if key and (already := OutboundWrite.objects.filter(idempotency_key=key).first()):
        return already  # the same form sent twice: one reply
    kind, target, comment_id = reply_target(conversation)
    if conversation.account is None:
        raise ReplyRefused("the conversation has no official account to answer from; add one")
    targets = ({"target_user_id": target} if kind == WriteKind.MESSAGE
               else {"target_status_id": target, "target_comment_id": comment_id})
    with transaction.atomic():
        try:
            write = enqueue_write(conversation.account, kind, text, by=by, rip=rip,
                                  key=key or None, send_soon=send_soon, **targets)
        except PermissionError as error:
            raise NotAllowed(str(error)) from None
        _event(conversation, EventKind.REPLY_QUEUED, by, write=write.pk, text=text,
               kb_entry=kb_entry_id or None)
        audit(workspace, by, "inbox.reply", f"conversation:{conversation.pk}",
              after={"write": write.pk, "text": text, "kb_entry": kb_entry_id or None})
    return write


def escalate_to_expert(conversation: Conversation, expert: AbstractBaseUser, question: str, *,
                       by: AbstractBaseUser) -> Escalation:
    """Hand the question to an internal expert; the conversation waits for them."""
    workspace = conversation.workspace
    require(by, workspace, Perm.INBOX_REPLY)
    if not role_has(role_of(expert, workspace), Perm.ESCALATED_ANSWER):
        raise NotAllowed(f"{expert} cannot answer escalations in {workspace}; choose an expert")
    question = question.strip() or conversation.preview
    with transaction.atomic():
        escalation = Escalation.objects.create(conversation=conversation, expert=expert,
                                               question=question, asked_by=by)
        conversation.state = State.WAITING_EXPERT
        conversation.save(update_fields=["state", "updated_at"])
        _event(conversation, EventKind.ESCALATED, by, at=escalation.asked_at,
               escalation=escalation.pk, expert=expert.get_username())
        audit(workspace, by, "inbox.escalate", f"conversation:{conversation.pk}",
              after={"escalation": escalation.pk, "expert": expert.pk, "question": question})
    return escalation


def answer_escalation(escalation: Escalation, answer: str, *, by: AbstractBaseUser,
                      add_to_knowledge: bool = False) -> Escalation:
    """The expert's answer goes back into the conversation (the team replies with it);
    with ``add_to_knowledge`` it also becomes a knowledge-base entry."""
    conversation = escalation.conversation
    workspace = conversation.workspace
    require(by, workspace, Perm.ESCALATED_ANSWER)
    if escalation.expert_id != by.pk:
        raise NotAllowed(f"escalation {escalation.pk} was asked of {escalation.expert}, not {by}")
    if escalation.answered_at is not None:
        raise ReplyRefused(f"escalation {escalation.pk} was already answered")
    answer = answer.strip()
    if not answer:
        raise ReplyRefused("the answer is empty")
    with transaction.atomic():
        escalation.answer, escalation.answered_at = answer, timezone.now()
        if add_to_knowledge:
            escalation.kb_entry_id = knowledge.add_entry(
                workspace, escalation.question, answer, by=by) or ""
        escalation.save(update_fields=["answer", "answered_at", "kb_entry_id"])
        if (conversation.state == State.WAITING_EXPERT
                and not conversation.escalations.filter(answered_at__isnull=True).exists()):
            conversation.state = State.ASSIGNED if conversation.assignee_id else State.NEW
            conversation.save(update_fields=["state", "updated_at"])
        waited = int(escalation.waiting.total_seconds())
        _event(conversation, EventKind.EXPERT_ANSWERED, by, at=escalation.answered_at,
               escalation=escalation.pk, waited_seconds=waited,
               kb_entry=escalation.kb_entry_id or None)
        audit(workspace, by, "inbox.answer_escalation", f"escalation:{escalation.pk}",
              after={"answer": answer, "waited_seconds": waited,
                     "kb_entry": escalation.kb_entry_id or None})
    return escalation


def close(conversation: Conversation, *, by: AbstractBaseUser, reason: str = "") -> Conversation:
    require(by, conversation.workspace, Perm.INBOX_REPLY)
    before = conversation.state
    conversation.state = State.CLOSED
    conversation.sla_due_at = None
    conversation.save(update_fields=["state", "sla_due_at", "updated_at"])
    _event(conversation, EventKind.CLOSED, by, reason=reason)
    audit(conversation.workspace, by, "inbox.close", f"conversation:{conversation.pk}",
          before=before, after={"state": State.CLOSED, "reason": reason})
    return conversation


def bulk_close_spam(workspace: Workspace, *, by: AbstractBaseUser,
                    ids: Iterable[int] | None = None) -> int:
    """Close every open conversation whose intent is spam (or only those of ``ids``)."""
    require(by, workspace, Perm.INBOX_REPLY)
    spam = Conversation.objects.filter(workspace=workspace, intent="spam", state__in=OPEN_STATES)
    if ids is not None:
        spam = spam.filter(pk__in=list(ids))
    with transaction.atomic():
        closing = list(spam.values_list("pk", flat=True))
        if not closing:
            return 0
        Conversation.objects.filter(pk__in=closing).update(
            state=State.CLOSED, sla_due_at=None, updated_at=timezone.now())
        now = timezone.now()
        ConversationEvent.objects.bulk_create(
            ConversationEvent(conversation_id=pk, kind=EventKind.CLOSED, actor=by, at=now,
                              detail={"reason": "spam"}) for pk in closing)
        audit(workspace, by, "inbox.bulk_close_spam", f"conversations:{len(closing)}",
              after={"ids": closing})
    return len(closing)


def add_note(workspace: Workspace, customer: Author, text: str, *,
             by: AbstractBaseUser) -> CustomerNote:
    require(by, workspace, Perm.CUSTOMERS_VIEW)
    text = text.strip()
    if not text:
        raise ReplyRefused("the note is empty")
    note = CustomerNote.objects.create(workspace=workspace, customer=customer, text=text, by=by)
    audit(workspace, by, "customer.note", f"author:{customer.pk}", after={"note": text})
    return note


def set_tags(workspace: Workspace, customer: Author, tags: Iterable[str], *,
             by: AbstractBaseUser) -> list[str]:
    """Replace the customer's tags in this workspace with ``tags``."""
    require(by, workspace, Perm.CUSTOMERS_VIEW)
    wanted = sorted({t.strip()[:40] for t in tags if t.strip()})
    current = CustomerTag.objects.filter(workspace=workspace, customer=customer)
    before = sorted(current.values_list("tag", flat=True))
    if before == wanted:
        return wanted
    current.exclude(tag__in=wanted).delete()
    CustomerTag.objects.bulk_create(
        [CustomerTag(workspace=workspace, customer=customer, tag=t) for t in wanted],
        ignore_conflicts=True)
    audit(workspace, by, "customer.tags", f"author:{customer.pk}", before=before, after=wanted)
    return wanted
