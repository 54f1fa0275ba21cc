"""Actions of the outbox: queue a write. Sending is :mod:`inhouse.outbox.send`'s job."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Account
from inhouse.outbox.models import OutboundWrite, WriteKind

# Weibo refuses longer comments and posts (error 20012); checked here so the person who
# typed the text hears it at once rather than from a worker later.
TEXT_LIMIT = 140

_NEEDS = {WriteKind.REPLY: (Perm.INBOX_REPLY,), WriteKind.COMMENT: (Perm.INBOX_REPLY,),
          WriteKind.POST: (Perm.CONTENT_PUBLISH,),
          WriteKind.MESSAGE: (Perm.INBOX_REPLY, Perm.MESSAGES_VIEW)}


class WriteRefused(Exception):
    """A write cannot be queued; the message says why and what to change."""


def check_text(text: str) -> str:
    """The text stripped, or WriteRefused when it is empty or over the limit."""
    text = (text or "").strip()
    if not text:
        raise WriteRefused("the text is empty; write something to send")
    if len(text) > TEXT_LIMIT:
        raise WriteRefused(
            f"the text has {len(text)} characters; Weibo accepts at most {TEXT_LIMIT}: "
            f"shorten it by {len(text) - TEXT_LIMIT}"
        )
    return text


def enqueue_write(account: Account, kind: str, text: str, *, by: AbstractBaseUser,
                  target_status_id: str = "", target_comment_id: str = "",
                  target_user_id: str = "", rip: str = "",
                  key: str | None = None, send_soon: bool = False) -> OutboundWrite:
    """Store a write with its idempotency key (before any call to Weibo), audited.

    ``key`` defaults to a fresh one; pass your own (``draft-17:v3``) to make enqueueing
    itself idempotent: the same key returns the row already queued. With ``send_soon`` a
    worker is asked to send it once the transaction commits; otherwise the periodic
    ``outbox.send_pending`` task picks it up.
    """
    workspace = account.workspace
    if kind not in WriteKind.values:
        raise WriteRefused(f"unknown write kind {kind!r}; expected one of {', '.join(WriteKind.values)}")
    role = role_of(by, workspace)
    if not all(role_has(role, perm) for perm in _NEEDS[WriteKind(kind)]):
        raise PermissionError(f"{getattr(by, 'username', by)} may not send a {kind} for {workspace}")
    text = check_text(text)
    if kind == WriteKind.REPLY and not (target_status_id and target_comment_id):
        raise WriteRefused("a reply needs the comment it answers and that comment's post")
    if kind == WriteKind.COMMENT and not target_status_id:
        raise WriteRefused("a comment needs the post it goes under")
    if kind == WriteKind.MESSAGE and not target_user_id.isdigit():
        raise WriteRefused("a private-message reply needs the customer's numeric Weibo uid")
    key = key or f"outbox:{uuid.uuid4().hex}"
    with transaction.atomic():
        write, created = OutboundWrite.objects.get_or_create(
            idempotency_key=key,
            defaults=dict(workspace=workspace, account=account, kind=kind, text=text, rip=rip,
                          target_status_id=target_status_id,
                          target_comment_id=target_comment_id, target_user_id=target_user_id,
                          requested_by=by),
        )
        if created:
            audit(workspace, by, "outbox.enqueue", f"write:{write.pk}", after={
                "kind": kind, "key": key, "text": text, "status_id": target_status_id,
                "comment_id": target_comment_id, "user_id": target_user_id,
                "account": account.platform_uid})
        if send_soon:
            from inhouse.outbox.tasks import send_write_task

            transaction.on_commit(lambda: send_write_task.delay(write.pk))
    return write
