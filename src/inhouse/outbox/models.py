"""The publish queue: every write the desk makes on Weibo, keyed before it is attempted.

A row is created (with its idempotency key) before any call to Weibo, so a worker that
crashes or times out mid-call leaves a row that says so; the next attempt looks for the
write on Weibo before sending it again (``inhouse.weibo.idempotency``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Account, Item, Workspace


class WriteKind(models.TextChoices):
    REPLY = "reply", _("reply to a comment")
    COMMENT = "comment", _("comment on a post")
    POST = "post", _("post")
    MESSAGE = "message", _("private message reply")


class WriteStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    # The last attempt got no answer: the write may exist. The next attempt looks first.
    UNKNOWN = "unknown", _("outcome unknown")


class OutboundWrite(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="writes")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="writes")
    kind = models.CharField(max_length=16, choices=WriteKind.choices)
    # Targets as Weibo ids: the post commented on (or the reply's post), the comment replied to.
    target_status_id = models.CharField(max_length=32, blank=True, default="")
    target_comment_id = models.CharField(max_length=32, blank=True, default="")
    # The customer a private-message reply goes to (Weibo uid).
    target_user_id = models.CharField(max_length=32, blank=True, default="")
    text = models.TextField()
    # The requesting operator's IP: Weibo requires it ("rip") on enterprise writes.
    rip = models.CharField(max_length=45, blank=True, default="")
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(
        max_length=16, choices=WriteStatus.choices, default=WriteStatus.QUEUED
    )
    platform_id = models.CharField(
        max_length=32, blank=True, default="", help_text=_("Id of what Weibo created.")
    )
    result = models.JSONField(null=True, blank=True)  # Weibo's answer, the KeyStore's value
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The created comment or post, ingested like any synced item.
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.status})"
