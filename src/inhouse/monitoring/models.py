"""Listening topics, the alerts their detectors raise, and the incidents people work on.

State changes go through inhouse.monitoring.actions, never through these models directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Workspace


class Topic(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=64)
    query = models.TextField(_("query"), help_text=_("Rule: words with AND, OR, NOT, -word, "
                                                     "\"phrases\", parentheses; * takes all."))
    active = models.BooleanField(_("active"), default=True)
    # Detector choice and parameters, as in RULES.yaml (docs/monitoring.md).
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="topic_unique_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


class AlertKind(models.TextChoices):
    BURST = "burst", _("burst of negative talk")
    VIRAL = "viral", _("post spreading fast")
    EMERGING = "emerging", _("emerging term")


class IncidentState(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESPONDING = "responding", _("responding")
    MONITORING = "monitoring", _("monitoring")
    RESOLVED = "resolved", _("resolved")


class Incident(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="incidents")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="incidents")
    title = models.CharField(max_length=200)
    # What the title is made of (topic, alert kind, term), so it is said in the reader's
    # language (inhouse.monitoring.wording); ``title`` stays for rows without it.
    title_data = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="incidents")
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.MEDIUM)
    state = models.CharField(max_length=16, choices=IncidentState.choices,
                             default=IncidentState.NEW)
    opened_at = models.DateTimeField(help_text=_("Event time of the first alert."))
    last_signal_at = models.DateTimeField(help_text=_("Event time of the latest alert."))
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The post-incident report's own words: what we learned, what we do next time.
    lessons = models.TextField(_("lessons and next steps"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "state", "opened_at"],
                                name="incident_ws_state_time")]
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != IncidentState.RESOLVED


class Alert(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="alerts")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    # The detector's stable identity for this alert (e.g. viral:<post id>): storing twice
    # keeps one row, so intake may run again.
    key = models.CharField(max_length=200)
    detected_at = models.DateTimeField(help_text=_("Event time at which the detector fired."))
    severity = models.CharField(max_length=16, choices=Severity.choices)
    reason = models.TextField()
    item_ids = models.JSONField(default=list)  # platform ids, the evidence
    data = models.JSONField(default=dict, blank=True)  # the numbers behind the reason
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "key"], name="alert_unique_key")
        ]
        ordering = ["detected_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.topic}: {self.detected_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    ALERT = "alert", _("alert joined")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    STATE = "state", _("state changed")
    STATEMENT = "statement", _("statement published")
    CONTACTED = "contacted", _("customer contacted")
    FOLLOW_UP = "follow_up", _("follow-up")
    NOTE = "note", _("note")
    OWNER = "owner", _("owner assigned")


class IncidentEvent(models.Model):
    """One line of an incident's timeline: a signal or something the team did."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL)
    text = models.TextField(blank=True, default="")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class DetectorState(models.Model):
    """A topic's detectors between intake batches, so each batch feeds only its new items.

    ``cursor_at``/``cursor_item`` is the last item fed, in (event time, id) order; ``state``
    the pickled detector state (zlib). ``fingerprint`` is the topic's rule and settings and the
    workspace dictionary: when it changes the state is rebuilt. The row is also the topic's
    write lock: intake holds it (select_for_update) while it feeds and stores alerts, so two
    workers never feed the same items twice.
    """

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="detector_state")
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    cursor_at = models.DateTimeField(null=True, blank=True)
    cursor_item = models.BigIntegerField(default=0)
    state = models.BinaryField(null=True, blank=True)
    fed = models.BigIntegerField(default=0)  # items fed since the last rebuild
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"detectors of {self.topic_id} up to {self.cursor_at}"
