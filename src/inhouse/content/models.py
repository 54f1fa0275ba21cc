"""The keynote, drafts and each draft's history. Changed only through ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.content.keynote import compose
from inhouse.core.models import Workspace
from inhouse.outbox.models import OutboundWrite


class Keynote(models.Model):
    """What the enterprise says and how: one per workspace, kept by the owner."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="keynote")
    voice = models.TextField(_("voice and tone"), blank=True, default="")
    banned_words = models.JSONField(_("banned words"), default=list, blank=True)
    sensitive_words = models.JSONField(_("sensitive words"), default=list, blank=True)
    # {"*": ["#小鹿零食#"], "<campaign name>": ["#话题#", "@伙伴"]}
    required_tags = models.JSONField(_("required hashtags and mentions"), default=dict, blank=True)
    # {"鹿角脆": ["鹿角脆脆"]}: the names price facts and drafts are read for
    products = models.JSONField(_("products and their aliases"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"keynote of {self.workspace}"

    def snapshot(self) -> dict:
        return {"voice": self.voice, "banned_words": list(self.banned_words),
                "sensitive_words": list(self.sensitive_words),
                "required_tags": dict(self.required_tags), "products": dict(self.products)}


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Draft(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="drafts")
    text = models.TextField(_("text"))
    image_refs = models.JSONField(_("images"), default=list, blank=True)  # URLs or file refs
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    mentions = models.JSONField(_("mentions"), default=list, blank=True)
    campaign = models.CharField(_("campaign"), max_length=200, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="drafts")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    reject_reason = models.TextField(blank=True, default="")
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    # Who scheduled it: the scheduled publish is sent in their name (and their permission).
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    write = models.OneToOneField(OutboundWrite, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="draft")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["state", "scheduled_for"], name="content_draft_due")]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def full_text(self) -> str:
        """The post exactly as it would be sent; keynote positions refer to it."""
        return compose(self.text, self.hashtags, self.mentions)

    @property
    def publish_key(self) -> str:
        # One post per draft, ever: the outbox returns the queued row for a repeated key.
        return f"content:draft-{self.pk}"


class DraftEvent(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True, default="")
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.from_state} -> {self.to_state}"
