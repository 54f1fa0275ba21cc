"""Forms of the content desk: a draft, a review decision, a schedule, the keynote."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_SPLIT = re.compile(r"[\s,，、]+")


def split_words(value: str) -> list[str]:
    """Words separated by spaces, commas (either width), 、 or line breaks."""
    return [w for w in _SPLIT.split(value or "") if w]


def parse_mapping(value: str) -> dict[str, list[str]]:
    """Lines "key: word word" (full-width colon accepted) into {key: [words]}."""
    mapping: dict[str, list[str]] = {}
    for line in (value or "").splitlines():
        key, sep, rest = line.replace("：", ":").partition(":")
        if key.strip():
            mapping.setdefault(key.strip(), []).extend(split_words(rest) if sep else [])
    return mapping


def format_mapping(mapping: dict[str, list[str]]) -> str:
    return "\n".join(f"{k}: {' '.join(v)}" for k, v in mapping.items())


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    hashtags = forms.CharField(label=_("Hashtags"), required=False,
                               help_text=_("Separated by spaces, e.g. 小鹿零食 暖冬"))
    mentions = forms.CharField(label=_("Mentions"), required=False,
                               help_text=_("Account names, separated by spaces"))
    image_refs = forms.CharField(label=_("Images"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("One image URL or file reference per line"))
    # The datalist offers the workspace's campaigns (views fill it): a draft belongs to the
    # campaign whose name it carries.
    campaign = forms.CharField(label=_("Campaign"), required=False, max_length=200,
                               widget=forms.TextInput(attrs={"list": "campaign-names"}))

    def move_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"hashtags": split_words(data["hashtags"]), "mentions": split_words(data["mentions"]),
                "image_refs": [r.strip() for r in data["image_refs"].splitlines() if r.strip()],
                "campaign": data["campaign"]}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(label=_("Publish at"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                          format="%Y-%m-%dT%H:%M"))


class KeynoteForm(forms.Form):
    voice = forms.CharField(label=_("Voice and tone"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    banned_words = forms.CharField(label=_("Banned words (block approval)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    sensitive_words = forms.CharField(label=_("Sensitive words (warn)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    required_tags = forms.CharField(
        label=_("Required hashtags and mentions"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One line per campaign: "campaign name: #话题# @账号"; "*" means every post'))
    products = forms.CharField(
        label=_("Products"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One line per product: "name: alias alias"; prices are checked against '
                    "the knowledge base for these names"))

    def save_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"voice": data["voice"], "banned_words": split_words(data["banned_words"]),
                "sensitive_words": split_words(data["sensitive_words"]),
                "required_tags": parse_mapping(data["required_tags"]),
                "products": parse_mapping(data["products"])}
