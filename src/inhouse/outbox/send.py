"""Send one queued write through the connector, at most once per idempotency key.

``send_write`` claims the row (so two workers never send it together), calls Weibo through
:mod:`inhouse.weibo.idempotency` (which looks for the write before sending again after an
unanswered attempt), records the outcome, audits it, and ingests what Weibo created as an
Item — analysed and routed like a synced one, so the inbox sees the official reply.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from inhouse.access.actions import audit
from inhouse.outbox.keystore import WriteKeyStore
from inhouse.outbox.models import OutboundWrite, WriteKind, WriteStatus
from inhouse.weibo import idempotency
from inhouse.weibo.client import OutcomeUnknown, WeiboClient
from inhouse.weibo.errors import Category, WeiboError
from inhouse.weibo.payloads import comment_from_payload, object_id, status_from_payload

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# A row left "sending" this long belongs to a worker that died mid-call: try it again (the
# idempotent path looks for the write first).
STALE_SENDING = dt.timedelta(minutes=10)


def sendable(now: dt.datetime | None = None) -> Q:
    """Writes a worker may (re)try. A private-message reply whose outcome is unknown is not
    retried: Weibo offers no way to look for a sent message, so a retry could send it twice;
    the desk shows "outcome unknown" and a person checks in Weibo."""
    now = now or timezone.now()
    blind = Q(kind=WriteKind.MESSAGE)
    return (Q(status=WriteStatus.QUEUED)
            | (Q(status=WriteStatus.UNKNOWN) & ~blind)
            | (Q(status=WriteStatus.SENDING, attempted_at__lt=now - STALE_SENDING) & ~blind))


def send_write(write_id: int, client: WeiboClient | None = None) -> OutboundWrite:
    """Send the write if it is still to send; return the row as it ends up."""
    now = timezone.now()
    claimed = OutboundWrite.objects.filter(sendable(now), pk=write_id).update(
        status=WriteStatus.SENDING, attempts=F("attempts") + 1, attempted_at=now)
    write = OutboundWrite.objects.select_related("account", "workspace").get(pk=write_id)
    if not claimed:
        return write  # sent, failed for good, or another worker holds it
    if write.result is not None:
        # Weibo's answer was stored but the worker died before finishing: nothing to send.
        write.status = WriteStatus.SENT
        if write.item_id is None:
            write.item_id = _ingest_created(write, write.result)
        write.save(update_fields=["status", "item"])
        return write
    own_client = client is None
    if client is None:
        from inhouse.pipeline.sync_tasks import client_for

        client = client_for(write.account)
    try:
        result = _call(client, write)
    except OutcomeUnknown as error:
        return _settle(write, WriteStatus.UNKNOWN, str(error), "outbox.unknown")
    except WeiboError as error:
        transient = error.category in (Category.RETRY_LATER, Category.RATE_LIMITED,
                                       Category.TOKEN_EXPIRED)
        status = WriteStatus.QUEUED if transient and write.attempts < MAX_ATTEMPTS else WriteStatus.FAILED
        return _settle(write, status, str(error), "outbox.failed" if status == WriteStatus.FAILED
                       else "outbox.retry")
    finally:
        if own_client:
            client.close()
    write.refresh_from_db()
    write.item_id = _ingest_created(write, result)
    write.save(update_fields=["item"])
    audit(write.workspace, None, "outbox.sent", f"write:{write.pk}",
          after={"key": write.idempotency_key, "platform_id": write.platform_id,
                 "attempts": write.attempts})
    return write


def _call(client: WeiboClient, write: OutboundWrite) -> dict[str, Any]:
    store, key, rip = WriteKeyStore(), write.idempotency_key, write.rip or None
    if write.kind == WriteKind.REPLY:
        return idempotency.reply(client, key, store, int(write.target_comment_id),
                                 int(write.target_status_id), write.text, rip=rip)
    if write.kind == WriteKind.COMMENT:
        return idempotency.comment(client, key, store, int(write.target_status_id), write.text,
                                   rip=rip)
    if write.kind == WriteKind.MESSAGE:
        # One attempt (see sendable): the key's stored result still guards a second call.
        done = store.get(key)
        if done is None:
            done = client.reply_message(write.target_user_id, write.text)
            store.put(key, done)
        return done
    return idempotency.publish(client, key, store, write.text, rip=rip)


def _settle(write: OutboundWrite, status: str, error: str, action: str) -> OutboundWrite:
    write.status, write.error = status, error
    write.save(update_fields=["status", "error"])
    audit(write.workspace, None, action, f"write:{write.pk}",
          after={"key": write.idempotency_key, "status": status, "error": error,
                 "attempts": write.attempts})
    return write


def _message_record(write: OutboundWrite, result: dict[str, Any]) -> dict[str, Any]:
    """The sent private message as an item, threaded with the customer's (``dm-<uid>``)."""
    uid = write.account.platform_uid
    return {"id": f"pm-out-{object_id(result)}", "kind": "message", "platform": "weibo",
            "created_at": result.get("created_at") or timezone.now().isoformat(),
            "text": write.text, "author": {"uid": uid, "screen_name": write.account.screen_name},
            "root_id": f"dm-{write.target_user_id}", "account_uid": uid,
            "raw": {**result, "recipient_id": write.target_user_id}}


def _ingest_created(write: OutboundWrite, result: dict[str, Any]) -> int | None:
    """Store Weibo's answer as an Item and route it (the conversation shows the reply)."""
    # Lazy: the pipeline sits above the windows; this is the one place a sent write re-enters
    # the data flow, exactly as the next sync would bring it (ingest is an upsert).
    from inhouse.pipeline.analyze import analyze_items
    from inhouse.pipeline.ingest import ingest
    from inhouse.pipeline.route import route_items

    uid = write.account.platform_uid
    if write.kind == WriteKind.MESSAGE:
        record = _message_record(write, result)
    elif write.kind == WriteKind.POST:
        record = status_from_payload(result, uid)
    else:
        record = comment_from_payload(result, uid)
    record["source"] = "outbox"
    report = ingest(write.workspace, [record])
    if not report.item_ids:
        return None
    try:
        analyze_items(report.item_ids)
    except Exception:
        # The write is sent and stored; analyze_pending will analyse and route it later.
        log.exception("outbox: analysing sent write %s failed; left for analyze_pending", write.pk)
        return report.item_ids[0]
    route_items(report.item_ids)
    return report.item_ids[0]
