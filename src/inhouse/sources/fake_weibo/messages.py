"""The fake's Fan Service Platform: pushing customers' private messages to the account's
bound URL, and ``messages/reply`` with its reply window (ref §8).

A push is a signed POST (:func:`inhouse.weibo.fanservice.signed_params` with the app secret,
``config.client_secret``) of the JSON body the platform sends. :func:`push_request` builds one
for tests to hand to any client; :class:`Pusher` pushes the scenario's messages to a URL as the
fake's clock reaches them (``inhouse fake_weibo --push-url``), retrying as Weibo does (3 times).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

from inhouse.sources.fake_weibo.app import ApiError
from inhouse.sources.fake_weibo.scenario import BEIJING, Entry
from inhouse.weibo.fanservice import signed_params
from inhouse.weibo.payloads import format_created_at

if TYPE_CHECKING:
    from inhouse.sources.fake_weibo.app import FakeWeibo, Request

log = logging.getLogger(__name__)
REPLY_TYPES = ("text", "articles", "position")


def last_message_from(fake: FakeWeibo, sender: int, receiver: int) -> dt.datetime | None:
    now = fake.clock.now()
    times = [e.created_at for e in fake.scenario.messages.values()
             if e.author_uid == sender and e.receiver_uid == receiver and e.created_at <= now]
    return max(times, default=None)


def messages_reply(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    if not fake.config.enterprise:
        raise ApiError(10014)  # the Fan Service Platform is for verified (blue-V) accounts
    params = request.params
    for name in ("receiver_id", "type", "data"):
        if not params.get(name):
            raise ApiError(10016, name)
    if params["type"] not in REPLY_TYPES:
        raise ApiError(10017, "type", "|".join(REPLY_TYPES), params["type"])
    if not params["receiver_id"].isdigit():
        raise ApiError(10017, "receiver_id", "int64", params["receiver_id"])
    receiver = int(params["receiver_id"])
    data = _data(params["data"])
    text = str(data.get("text") or "") if params["type"] == "text" else json.dumps(data, ensure_ascii=False)
    if params["type"] == "text" and not text:
        raise ApiError(10016, "data.text")
    last = last_message_from(fake, receiver, request.uid)
    window = dt.timedelta(hours=fake.config.message_window_hours)
    if last is None or fake.clock.now() > last + window:
        raise ApiError(26403, http=400)
    hour = fake.window()
    if fake.hits[("post", request.token, hour)] >= fake.config.post_limit:
        raise ApiError(20016, http=403)
    fake.hits[("post", request.token, hour)] += 1
    new_id = max(fake.scenario.messages, default=7_000_000_000_000_000) + 1
    entry = Entry(id=new_id, kind="message", created_at=fake.clock.now(), author_uid=request.uid,
                  text=text, receiver_uid=receiver)
    fake.scenario.messages[new_id] = entry
    fake.writes.append({"api": request.api, "biz": False, "id": new_id, "text": text,
                        "uid": request.uid, "params": dict(params)})
    return {"result": True, "id": new_id, "sender_id": request.uid, "receiver_id": receiver,
            "created_at": format_created_at(entry.created_at.astimezone(BEIJING)), "type": params["type"]}


def _data(value: str) -> dict[str, Any]:
    """``data`` is URL-encoded JSON; accept it encoded once more or not at all."""
    for candidate in (unquote(value), value):
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    raise ApiError(10017, "data", "URL-encoded JSON object", value[:40])


# --- pushing ---------------------------------------------------------------------------------

def new_message(fake: FakeWeibo, sender: int, text: str, *, at: dt.datetime | None = None) -> Entry:
    """A customer writes to the account now (tests); push it with :func:`push_request`."""
    new_id = max(fake.scenario.messages, default=7_000_000_000_000_000) + 1
    fake.scenario.users.setdefault(sender, {"id": sender, "screen_name": f"用户{sender}"})
    entry = Entry(id=new_id, kind="message", created_at=at or fake.clock.now(), author_uid=sender,
                  text=text, receiver_uid=fake.scenario.owner_uid)
    fake.scenario.messages[new_id] = entry
    return entry


def push_body(entry: Entry) -> dict[str, Any]:
    """The JSON the platform POSTs for a text message."""
    return {"type": "text", "sender_id": entry.author_uid, "receiver_id": entry.receiver_uid,
            "created_at": format_created_at(entry.created_at.astimezone(BEIJING)),
            "text": entry.text, "data": {}}


def push_request(fake: FakeWeibo, entry: Entry, *, now: float | None = None) -> tuple[dict[str, str], bytes]:
    """(query parameters, body) of the signed push of ``entry``."""
    body = json.dumps(push_body(entry), ensure_ascii=False).encode("utf-8")
    return signed_params(fake.config.client_secret, now=now), body


class Pusher:
    """Pushes each customer message to ``url`` once the fake's clock reaches it."""

    def __init__(self, fake: FakeWeibo, url: str, *, interval: float = 1.0,
                 http: httpx.Client | None = None, retries: int = 3):
        self.fake, self.url, self.interval, self.retries = fake, url, interval, retries
        self.http = http or httpx.Client(timeout=5.0)  # Weibo waits 5 s for an answer
        self.pushed: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self) -> list[Entry]:
        now = self.fake.clock.now()
        owner = self.fake.scenario.owner_uid
        return sorted((e for e in list(self.fake.scenario.messages.values())
                       if e.receiver_uid == owner and e.author_uid != owner
                       and e.created_at <= now and e.id not in self.pushed),
                      key=lambda e: (e.created_at, e.id))

    def push_due(self) -> int:
        """Push what is due; return how many were accepted. A message the receiver refuses is
        tried ``retries`` more times and then dropped, as the platform does; while the
        receiver cannot be reached at all (the desk is starting), messages wait their turn."""
        sent = 0
        for entry in self.due():
            for _ in range(self.retries + 1):
                params, body = push_request(self.fake, entry)
                try:
                    response = self.http.post(self.url, params=params, content=body,
                                              headers={"Content-Type": "application/json"})
                except httpx.TransportError as exc:
                    log.info("receiver %s unreachable (%s); message %s waits", self.url, exc, entry.id)
                    return sent
                if response.status_code == 200:
                    sent += 1
                    break
                log.warning("push of message %s refused: HTTP %s %s", entry.id,
                            response.status_code, response.text[:200])
            self.pushed.add(entry.id)
        return sent

    def start(self) -> None:
        # Messages already in the past when the fake starts were "delivered" before.
        self.pushed.update(e.id for e in self.due())
        self._thread = threading.Thread(target=self._run, name="fake-weibo-pusher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.push_due()
            except Exception:  # noqa: BLE001 - keep the demo's pusher alive
                log.exception("pusher")

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)


ROUTES = {
    "messages/reply": ("POST", messages_reply, False, False),
}
