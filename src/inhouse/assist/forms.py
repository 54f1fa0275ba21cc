from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inhouse.assist.models import ProviderSettings


class ProviderForm(forms.ModelForm):
    base_url = forms.URLField(label=_("API base URL"), required=False, assume_scheme="https",
                              help_text=_("An OpenAI-compatible endpoint, e.g. "
                                          "https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1"))
    api_key = forms.CharField(
        label=_("API key"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the stored key."))
    remove_key = forms.BooleanField(label=_("Remove the stored key"), required=False)

    class Meta:
        model = ProviderSettings
        fields = ["enabled", "base_url", "model", "timeout", "daily_token_budget"]

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not (data.get("base_url") and data.get("model")):
            raise forms.ValidationError(_("To switch AI assistance on, give the API base URL "
                                          "and the model."))
        if data.get("timeout") is not None and not 1 <= data["timeout"] <= 300:
            self.add_error("timeout", _("Between 1 and 300 seconds."))
        return data
