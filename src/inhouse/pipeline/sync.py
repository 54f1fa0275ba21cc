"""Sync stage: pull an account's new traffic from the Weibo client into ingest.

Contract: ``sync_account(account, client)`` walks each stream newest-first from the top down
to the stored cursor (``since_id`` exclusive, ``max_id`` inclusive, so the next page asks for
``max_id = lowest id - 1``), ingests every page as it comes, and moves
``account.cursors[stream]`` to the newest id only when the whole new range is stored. The
walk's position is saved after each stored page (``cursors["_walk"]``), so a crash or a
rate-limit stop resumes where it stopped: nothing is lost, and ingest's upsert makes any
page fetched twice harmless.

Streams: the account's timeline, @mentions in posts and in comments, comments to it (the
commercial ``/biz`` endpoints for enterprise accounts), its own comments, and the comments and
reposts of its newest posts. A token Weibo calls expired or invalid stops the sync and marks
the account for re-authorisation (``Account.reauth_required_at``): an audit entry, an alert
through the workspace's channels, and a banner on the desk until the owner re-authorises.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inhouse.access.actions import audit
from inhouse.core.models import Account, Item
from inhouse.pipeline.ingest import ingest
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.errors import Category, WeiboError
from inhouse.weibo.payloads import comment_from_payload, object_id, status_from_payload

log = logging.getLogger(__name__)

WALK_KEY = "_walk"  # per-stream walk in progress: {"top": id, "max_id": id}
RECENT_POSTS = 5  # own posts whose comments and reposts are followed
MAX_PAGES = 50  # per stream per run; the walk resumes next run


@dataclass
class StreamReport:
    name: str
    pages: int = 0
    fetched: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    cursor_before: int = 0
    cursor_after: int = 0
    complete: bool = False  # the whole new range is stored and the cursor moved
    error: str = ""


@dataclass
class SyncReport:
    account_id: int
    streams: list[StreamReport] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    needs_reauth: bool = False
    error: str = ""

    @property
    def created(self) -> int:
        return sum(s.created for s in self.streams)

    @property
    def ok(self) -> bool:
        return not self.needs_reauth and not self.error and all(s.complete for s in self.streams)

    def as_dict(self) -> dict[str, Any]:
        return {"account": self.account_id, "created": self.created, "ok": self.ok,
                "needs_reauth": self.needs_reauth, "error": self.error,
                "streams": {s.name: {"pages": s.pages, "created": s.created, "updated": s.updated,
                                     "cursor": s.cursor_after, "error": s.error}
                            for s in self.streams}}


Fetch = Callable[[int, int], dict[str, Any]]  # (since_id, max_id) -> one page
Stream = tuple[str, str, Fetch, Callable[[dict[str, Any], str], dict[str, Any]]]


def needs_reauthorization(account: Account) -> bool:
    return account.reauth_required_at is not None


def mark_needs_reauthorization(account: Account, error: WeiboError) -> bool:
    """Weibo says the token expired or was revoked: stop using it, audit, and alert the team
    (once per episode: a second failing call changes nothing). Returns True when newly marked."""
    with transaction.atomic():
        marked = Account.objects.filter(pk=account.pk, reauth_required_at__isnull=True).update(
            reauth_required_at=timezone.now(), reauth_reason=str(error)[:300])
        account.refresh_from_db(fields=["reauth_required_at", "reauth_reason"])
        if not marked:
            return False
        audit(account.workspace, None, "account.reauth_required", f"account:{account.pk}",
              after={"code": error.code, "request": error.request, "message": error.message})
        transaction.on_commit(lambda: _alert_reauth(account))
    return True


def _alert_reauth(account: Account) -> None:
    from inhouse.alerts import Message, Severity
    from inhouse.channels.dispatch import send_alert

    try:
        url = reverse("accounts:list")
    except NoReverseMatch:  # the account pages are not routed in this deployment
        url = ""
    text = (f"Weibo refused @{account.screen_name}'s token ({account.reauth_reason}). "
            "Nothing is synced or sent for this account until its owner re-authorises it "
            "on the desk's accounts page.")
    try:
        send_alert(account.workspace, Message(title=f"Re-authorise @{account.screen_name}",
                                              text=text, severity=Severity.CRITICAL, url=url),
                   dedupe_key=f"account-reauth:{account.pk}")
    except Exception:  # noqa: BLE001 - the banner and the audit entry still say it
        log.exception("could not queue the re-authorisation alert of account %s", account.pk)


def connect_account(workspace: Any, actor: Any, uid: str, screen_name: str) -> Account:
    """The workspace's account for ``uid``, created on first connection (audited)."""
    account, created = Account.objects.get_or_create(
        workspace=workspace, platform="weibo", platform_uid=uid,
        defaults={"screen_name": screen_name[:100] or uid})
    if created:
        audit(workspace, actor, "account.connect", f"account:{account.pk}",
              after={"uid": uid, "screen_name": account.screen_name})
    return account


def mark_reauthorised(account: Account, token: str, expires_at: dt.datetime | None, *,
                      actor: Any = None, uid: str = "") -> None:
    """Store a fresh token (encrypted by the model), its expiry, and clear the flag; audited
    with the expiry and the state before (never the token)."""
    before = {"expires_at": account.token_expires_at.isoformat() if account.token_expires_at else None,
              "reauth_required": account.reauth_required_at is not None, "had_token": bool(account.token_encrypted)}
    account.token = token
    account.token_expires_at = expires_at
    account.reauth_required_at = None
    account.reauth_reason = ""
    account.save(update_fields=["token_encrypted", "token_expires_at", "reauth_required_at",
                                "reauth_reason"])
    audit(account.workspace, actor, "account.token_set", f"account:{account.pk}", before=before,
          after={"expires_at": expires_at.isoformat() if expires_at else None, "uid": uid or account.platform_uid})


def _streams(client: WeiboClient, size: dict[str, int]) -> list[Stream]:
    return [
        ("timeline", "statuses", lambda s, m: client.user_timeline(s, m, **size), status_from_payload),
        ("mentions", "statuses", lambda s, m: client.mentions(s, m, **size), status_from_payload),
        ("comments_to_me", "comments", lambda s, m: client.comments_to_me(s, m, **size), comment_from_payload),
        ("comment_mentions", "comments", lambda s, m: client.comments_mentions(s, m, **size), comment_from_payload),
        ("comments_by_me", "comments", lambda s, m: client.comments_by_me(s, m, **size), comment_from_payload),
    ]


def _post_streams(account: Account, client: WeiboClient, recent: int,
                  size: dict[str, int]) -> list[Stream]:
    posts = list(Item.objects.filter(account=account, kind="post",
                                     author__uid=account.platform_uid)
                 .order_by("-created_at").values_list("platform_id", flat=True)[:recent])
    streams: list[Stream] = []
    for pid in posts:
        post_id = int(pid)
        streams.append((f"comments:{pid}", "comments",
                        lambda s, m, p=post_id: client.comments_show(p, s, m, **size),
                        comment_from_payload))
        streams.append((f"reposts:{pid}", "reposts",
                        lambda s, m, p=post_id: client.repost_timeline(p, s, m, **size),
                        status_from_payload))
    # Forget cursors of posts no longer followed, so the JSON stays small.
    keep = {name for name, *_ in streams}
    account.cursors = {k: v for k, v in account.cursors.items()
                       if not k.startswith(("comments:", "reposts:")) or k in keep}
    return streams


def sync_account(account: Account, client: WeiboClient, *, recent_posts: int = RECENT_POSTS,
                 max_pages: int = MAX_PAGES, page_size: int | None = None) -> SyncReport:
    """Sync every stream of ``account``; see the module docstring. ``page_size`` overrides
    each endpoint's largest page (tests use small pages to exercise the walk)."""
    size = {"count": page_size} if page_size else {}
    report = SyncReport(account_id=account.pk)
    if needs_reauthorization(account):
        report.needs_reauth = True
        report.error = "the account needs re-authorisation before it can sync"
        return report
    account.cursors = dict(account.cursors or {})
    try:
        for stream in _streams(client, size):
            report.streams.append(_sync_stream(account, stream, max_pages, report))
        # After the timeline, so a post that just arrived is followed at once.
        for stream in _post_streams(account, client, recent_posts, size):
            report.streams.append(_sync_stream(account, stream, max_pages, report))
    except WeiboError as error:
        log.warning("account %s: sync stopped: %s", account.pk, error)
        report.error = str(error)
        if error.category == Category.TOKEN_EXPIRED:
            mark_needs_reauthorization(account, error)
            report.needs_reauth = True
        # Rate limited after every wait: stop; the saved walks resume next run.
    return report


def _save_cursors(account: Account) -> None:
    account.save(update_fields=["cursors"])


def _sync_stream(account: Account, stream: Stream, max_pages: int, report: SyncReport) -> StreamReport:
    name, key, fetch, convert = stream
    since = int(account.cursors.get(name) or 0)
    walk = dict((account.cursors.get(WALK_KEY) or {}).get(name) or {})
    top, max_id = int(walk.get("top") or since), int(walk.get("max_id") or 0)
    result = StreamReport(name=name, cursor_before=since, cursor_after=since)
    try:
        while True:
            if result.pages >= max_pages:
                return result  # resume from the saved walk next run
            payload = fetch(since, max_id)
            objects = payload.get(key) or []
            result.pages += 1
            ids = [object_id(o) for o in objects]
            new = [o for o, i in zip(objects, ids, strict=True) if i > since]
            if not new:
                break
            if max_id and min(ids) > max_id:
                raise WeiboError(f"page ignored max_id={max_id}; stopping to avoid a loop",
                                 request=name)
            stored = ingest(account.workspace, [convert(o, account.platform_uid) for o in new])
            result.fetched += len(new)
            result.created += stored.created
            result.updated += stored.updated
            result.rejected += len(stored.rejected)
            report.item_ids.extend(stored.item_ids)
            for rejected in stored.rejected:
                log.warning("account %s, %s: %s", account.pk, name, rejected)
            top = max(top, *(object_id(o) for o in new))
            max_id = min(ids) - 1
            # The page is stored: remember how far the walk got, not the cursor yet.
            account.cursors.setdefault(WALK_KEY, {})[name] = {"top": top, "max_id": max_id}
            _save_cursors(account)
            if max_id <= since:
                break
    except WeiboError as error:
        if error.category in (Category.TOKEN_EXPIRED, Category.RATE_LIMITED):
            raise  # every other stream would fail the same way
        result.error = str(error)
        log.warning("account %s, stream %s stopped: %s", account.pk, name, error)
        return result
    # The whole range (since, top] is stored: now the cursor may move.
    account.cursors[name] = top
    walks = account.cursors.get(WALK_KEY) or {}
    walks.pop(name, None)
    if not walks:
        account.cursors.pop(WALK_KEY, None)
    _save_cursors(account)
    result.cursor_after, result.complete = top, True
    return result
