"""Celery tasks that sync Weibo accounts; beat runs ``pipeline.sync_accounts`` on a schedule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from celery import shared_task
from django.conf import settings

from inhouse.core.models import Account
from inhouse.env import env_str
from inhouse.pipeline.analyze import analyze_items
from inhouse.pipeline.route import route_items
from inhouse.pipeline.sync import mark_needs_reauthorization, needs_reauthorization, sync_account
from inhouse.weibo.client import WeiboClient


@dataclass(frozen=True)
class AppCredentials:
    client_id: str
    client_secret: str
    redirect_uri: str  # the OAuth callback registered with Weibo; "" = built from the request


def app_credentials() -> AppCredentials:
    """The desk's Weibo app: settings ``WEIBO_APP_KEY``/``WEIBO_APP_SECRET``/
    ``WEIBO_REDIRECT_URI`` when defined, else the environment (``NAME_FILE`` works)."""

    def value(name: str) -> str:
        return str(getattr(settings, name, "") or env_str(name, ""))

    return AppCredentials(value("WEIBO_APP_KEY"), value("WEIBO_APP_SECRET"), value("WEIBO_REDIRECT_URI"))


def client_for(account: Account) -> WeiboClient:
    """A client for ``account`` against ``settings.WEIBO_API_BASE`` (the fake, a proxy or Weibo)."""
    return WeiboClient(
        account.token,
        base_url=settings.WEIBO_API_BASE,
        biz_base_url=getattr(settings, "WEIBO_BIZ_API_BASE", None) or None,
        enterprise=account.is_enterprise,
        # Any call, a sync's read or the outbox's write, that meets an expired or revoked
        # token marks the account for re-authorisation.
        on_token_error=lambda error: mark_needs_reauthorization(account, error),
    )


@shared_task(name="pipeline.sync_account", acks_late=True)
def sync_account_task(account_id: int) -> dict[str, Any]:
    """Sync one account, then analyse and route what arrived. Safe to run twice."""
    account = Account.objects.select_related("workspace").get(pk=account_id)
    with client_for(account) as client:
        report = sync_account(account, client)
    analyze_items(report.item_ids)
    route_items(report.item_ids)
    return report.as_dict()


@shared_task(name="pipeline.process_items", acks_late=True)
def process_items(item_ids: list[int]) -> int:
    """Analyse and route items already stored (a pushed private message). Safe to repeat."""
    analyze_items(item_ids)
    route_items(item_ids)
    return len(item_ids)


@shared_task(name="pipeline.sync_accounts")
def sync_accounts() -> list[dict[str, Any]]:
    """Sync every Weibo account that has a token and is not waiting for re-authorisation."""
    results = []
    for account in Account.objects.filter(platform="weibo").exclude(token_encrypted="").select_related("workspace"):
        if needs_reauthorization(account):
            results.append({"account": account.pk, "needs_reauth": True, "skipped": True})
            continue
        results.append(sync_account_task(account.pk))
    return results
