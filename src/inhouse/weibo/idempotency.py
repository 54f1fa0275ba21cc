"""Writes that happen once, even when retried after a timeout.

Weibo has no idempotency keys, so the caller keeps one: it stores the key (with the text)
before the call, and records the result under it after. When an attempt ends without an
answer (:class:`OutcomeUnknown`) the write may exist, so before sending again we look for it
— the account's newest posts, or its own comments — and a duplicate-content refusal
(20017/20019/20111) after an unknown outcome means the first attempt got through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from inhouse.weibo.client import OutcomeUnknown, WeiboClient
from inhouse.weibo.errors import DUPLICATE_CODES, WeiboError
from inhouse.weibo.payloads import object_id


class KeyStore(Protocol):
    """Where the caller keeps results by idempotency key (a database row in the desk)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, result: dict[str, Any]) -> None: ...


def write_once(key: str, store: KeyStore, send: Callable[[], dict[str, Any]],
               find: Callable[[], dict[str, Any] | None], client: WeiboClient,
               attempts: int = 4) -> dict[str, Any]:
    """Send a write at most once per ``key``; return what Weibo created."""
    done = store.get(key)
    if done is not None:
        return done
    unknown: OutcomeUnknown | None = None
    for attempt in range(1, attempts + 1):
        if unknown is not None:
            existing = find()
            if existing is not None:
                store.put(key, existing)
                return existing
        try:
            result = send()
        except OutcomeUnknown as error:
            unknown = error
            client.retry.sleep(client.retry.backoff(attempt))
            continue
        except WeiboError as error:
            if unknown is not None and error.code in DUPLICATE_CODES:
                existing = find()
                if existing is not None:
                    store.put(key, existing)
                    return existing
            raise
        store.put(key, result)
        return result
    existing = find()
    if existing is not None:
        store.put(key, existing)
        return existing
    assert unknown is not None
    raise unknown


def _same_text(sent: str, found: str) -> bool:
    # A reply may come back prefixed with "回复@name:"; Weibo may trim whitespace.
    return found.strip() == sent.strip() or found.strip().endswith(sent.strip())


def find_status(client: WeiboClient, text: str) -> dict[str, Any] | None:
    """The account's newest post with this text, if any."""
    for status in client.user_timeline(count=5).get("statuses", []):
        if _same_text(text, status.get("text", "")):
            return status
    return None


def find_comment(client: WeiboClient, status_id: int, text: str) -> dict[str, Any] | None:
    """The account's newest comment on ``status_id`` with this text, if any."""
    for comment in client.comments_by_me(count=50).get("comments", []):
        status = comment.get("status") or {}
        if status and object_id(status) == status_id and _same_text(text, comment.get("text", "")):
            return comment
    return None


def publish(client: WeiboClient, key: str, store: KeyStore, text: str, *,
            share: bool = False, rip: str | None = None) -> dict[str, Any]:
    """Post a status once per ``key`` (statuses/share when ``share``, else statuses/update)."""
    method = client.share_status if share else client.update_status
    return write_once(key, store, lambda: method(text, rip=rip),
                      lambda: find_status(client, text), client)


def comment(client: WeiboClient, key: str, store: KeyStore, status_id: int, text: str, *,
            rip: str | None = None) -> dict[str, Any]:
    return write_once(key, store, lambda: client.create_comment(status_id, text, rip=rip),
                      lambda: find_comment(client, status_id, text), client)


def reply(client: WeiboClient, key: str, store: KeyStore, comment_id: int, status_id: int,
          text: str, *, rip: str | None = None, without_mention: bool = False) -> dict[str, Any]:
    return write_once(
        key, store,
        lambda: client.reply_comment(comment_id, status_id, text, rip=rip,
                                     without_mention=without_mention),
        lambda: find_comment(client, status_id, text), client)


def message(client: WeiboClient, key: str, store: KeyStore, receiver_id: str | int,
            text: str) -> dict[str, Any]:
    """Answer a private message once per ``key``. No API lists the private messages an
    account sent, so an unknown outcome cannot be checked: it is not sent again, and
    :class:`OutcomeUnknown` reaches the caller (the outbox leaves it for a person to check)."""
    done = store.get(key)
    if done is not None:
        return done
    result = client.reply_message(receiver_id, text)
    store.put(key, result)
    return result


class MemoryStore:
    """A dict-backed KeyStore for scripts and tests."""

    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.results.get(key)

    def put(self, key: str, result: dict[str, Any]) -> None:
        self.results[key] = result
