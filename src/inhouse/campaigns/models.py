"""Campaigns, their offline events and timelines, the items that belong to them, and the
instant posts sent during an event. Changed only through ``actions.py`` (items: ``intake.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.content.models import Draft
from inhouse.core.models import Item, Workspace
from inhouse.partners.models import Contact


class Campaign(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="campaigns")
    # Drafts name their campaign by this name (content's Draft.campaign, the keynote's
    # required tags per campaign), so it is unique in the workspace.
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"), blank=True, default="")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    hashtag = models.CharField(_("hashtag"), max_length=100, blank=True, default="")  # "#话题#"
    partners = models.ManyToManyField(Contact, blank=True, related_name="campaigns",
                                      verbose_name=_("partner accounts"))
    on_duty = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="duty_campaigns",
                                     verbose_name=_("people on duty"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="campaign_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.starts_at <= timezone.now() <= self.ends_at

    def snapshot(self) -> dict:
        return {"name": self.name, "goal": self.goal, "starts_at": self.starts_at.isoformat(),
                "ends_at": self.ends_at.isoformat(), "hashtag": self.hashtag}


class OfflineEvent(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.name


class TimelineEntry(models.Model):
    """One step of an event's run sheet: set-up, doors open, the live post, the draw."""

    event = models.ForeignKey(OfflineEvent, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("at"))
    what = models.CharField(_("what"), max_length=300)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.what}"


class CampaignItem(models.Model):
    """An item the campaign follows: its hashtag, a partner account, or the brand's own post."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="campaign_links")
    reason = models.CharField(max_length=16)  # official | partner | hashtag
    created_at = models.DateTimeField()  # the item's event time, for the live feed's order

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "item"], name="campaign_item_once")]
        indexes = [models.Index(fields=["campaign", "created_at"], name="campaign_item_time")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.item_id} ({self.reason})"


class InstantPost(models.Model):
    """A post written and sent during an event in one step; the nonce makes a resubmitted
    form (a double click, a retry) return the same post instead of a second one."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="instant_posts")
    event = models.ForeignKey(OfflineEvent, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="instant_posts")
    nonce = models.CharField(max_length=64, unique=True)
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="instant_post")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"instant post {self.draft_id} of {self.campaign_id}"
