"""API tokens: issued by the owner to a member, stored as a sha256 digest, shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inhouse.core.models import Workspace


class ApiToken(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    # The member the token acts as: their role bounds what any scope can reach.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)  # first characters, to recognise a token in lists
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
