"""The inbox: conversations with customers, the hand-offs inside them, and what the team
knows about each customer.

A Conversation gathers a customer's items on one thread: their comments under one of the
account's posts, one @mention post, or all their private messages to the account. Items
stay in core.Item; ConversationItem links them. Every change of hands is a
ConversationEvent, so the timeline and the waiting times come from one table.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Account, Author, Intent, Item, Sentiment, Workspace


class ConversationKind(models.TextChoices):
    COMMENT_THREAD = "comment-thread", _("comments")
    MENTION = "mention", _("@mention")
    MESSAGE = "message", _("private messages")


class State(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    WAITING_EXPERT = "waiting_expert", _("waiting for expert")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


OPEN_STATES = (State.NEW, State.ASSIGNED, State.WAITING_EXPERT)


class Conversation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="conversations")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=16, choices=ConversationKind.choices)
    # How intake finds the conversation again: "c:<post>:<uid>", "m:<post>", "dm:<uid>".
    key = models.CharField(max_length=120)
    root_platform_id = models.CharField(max_length=32, blank=True, default="")
    customer = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="conversations")
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    intent = models.CharField(max_length=16, choices=Intent.choices, blank=True, default="")
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True, default="")
    preview = models.CharField(max_length=200, blank=True, default="")  # latest customer words
    items_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField()  # event time of the first customer item
    last_customer_at = models.DateTimeField()
    # The oldest customer item not answered yet: what the SLA clock runs from.
    waiting_since = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # The due time whose breach was alerted (breaches.py): one alert per breach.
    sla_alerted_due = models.DateTimeField(null=True, blank=True)
    last_response_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="conversation_unique_key")
        ]
        indexes = [
            models.Index(fields=["workspace", "state", "last_customer_at"], name="conv_ws_state"),
            models.Index(fields=["workspace", "sla_due_at"], name="conv_ws_sla"),
            models.Index(fields=["workspace", "customer"], name="conv_ws_customer"),
            # The inbox's default view (open conversations, most urgent first) read straight
            # off an index: without it a million-row inbox sorted every open row per page.
            models.Index(fields=["workspace", "sla_due_at", "-last_customer_at", "-id"],
                         condition=models.Q(state__in=["new", "assigned", "waiting_expert"]),
                         name="conv_open_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue(self, now: dt.datetime | None = None) -> bool:
        return (self.is_open and self.sla_due_at is not None
                and self.sla_due_at < (now or timezone.now()))


class ConversationItem(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="links")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="conversation_link")
    from_customer = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.conversation_id} ← item {self.item_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("arrived")
    REOPENED = "reopened", _("customer wrote again")
    ASSIGNED = "assigned", _("assigned")
    ESCALATED = "escalated", _("asked an expert")
    EXPERT_ANSWERED = "expert_answered", _("expert answered")
    REPLY_QUEUED = "reply_queued", _("reply queued")
    ANSWERED = "answered", _("official reply")
    CLOSED = "closed", _("closed")
    SLA_BREACHED = "sla_breached", _("SLA breached")


class ConversationEvent(models.Model):
    """One hand-off or change on a conversation; the timeline shows the gaps between them."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class Escalation(models.Model):
    """A question handed to an internal expert, and how long the customer waited for it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="escalations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="escalations")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    kb_entry_id = models.CharField(max_length=64, blank=True, default="")  # if saved to the KB

    class Meta:
        indexes = [models.Index(fields=["expert", "answered_at"], name="escalation_expert_open")]

    def __str__(self) -> str:
        return f"escalation {self.pk} to {self.expert}"

    @property
    def waiting(self) -> dt.timedelta:
        return (self.answered_at or timezone.now()) - self.asked_at


class CustomerNote(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    customer = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"note on {self.customer_id}: {self.text[:30]}"


class CustomerTag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    customer = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "customer", "tag"], name="customertag_unique")
        ]

    def __str__(self) -> str:
        return self.tag
