"""Learning from the team: operators' corrections and the workspace models built from them.

A Correction records one operator's change of one item's sentiment or intent (who, when,
before, after). A WorkspaceModel is one version of the workspace's adapter
(inhouse.nlp.intent_adapt), stored as a JSON header and an .npz blob of plain arrays; at most
one version per workspace is active, and none active means the base analysis.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Item, Workspace


class CorrectionField(models.TextChoices):
    SENTIMENT = "sentiment", _("sentiment")
    INTENT = "intent", _("intent")


class Correction(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="corrections")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=16, choices=CorrectionField.choices)
    before = models.CharField(max_length=16, blank=True, default="")
    after = models.CharField(max_length=16)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "at"], name="correction_ws_at"),
                   models.Index(fields=["item", "field", "at"], name="correction_item")]

    def __str__(self) -> str:
        return f"item {self.item_id} {self.field}: {self.before or '–'} → {self.after}"


class WorkspaceModel(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="nlp_models")
    version = models.PositiveIntegerField()
    header = models.JSONField(default=dict)
    arrays = models.BinaryField()  # .npz of numeric arrays, read with allow_pickle=False
    corrections = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "version"], name="wsmodel_unique_version"),
            models.UniqueConstraint(fields=["workspace"], condition=models.Q(active=True),
                                    name="wsmodel_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} v{self.version}{' (active)' if self.active else ''}"
