"""Why no draft came back, in words a person on the desk can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class AIUnavailable(Exception):
    """The provider gave no usable answer; the feature falls back to "no draft"."""

    OFF = "off"
    BUDGET = "budget"
    TIMEOUT = "timeout"
    HTTP = "http"
    BAD_ANSWER = "bad_answer"
    NETWORK = "network"

    MESSAGES = {
        OFF: _("AI assistance is off for this workspace."),
        BUDGET: _("Today's AI token budget is spent; drafts resume tomorrow."),
        TIMEOUT: _("The AI provider did not answer in time."),
        HTTP: _("The AI provider refused the request."),
        BAD_ANSWER: _("The AI provider's answer could not be read."),
        NETWORK: _("The AI provider could not be reached."),
    }

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    @property
    def message(self) -> str:
        text = str(self.MESSAGES.get(self.reason, self.reason))
        return f"{text} ({self.detail})" if self.detail else text
