"""Celery tasks that sync Weibo accounts; beat runs ``pipeline.sync_accounts`` on a schedule."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from inhouse.core.models import Account
from inhouse.pipeline.analyze import analyze_items
from inhouse.pipeline.route import route_items
from inhouse.pipeline.sync import needs_reauthorization, sync_account
from inhouse.weibo.client import WeiboClient


def client_for(account: Account) -> WeiboClient:
    """A client for ``account`` against ``settings.WEIBO_API_BASE`` (the fake, a proxy or Weibo)."""
    return WeiboClient(
        account.token,
        base_url=settings.WEIBO_API_BASE,
        biz_base_url=getattr(settings, "WEIBO_BIZ_API_BASE", None) or None,
        enterprise=account.is_enterprise,
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
