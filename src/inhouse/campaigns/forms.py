from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Workspace
from inhouse.partners.forms import members
from inhouse.partners.models import Contact


def when(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                          format="%Y-%m-%dT%H:%M"))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    starts_at = when(_("Starts"))
    ends_at = when(_("Ends"))
    hashtag = forms.CharField(label=_("Hashtag"), max_length=100, required=False,
                              help_text=_("One topic, like #话题#"))
    partners = forms.ModelMultipleChoiceField(label=_("Partner accounts"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Contact.objects.filter(workspace=workspace).exclude(weibo_uid="")


class DutyForm(forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("People on duty"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = members(workspace)


class EventForm(forms.Form):
    name = forms.CharField(label=_("Event"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    starts_at = when(_("Starts"))
    ends_at = when(_("Ends"))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TimelineForm(forms.Form):
    at = when(_("At"))
    what = forms.CharField(label=_("What happens"), max_length=300)


class InstantForm(forms.Form):
    text = forms.CharField(label=_("Post"), widget=forms.Textarea(attrs={"rows": 3}))
    event = forms.TypedChoiceField(label=_("Event"), coerce=int, required=False, empty_value=None)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, events=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("nonce", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "—"), *((e.pk, e.name) for e in events)]
