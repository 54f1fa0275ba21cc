"""Analytics tables: daily fan snapshots, daily roll-ups of the items, fan scores, settings.

Dashboards read ``DailyStat`` roll-ups (one row per workspace and day) instead of scanning
items, so a page costs the same with a thousand items or a million. Roll-ups are recomputed
from the items of their day (idempotent) by intake, by beat every few minutes for today and
yesterday, and by ``inhouse report``/``refresh_range``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Account, Author, Workspace


class FanSnapshot(models.Model):
    """The official account's counts as seen once a day."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="fan_snapshots")
    day = models.DateField()  # Beijing date
    followers_count = models.IntegerField()
    friends_count = models.IntegerField(null=True, blank=True)
    statuses_count = models.IntegerField(null=True, blank=True)
    source = models.CharField(max_length=16)  # "users_show" or "author" (as synced)
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="fansnapshot_day")]
        indexes = [models.Index(fields=["workspace", "day"], name="fansnapshot_ws_day")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}: {self.followers_count}"


class DailyStat(models.Model):
    """Everything the dashboard needs about one Beijing day, as JSON (see ``rollup.py``)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    data = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()  # when the computation that wrote ``data`` began
    # Items of the day routed since then: the roll-up misses them until beat recomputes it
    # (analytics.refresh_stale). When the first of them was routed; None when up to date.
    stale_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "day"], name="dailystat_day")]
        indexes = [models.Index(fields=["stale_since"], name="dailystat_stale",
                                condition=models.Q(stale_since__isnull=False))]

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.day}"


class FanScore(models.Model):
    """A follower's (or engaged user's) bot/zombie likelihood and target-customer estimate,
    with the reasons, as of ``computed_at`` over the activity of ``period_start``–``period_end``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    bot_score = models.FloatField()
    bot_reasons = models.JSONField(default=list)
    target_score = models.FloatField()
    target_reasons = models.JSONField(default=list)
    items_count = models.IntegerField(default=0)
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "author"], name="fanscore_author")]
        # The fans page lists the top 50 of each in this order, walking the index.
        indexes = [models.Index(fields=["workspace", "-bot_score", "-items_count"],
                                name="fanscore_ws_bot_items"),
                   models.Index(fields=["workspace", "-target_score", "-items_count"],
                                name="fanscore_ws_target_items")]

    def __str__(self) -> str:
        return f"{self.author_id}: bot {self.bot_score:.2f}"


class AnalyticsSettings(models.Model):
    """Per workspace: who the target customer is, and who receives the reports."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE,
                                     related_name="analytics_settings")
    target_keywords = models.JSONField(_("target customer keywords"), default=list, blank=True)
    target_locations = models.JSONField(_("target customer locations"), default=list, blank=True)
    daily_recipients = models.JSONField(_("daily report recipients"), default=list, blank=True)
    weekly_recipients = models.JSONField(_("weekly report recipients"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"analytics settings of {self.workspace_id}"

    def snapshot(self) -> dict:
        return {"target_keywords": self.target_keywords, "target_locations": self.target_locations,
                "daily_recipients": self.daily_recipients,
                "weekly_recipients": self.weekly_recipients}


class ReportKind(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class ReportDelivery(models.Model):
    """One scheduled e-mail of a report: at most one per workspace, kind and period."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=ReportKind.choices)
    period_start = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "kind", "period_start"],
                                               name="reportdelivery_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start} → {len(self.recipients)}"


class FanRun(models.Model):
    """One computation of the fan scores: the period it read and what it found (``summary``:
    scored, likely bots, likely targets, reason counts, score histogram)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    summary = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"fans {self.period_start}–{self.period_end}"
