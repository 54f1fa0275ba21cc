"""Forms of the inbox pages: the list's filters and the conversation's actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inhouse.core.models import Intent, Sentiment
from inhouse.inbox.models import State
from inhouse.outbox.actions import TEXT_LIMIT


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False,
        choices=[("open", _("open")), ("", _("all"))] + list(State.choices))
    intent = forms.ChoiceField(label=_("Intent"), required=False,
                               choices=[("", _("any intent"))] + list(Intent.choices))
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False,
                                  choices=[("", _("any sentiment"))] + list(Sentiment.choices))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}))
    kb_entry = forms.CharField(required=False, widget=forms.HiddenInput)
    # One key per rendered form: a double click or a resubmitted page queues one write.
    key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)


class EscalateForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int)
    question = forms.CharField(label=_("Question for the expert"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(u.pk, u.get_username()) for u in experts]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))
    add_to_knowledge = forms.BooleanField(label=_("Also add it to the knowledge base"),
                                          required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("Tags (comma-separated)"), required=False)
