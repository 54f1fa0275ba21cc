"""The daily token budget per workspace: checked before a call, charged after it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inhouse.assist.models import ProviderSettings, TokenUsage
from inhouse.assist.provider import AIUnavailable


def used_today(provider: ProviderSettings) -> int:
    row = TokenUsage.objects.filter(workspace_id=provider.workspace_id,
                                    day=timezone.localdate()).first()
    return row.tokens if row else 0


def check(provider: ProviderSettings, expected: int) -> None:
    """Refuse a call that would take the day past its budget."""
    spent = used_today(provider)
    if spent + expected > provider.daily_token_budget:
        raise AIUnavailable(AIUnavailable.BUDGET,
                            f"{spent} of {provider.daily_token_budget} tokens used today")


def charge(provider: ProviderSettings, tokens: int) -> None:
    with transaction.atomic():
        row, _ = TokenUsage.objects.get_or_create(workspace_id=provider.workspace_id,
                                                  day=timezone.localdate())
        TokenUsage.objects.filter(pk=row.pk).update(tokens=F("tokens") + tokens,
                                                    calls=F("calls") + 1)
