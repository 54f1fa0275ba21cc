"""The core tables every window reads: Workspace, Account, Author, Item.

One Item table holds every post, repost, comment, reply and private message (DESIGN.md):
routing and queries stay simple, and the raw payload lets a better parser re-read old data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.crypto import decrypt, encrypt


class Workspace(models.Model):
    """One enterprise using the desk."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    # Words the workspace cares about (brand, products, people, partners); the NLP segmenter
    # keeps them whole. Filled by the keynote/monitoring windows; a plain list here.
    dictionary = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """An official Weibo account a workspace runs."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=16, default="weibo")
    platform_uid = models.CharField(_("platform uid"), max_length=32)
    screen_name = models.CharField(_("screen name"), max_length=100)
    is_enterprise = models.BooleanField(
        default=False, help_text=_("Blue-V account with access to the commercial API.")
    )
    token_encrypted = models.TextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    # Set when Weibo answered that the token expired or was revoked (21327/21332): the account
    # is not synced and the owner is asked to re-authorise; cleared by a fresh token.
    reauth_required_at = models.DateTimeField(null=True, blank=True)
    reauth_reason = models.CharField(max_length=300, blank=True, default="")
    # since_id per stream ("timeline", "mentions", "comments_to_me", ...), advanced only after
    # the batch it came with is stored.
    cursors = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "platform_uid"], name="account_unique_uid"
            )
        ]

    def __str__(self) -> str:
        return f"@{self.screen_name}"

    @property
    def token(self) -> str:
        return decrypt(self.token_encrypted) if self.token_encrypted else ""

    @token.setter
    def token(self, value: str) -> None:
        self.token_encrypted = encrypt(value) if value else ""


class Author(models.Model):
    """A Weibo user as last seen. Public profile data, shared by all workspaces."""

    platform = models.CharField(max_length=16, default="weibo")
    uid = models.CharField(max_length=32)
    screen_name = models.CharField(max_length=100, blank=True, default="")
    followers_count = models.IntegerField(null=True, blank=True)
    friends_count = models.IntegerField(null=True, blank=True)
    statuses_count = models.IntegerField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    # Weibo's verified_type: -1 none, 0 individual (yellow V), 1-7 organisations (blue V),
    # 200/220 experts; kept as the platform sends it.
    verified_type = models.IntegerField(null=True, blank=True)
    location = models.CharField(max_length=100, blank=True, default="")
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "uid"], name="author_unique_uid")
        ]
        # The desk looks authors up by uid alone (official accounts, a customer's history);
        # the unique (platform, uid) index cannot serve that without the platform.
        indexes = [models.Index(fields=["uid"], name="author_uid")]

    def __str__(self) -> str:
        return self.screen_name or self.uid


class ItemKind(models.TextChoices):
    POST = "post", _("post")
    REPOST = "repost", _("repost")
    COMMENT = "comment", _("comment")
    REPLY = "reply", _("reply")
    MESSAGE = "message", _("private message")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class Intent(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    COMPLAINT = "complaint", _("complaint")
    PRAISE = "praise", _("praise")
    COOPERATION = "cooperation", _("cooperation")
    SPAM = "spam", _("spam")
    OTHER = "other", _("other")


class Item(models.Model):
    """One post, repost, comment, reply or private message, as received."""

    # No index of its own: every composite index below starts with the workspace, and one more
    # index on the busiest table is paid on every insert.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="items",
                                  db_index=False)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    platform = models.CharField(max_length=16, default="weibo")
    platform_id = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(help_text=_("Event time on the platform."))
    # Threading by platform ids: a parent may arrive after its child, so no foreign key.
    parent_platform_id = models.CharField(max_length=32, blank=True, default="")
    root_platform_id = models.CharField(max_length=32, blank=True, default="")
    reposts_count = models.IntegerField(default=0)
    comments_count = models.IntegerField(default=0)
    likes_count = models.IntegerField(default=0)
    source = models.CharField(max_length=32, default="", blank=True)
    raw = models.JSONField(default=dict, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Analysis, filled by the pipeline's analyze stage (NLP issue); null = not analysed yet.
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True, default="")
    p_positive = models.FloatField(null=True, blank=True)
    emotion = models.CharField(max_length=16, blank=True, default="")
    intent = models.CharField(max_length=16, choices=Intent.choices, blank=True, default="")
    topics = models.JSONField(default=list, blank=True)
    dup_cluster = models.CharField(max_length=32, blank=True, default="")
    analysis_version = models.CharField(max_length=100, blank=True, default="")  # the models used
    analyzed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Per workspace, so two enterprises watching the same public post stay isolated
            # (docs/decisions/0001-item-identity.md).
            # platform_id before platform: the intakes look items up by (workspace, platform_id)
            # alone, which a (workspace, platform, platform_id) index cannot serve without
            # reading the whole workspace (866 ms per batch at 300,000 items, found by the
            # 1,000,000-item scale run); the upsert's conflict target works in any order.
            models.UniqueConstraint(
                fields=["workspace", "platform_id", "platform"], name="item_unique_platform_id"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "created_at"], name="item_ws_time"),
            models.Index(fields=["workspace", "kind", "created_at"], name="item_ws_kind_time"),
            models.Index(fields=["workspace", "intent", "created_at"], name="item_ws_intent_time"),
            models.Index(
                fields=["workspace", "sentiment", "created_at"], name="item_ws_sentiment_time"
            ),
            models.Index(fields=["workspace", "root_platform_id"], name="item_ws_root"),
            models.Index(fields=["workspace", "author"], name="item_ws_author"),
            models.Index(fields=["analyzed_at"], name="item_analyzed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.platform_id}"

    @property
    def thread_root_id(self) -> str:
        return self.root_platform_id or self.platform_id


class ItemTopic(models.Model):
    """Which listening topic an item matched, denormalised with its event time so the
    topic + time queries of monitoring use one index."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "topic"], name="itemtopic_unique")
        ]
        indexes = [
            models.Index(fields=["workspace", "topic", "created_at"], name="itemtopic_ws_topic_time")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: item {self.item_id}"
