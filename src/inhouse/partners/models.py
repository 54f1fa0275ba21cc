"""The partner directory and the radar's opportunity cards. Changed only through ``actions.py``
(and ``intake.py`` for the cards the pipeline opens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Author, Item, Workspace


class Category(models.TextChoices):
    PARTNER = "partner", _("partner")
    INDUSTRY = "industry", _("industry figure")
    MEDIA = "media", _("media")
    COMPETITOR = "competitor", _("competitor")
    REGULATOR = "regulator", _("regulator")


class Contact(models.Model):
    """Someone in the directory: an organisation or person, their Weibo account, our owner."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    weibo_uid = models.CharField(_("Weibo uid"), max_length=32, blank=True, default="")
    weibo_name = models.CharField(_("Weibo screen name"), max_length=100, blank=True, default="")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("owner"))
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "weibo_uid"], condition=~Q(weibo_uid=""),
                                    name="partners_contact_unique_uid"),
        ]

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict:
        return {"name": self.name, "category": self.category, "weibo_uid": self.weibo_uid,
                "weibo_name": self.weibo_name, "owner": self.owner_id, "notes": self.notes}


class Radar(models.Model):
    """Per-workspace radar settings: who gets a card when the author is not in the directory."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="radar")
    default_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("default owner"))

    def __str__(self) -> str:
        return f"radar of {self.workspace}"


class CardState(models.TextChoices):
    NEW = "new", _("new")
    CONTACTED = "contacted", _("contacted")
    IN_PROGRESS = "in_progress", _("in progress")
    WON = "won", _("won")
    DROPPED = "dropped", _("dropped")


class CardKind(models.TextChoices):
    INTERACTION = "interaction", _("directory account interaction")
    COOPERATION = "cooperation", _("cooperation intent")


class Opportunity(models.Model):
    """One card per author and thread: every signal of that author in that thread joins it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="opportunities")
    key = models.CharField(max_length=120)  # "<author uid>:<thread root>"
    kind = models.CharField(max_length=16, choices=CardKind.choices)
    cue = models.CharField(max_length=16, blank=True, default="")  # co-branding, sponsorship, ...
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="opportunities")
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="opportunities")
    state = models.CharField(max_length=16, choices=CardState.choices, default=CardState.NEW)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    # The in-desk notification: unread until the owner opens the card.
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="partners_card_key")]
        indexes = [models.Index(fields=["workspace", "state", "last_at"], name="partners_card_state")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"

    @property
    def who(self) -> str:
        if self.contact_id:
            return self.contact.name
        return self.author.screen_name if self.author_id else self.key.partition(":")[0]


class Signal(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="signals")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="partner_signals")
    reason = models.CharField(max_length=64)  # "directory", "intent", "cue:合作", "thread"

    class Meta:
        ordering = ["item__created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "item"], name="partners_signal_once")]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: item {self.item_id} ({self.reason})"


class CardEvent(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True, default="")
    to_state = models.CharField(max_length=16, blank=True, default="")
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.action} {self.from_state} -> {self.to_state}"
