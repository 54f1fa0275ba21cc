"""The workspace's AI provider, its daily token use, and every draft the model wrote.

Changed only through ``actions.py``. The provider key is encrypted at rest like the Weibo
tokens (``inhouse.core.crypto``) and re-encrypted by ``inhouse secret reencrypt``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.crypto import decrypt, encrypt
from inhouse.core.models import Workspace


class ProviderSettings(models.Model):
    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE,
                                     related_name="ai_provider")
    enabled = models.BooleanField(_("AI assistance on"), default=False)
    base_url = models.URLField(_("API base URL"), blank=True, default="",
                               help_text=_("An OpenAI-compatible endpoint, e.g. "
                                           "https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1"))
    model = models.CharField(_("model"), max_length=100, blank=True, default="")
    api_key_encrypted = models.TextField(blank=True, default="")
    timeout = models.PositiveIntegerField(_("timeout (seconds)"), default=30)
    daily_token_budget = models.PositiveIntegerField(_("tokens per day"), default=200_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"AI provider of {self.workspace}"

    @property
    def api_key(self) -> str:
        return decrypt(self.api_key_encrypted) if self.api_key_encrypted else ""

    @api_key.setter
    def api_key(self, value: str) -> None:
        self.api_key_encrypted = encrypt(value) if value else ""

    @property
    def usable(self) -> bool:
        return self.enabled and bool(self.base_url and self.model)


class TokenUsage(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    tokens = models.PositiveBigIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "day"],
                                               name="assist_usage_one_row_a_day")]

    def __str__(self) -> str:
        return f"{self.tokens} tokens on {self.day}"


class DraftKind(models.TextChoices):
    REPLY = "reply", _("reply")
    STATEMENT = "statement", _("holding statement")
    SUMMARY = "summary", _("summary")


class Outcome(models.TextChoices):
    TRACED = "traced", _("every claim traced")
    UNTRACED = "untraced", _("claims that trace to nothing")  # blocks one-click approval
    NO_SOURCE = "no_source", _("nothing to ground a draft on")  # no model call was made
    UNAVAILABLE = "unavailable", _("AI unavailable")


class AssistDraft(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ai_drafts")
    kind = models.CharField(max_length=16, choices=DraftKind.choices)
    subject = models.CharField(max_length=64)  # "conversation:12", "incident:3", "report:2026-W47"
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    text = models.TextField(blank=True, default="")
    reason = models.TextField(blank=True, default="")  # why there is no (usable) draft
    sources = models.JSONField(default=list)  # [{"label", "kind", "ref", "text"}], what was sent
    trace = models.JSONField(default=dict)  # grounding.Trace.as_dict()
    model = models.CharField(max_length=100, blank=True, default="")
    tokens = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "subject", "-created_at"],
                                name="assist_draft_subject")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.subject} ({self.outcome})"

    @property
    def approvable(self) -> bool:
        """One-click approval only for a draft whose every claim traces to a source."""
        return self.outcome == Outcome.TRACED
