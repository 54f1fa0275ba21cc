"""A :class:`inhouse.weibo.idempotency.KeyStore` over :class:`OutboundWrite` rows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from inhouse.outbox.models import OutboundWrite, WriteStatus
from inhouse.weibo.payloads import object_id


class WriteKeyStore:
    """Results by idempotency key, in the outbox table. The row must exist (enqueue_write
    created it); ``put`` records what Weibo created and marks the write sent."""

    def get(self, key: str) -> dict[str, Any] | None:
        row = OutboundWrite.objects.filter(idempotency_key=key).values("result").first()
        return row["result"] if row and row["result"] is not None else None

    def put(self, key: str, result: dict[str, Any]) -> None:
        OutboundWrite.objects.filter(idempotency_key=key).update(
            result=result, platform_id=str(object_id(result)), status=WriteStatus.SENT,
            sent_at=timezone.now(), error="",
        )
