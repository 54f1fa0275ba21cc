"""The channel form, built from the kind's declared fields (inhouse.alerts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inhouse.alerts.registry import transport_class
from inhouse.channels.models import Channel

ESCALATION_HELP = _(
    "One step a line: minutes | channel name (blank = this one) | people to mention. "
    "Example: 15 | Duty | 13800000000, zhangsan"
)


def parse_escalation(text: str) -> list[dict[str, Any]]:
    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        try:
            minutes = float(parts[0])
        except ValueError:
            raise forms.ValidationError(
                _("line %(n)s: start with the minutes, e.g. '15 | Duty | zhangsan'"),
                params={"n": number}) from None
        mentions = [m.strip() for m in parts[2].split(",") if m.strip()]
        steps.append({"after_minutes": minutes, "channel": parts[1], "mentions": mentions})
    return steps


def format_escalation(steps: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{s['after_minutes']:g} | {s.get('channel', '')} | {', '.join(s.get('mentions', []))}"
        for s in steps
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, kind: str, channel: Channel | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.secret_names = []
        stored = channel.config if channel else {}
        for f in transport_class(kind).fields:
            if f.secret:
                self.secret_names.append(f.name)
                # Never rendered back: a blank field keeps the stored value.
                help_text = f.help
                if channel is not None and f.name in channel.secrets:
                    help_text = f"{_('Stored; leave blank to keep it.')} {f.help}"
                field = forms.CharField(label=f.label, help_text=help_text,
                                        required=f.required and channel is None,
                                        widget=forms.PasswordInput(render_value=False))
            else:
                field = forms.CharField(label=f.label, help_text=f.help, required=f.required,
                                        initial=stored.get(f.name, f.default))
            self.fields[f.name] = field
        self.fields["escalation"] = forms.CharField(
            label=_("Escalation"), required=False, help_text=ESCALATION_HELP,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=format_escalation(stored.get("escalation", [])),
        )
        if channel is not None:
            self.fields["name"].initial = channel.name

    def clean_escalation(self) -> list[dict[str, Any]]:
        return parse_escalation(self.cleaned_data.get("escalation", ""))

    def values(self) -> dict[str, str]:
        names = [f.name for f in transport_class(self.kind).fields]
        return {n: self.cleaned_data.get(n, "") for n in names}
