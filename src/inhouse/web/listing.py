"""The item list's filters: a GET form and the queryset it selects."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Intent, Item, ItemKind, Sentiment, Workspace
from inhouse.web import queries

PAGE_SIZE = 50


def _any(choices) -> list[tuple[str, str]]:
    return [("", _("any")), *choices]


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Text contains"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    author = forms.CharField(
        label=_("Author name"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_any(ItemKind.choices))
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=_any(Sentiment.choices)
    )
    intent = forms.ChoiceField(label=_("Intent"), required=False, choices=_any(Intent.choices))
    emotion = forms.ChoiceField(label=_("Emotion"), required=False, choices=_any([]))
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_replies = forms.BooleanField(label=_("Has replies"), required=False)
    waiting = forms.BooleanField(label=_("Waiting for a reply"), required=False)
    author_uid = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args, emotions: list[str] = (), hide_messages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Emotion labels are whatever the NLP stage writes; offer the ones present.
        self.fields["emotion"].choices = _any([(e, e) for e in emotions])
        if hide_messages:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != ItemKind.MESSAGE
            ]
            del self.fields["waiting"]


def emotions_in(workspace: Workspace) -> list[str]:
    """The emotion choices: the model's fixed labels (a DISTINCT over the workspace's items
    would read the whole table on every page load)."""
    from inhouse.nlp.data import EMOTIONS

    return list(EMOTIONS)


def _local_midnight(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time.min, tzinfo=timezone.get_current_timezone())


def filtered_items(
    workspace: Workspace, data: dict, hide_messages: bool = False
) -> QuerySet[Item]:
    """Items matching the cleaned filter ``data``, newest first, authors joined."""
    qs = Item.objects.filter(workspace=workspace)
    if hide_messages:
        qs = qs.exclude(kind=ItemKind.MESSAGE)
    if data.get("q"):
        qs = qs.filter(text__icontains=data["q"])
    if data.get("author"):
        qs = qs.filter(author__screen_name__icontains=data["author"])
    if data.get("author_uid"):
        qs = qs.filter(author__uid=data["author_uid"])
    for name in ("kind", "sentiment", "intent", "emotion"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("date_from"):
        qs = qs.filter(created_at__gte=_local_midnight(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(created_at__lt=_local_midnight(data["date_to"] + dt.timedelta(days=1)))
    if data.get("has_replies"):
        # Non-correlated IN subqueries: the database builds each set once (parent_platform_id
        # has no index, so a correlated EXISTS would scan the table per row).
        threaded = Item.objects.filter(workspace=workspace)
        qs = qs.filter(
            Q(platform_id__in=threaded.exclude(parent_platform_id="").values("parent_platform_id"))
            | Q(platform_id__in=threaded.exclude(root_platform_id="").values("root_platform_id"))
        )
    if data.get("waiting"):
        waiting = queries.waiting_consultations(
            workspace, queries.official_author_ids(workspace)
        )
        qs = qs.filter(id__in=waiting.values("id"))
    return qs.select_related("author").order_by("-created_at", "-id")
