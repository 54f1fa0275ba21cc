from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Workspace
from inhouse.partners.models import Category


def members(workspace: Workspace):
    return get_user_model().objects.filter(memberships__workspace=workspace).order_by("username")


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    weibo_uid = forms.RegexField(label=_("Weibo uid"), regex=r"^\d*$", required=False, max_length=32,
                                 error_messages={"invalid": _("A Weibo uid is digits only.")})
    weibo_name = forms.CharField(label=_("Weibo screen name"), max_length=100, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(workspace)


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(workspace)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
