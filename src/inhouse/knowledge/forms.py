"""Desk forms for entries and the CSV import."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Workspace

_SPLIT = re.compile(r"[\n|]+")


def split_lines(value: str) -> list[str]:
    return [v.strip() for v in _SPLIT.split(value or "") if v.strip()]


class EntryForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=500)
    variants = forms.CharField(label=_("Other ways of asking"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One per line."))
    answer = forms.CharField(label=_("Authoritative answer"), widget=forms.Textarea(attrs={"rows": 5}))
    tags = forms.CharField(label=_("Product tags"), required=False, help_text=_("Separated by |."))
    owner = forms.ModelChoiceField(label=_("Owning expert"), queryset=None, required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            memberships__workspace=workspace).order_by("username")

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"question": d["question"], "answer": d["answer"], "variants": split_lines(d["variants"]),
                "tags": split_lines(d["tags"]), "owner": d["owner"], "valid_until": d["valid_until"]}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns id, question, answer; optional variants and tags (separated by |) and valid_until (YYYY-MM-DD)."))


class TryForm(forms.Form):
    q = forms.CharField(label=_("A customer's question"), max_length=2000)
