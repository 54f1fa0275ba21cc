"""Knowledge-base entries and their versions. Changed only through ``actions.py``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Workspace


class Entry(models.Model):
    """One authoritative answer, with the question it answers and other ways of asking it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="kb_entries")
    # The id the entry has in an imported CSV; re-importing the file updates, never duplicates.
    external_id = models.CharField(_("external id"), max_length=64, blank=True, default="")
    question = models.CharField(_("question"), max_length=500)
    variants = models.JSONField(_("variants"), default=list, blank=True)
    answer = models.TextField(_("answer"))
    tags = models.JSONField(_("product tags"), default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="kb_entries",
                              verbose_name=_("owning expert"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "external_id"],
                                    condition=~models.Q(external_id=""), name="kb_entry_unique_external_id")
        ]
        indexes = [models.Index(fields=["workspace", "active"], name="kb_entry_ws_active")]

    def __str__(self) -> str:
        return self.question

    def is_current(self, today: dt.date | None = None) -> bool:
        """Active and not past its valid-until date: only such entries are suggested."""
        today = today or timezone.localdate()
        return self.active and (self.valid_until is None or self.valid_until >= today)

    def snapshot(self) -> dict:
        """Everything a version keeps (JSON-ready)."""
        return {
            "external_id": self.external_id, "question": self.question,
            "variants": list(self.variants), "answer": self.answer, "tags": list(self.tags),
            "owner": self.owner_id, "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "active": self.active,
        }


class Change(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    RETIRED = "retired", _("retired")
    IMPORTED = "imported", _("imported")


class EntryVersion(models.Model):
    """A full snapshot of an entry after each change: who, when, what."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    change = models.CharField(max_length=16, choices=Change.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="kb_version_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"
