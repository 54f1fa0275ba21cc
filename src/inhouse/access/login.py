"""Login: every attempt audited, and lockout after repeated failures.

Failures are counted from the audit log itself (per username and per client address), so the
lockout holds across processes and restarts without another store.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inhouse.access.actions import audit
from inhouse.access.models import AuditEntry

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def client_address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


def recent_failures(username: str, address: str, now: dt.datetime | None = None) -> int:
    since = (now or timezone.now()) - WINDOW
    entries = AuditEntry.objects.filter(action="login.failed", at__gte=since)
    by_user = entries.filter(target=f"user:{username.lower()}").count()
    by_address = entries.filter(after__address=address).count() if address else 0
    # An address gets more room than a username: several people may share one office NAT.
    return max(by_user, by_address // 4)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, or ask "
            "the workspace owner to reset your password."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and recent_failures(username, client_address(self.request)) >= MAX_FAILURES:
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked",
                params={"minutes": int(WINDOW.total_seconds() // 60)},
            )
        return super().clean()


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    audit(None, user, "login", f"user:{user.get_username().lower()}",
          after={"address": client_address(request)})


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:100].lower()
    audit(None, None, "login.failed", f"user:{username}", after={"address": client_address(request)})
