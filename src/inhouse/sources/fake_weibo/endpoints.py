"""The v2 endpoints the desk uses, with the documented wrappers, paging and restrictions.

Paging: ``since_id`` returns ids greater than it, ``max_id`` ids up to and including it,
newest first; ``count`` is capped per endpoint; ``page`` counts from 1; zero means unset.
Only items whose ``created_at`` is not after the fake's clock exist yet.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from inhouse.sources.fake_weibo.app import ApiError
from inhouse.sources.fake_weibo.scenario import Entry

if TYPE_CHECKING:
    from inhouse.sources.fake_weibo.app import FakeWeibo, Request


def _int(params: dict[str, str], name: str, default: int = 0) -> int:
    value = params.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError(10017, name, "int64", value) from None


def _visible(fake: FakeWeibo, table: dict[int, Entry]) -> list[Entry]:
    now = fake.clock.now()
    return [e for e in table.values() if e.created_at <= now]


def _allowed(fake: FakeWeibo, request: Request, entry: Entry) -> bool:
    """'later' restriction: other people's items only from users who authorised the app."""
    if not fake.config.authorised_only or entry.author_uid == request.uid:
        return True
    return entry.author_uid in fake.config.authorised_uids


def _page(fake: FakeWeibo, request: Request, entries: list[Entry], key: str, *,
          default: int, cap: int) -> dict[str, Any]:
    params = request.params
    since_id, max_id = _int(params, "since_id"), _int(params, "max_id")
    count = min(max(_int(params, "count", default), 1), cap)
    page = max(_int(params, "page", 1), 1)
    ordered = sorted(entries, key=lambda e: e.id, reverse=True)
    selected = [e for e in ordered if e.id > since_id and (not max_id or e.id <= max_id)]
    chunk = selected[(page - 1) * count : page * count]
    if request.dup and chunk:
        if max_id:  # repeat the tail of the previous page, as a shifting timeline does
            chunk = [e for e in ordered if e.id > max_id and e.id > since_id][-2:] + chunk
        else:
            chunk = chunk + chunk[:1]
    render = fake.scenario.status_json if key in ("statuses", "reposts") else fake.scenario.comment_json
    more = len(selected) > page * count
    return {key: [render(e) for e in chunk], "previous_cursor": 0,
            "next_cursor": chunk[-1].id if more and chunk else 0,
            "total_number": len(selected), "hasvisible": False, "interval": 0}


def _mentions_name(fake: FakeWeibo, uid: int) -> str:
    return "@" + str(fake.scenario.users.get(uid, {}).get("screen_name", ""))


# --- reads -----------------------------------------------------------------------------------

def user_timeline(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    uid = _int(request.params, "uid", request.uid) or request.uid
    if fake.config.owner_only_timeline and uid != request.uid:
        raise ApiError(10017, "uid", "the token owner's uid", str(uid))
    own = [e for e in _visible(fake, fake.scenario.statuses) if e.author_uid == uid]
    own.sort(key=lambda e: e.id, reverse=True)
    if fake.config.timeline_limit is not None:
        own = own[: fake.config.timeline_limit]  # "only the latest 5 posts"
    return _page(fake, request, own, "statuses", default=20, cap=100)


def status_mentions(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    name = _mentions_name(fake, request.uid)
    found = [e for e in _visible(fake, fake.scenario.statuses)
             if e.author_uid != request.uid and name in e.text and _allowed(fake, request, e)]
    return _page(fake, request, found, "statuses", default=20, cap=200)


def repost_timeline(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    status_id = _status_id(fake, request)
    found = [e for e in _visible(fake, fake.scenario.statuses)
             if e.parent_id == status_id and _allowed(fake, request, e)]
    return _page(fake, request, found, "reposts", default=20, cap=200)


def comments_show(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    status_id = _status_id(fake, request)
    found = [e for e in _visible(fake, fake.scenario.comments) if e.root_id == status_id]
    return _page(fake, request, found, "comments", default=50, cap=200)


def comments_to_me(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    statuses, comments = fake.scenario.statuses, fake.scenario.comments

    def to_me(e: Entry) -> bool:
        on_mine = e.root_id in statuses and statuses[e.root_id].author_uid == request.uid
        to_mine = e.parent_id in comments and comments[e.parent_id].author_uid == request.uid
        return e.author_uid != request.uid and (on_mine or to_mine)

    found = [e for e in _visible(fake, comments) if to_me(e) and _allowed(fake, request, e)]
    return _page(fake, request, found, "comments", default=50, cap=200)


def comments_mentions(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    name = _mentions_name(fake, request.uid)
    found = [e for e in _visible(fake, fake.scenario.comments)
             if e.author_uid != request.uid and name in e.text and _allowed(fake, request, e)]
    return _page(fake, request, found, "comments", default=50, cap=200)


def comments_by_me(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    found = [e for e in _visible(fake, fake.scenario.comments) if e.author_uid == request.uid]
    return _page(fake, request, found, "comments", default=50, cap=200)


def status_show(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    return fake.scenario.status_json(fake.scenario.statuses[_status_id(fake, request)])


def users_show(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    uid, name = request.params.get("uid", ""), request.params.get("screen_name", "")
    if bool(uid) == bool(name):
        raise ApiError(10016, "uid or screen_name")
    users = fake.scenario.users
    match = [u for u, data in users.items() if (uid and str(u) == uid)
             or (name and data.get("screen_name") == name)]
    if not match:
        raise ApiError(20003)
    authorised = match[0] == request.uid or match[0] in fake.config.authorised_uids
    return fake.scenario.user_json(match[0], withhold=fake.config.withhold_profiles and not authorised)


def get_uid(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    return {"uid": request.uid}


def rate_limit_status(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    hour, config = fake.window(), fake.config
    reset = fake.clock.now() + dt.timedelta(seconds=fake.seconds_to_reset())
    used_user = fake.hits[("user", request.token, hour)]
    used_ip = fake.hits[("ip", request.ip, hour)]
    posts = fake.hits[("post", request.token, hour)]
    return {
        "ip_limit": config.ip_limit, "limit_time_unit": "HOURS",
        "remaining_ip_hits": max(config.ip_limit - used_ip, 0),
        "remaining_user_hits": max(config.user_limit - used_user, 0),
        "reset_time": reset.strftime("%Y-%m-%d %H:%M:%S"),
        "reset_time_in_seconds": int(fake.clock.real_seconds(fake.seconds_to_reset())) + 1,
        "user_limit": config.user_limit,
        "api_rate_limits": [{"api": "/statuses/update", "limit": config.post_limit,
                             "limit_time_unit": "HOURS",
                             "remaining_hits": max(config.post_limit - posts, 0)}],
    }


def _status_id(fake: FakeWeibo, request: Request) -> int:
    if not request.params.get("id"):
        raise ApiError(10016, "id")
    status_id = _int(request.params, "id")
    entry = fake.scenario.statuses.get(status_id)
    if entry is None or entry.created_at > fake.clock.now():
        raise ApiError(20101)
    return status_id


# --- writes ----------------------------------------------------------------------------------

def _text(fake: FakeWeibo, request: Request, name: str, *, rip: bool) -> str:
    text = request.params.get(name, "")
    if not text:
        raise ApiError(10016, name)
    if rip and fake.config.rip_required and not request.params.get("rip"):
        raise ApiError(10016, "rip")
    if len(text) > fake.config.text_limit:
        raise ApiError(20012)
    hour = fake.window()
    if fake.hits[("post", request.token, hour)] >= fake.config.post_limit:
        raise ApiError(20016, http=403)
    return text


def _new_entry(fake: FakeWeibo, request: Request, kind: str, text: str, **links: int) -> Entry:
    now = fake.clock.now()
    visible = [e.id for t in (fake.scenario.statuses, fake.scenario.comments)
               for e in t.values() if e.created_at <= now]
    new_id = max(visible, default=4_000_000_000_000_000) + 1
    while new_id in fake.scenario.statuses or new_id in fake.scenario.comments:
        new_id += 1
    entry = Entry(id=new_id, kind=kind, created_at=now, author_uid=request.uid, text=text, **links)
    table = fake.scenario.statuses if kind == "status" else fake.scenario.comments
    table[new_id] = entry
    fake.hits[("post", request.token, fake.window())] += 1
    fake.writes.append({"api": request.api, "biz": request.biz, "id": new_id, "text": text,
                        "uid": request.uid, "params": dict(request.params)})
    return entry


def _post_status(fake: FakeWeibo, request: Request, *, share: bool) -> dict[str, Any]:
    text = _text(fake, request, "status", rip=True)
    if share and fake.config.safe_domain:
        hosts = re.findall(r"https?://([^/\s]+)", text)
        if not any(h == fake.config.safe_domain or h.endswith("." + fake.config.safe_domain)
                   for h in hosts):
            raise ApiError(20018)
    own = [e for e in _visible(fake, fake.scenario.statuses) if e.author_uid == request.uid]
    if own and max(own, key=lambda e: e.id).text == text:
        raise ApiError(20019)
    return fake.scenario.status_json(_new_entry(fake, request, "status", text))


def statuses_update(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    return _post_status(fake, request, share=False)


def statuses_share(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    return _post_status(fake, request, share=True)


def _comment(fake: FakeWeibo, request: Request, text: str, status_id: int, reply_to: int = 0) -> dict[str, Any]:
    mine = [e for e in _visible(fake, fake.scenario.comments)
            if e.author_uid == request.uid and e.root_id == status_id]
    if mine and max(mine, key=lambda e: e.id).text == text:
        raise ApiError(20019)
    entry = _new_entry(fake, request, "comment", text, root_id=status_id, parent_id=reply_to)
    return fake.scenario.comment_json(entry)


def comments_create(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    text = _text(fake, request, "comment", rip=request.biz)
    return _comment(fake, request, text, _status_id(fake, request))


def comments_reply(fake: FakeWeibo, request: Request) -> dict[str, Any]:
    text = _text(fake, request, "comment", rip=request.biz)
    status_id = _status_id(fake, request)
    cid = _int(request.params, "cid")
    target = fake.scenario.comments.get(cid)
    if target is None or target.created_at > fake.clock.now():
        raise ApiError(20201)
    if request.params.get("without_mention", "0") != "1":
        text = f"回复{_mentions_name(fake, target.author_uid)}:{text}"
    return _comment(fake, request, text, status_id, reply_to=cid)


ROUTES = {
    "statuses/user_timeline": ("GET", user_timeline, True, True),
    "statuses/mentions": ("GET", status_mentions, True, True),
    "statuses/repost_timeline": ("GET", repost_timeline, True, True),
    "statuses/show": ("GET", status_show, False, False),
    "comments/show": ("GET", comments_show, True, True),
    "comments/to_me": ("GET", comments_to_me, True, True),
    "comments/mentions": ("GET", comments_mentions, True, True),
    "comments/by_me": ("GET", comments_by_me, True, True),
    "users/show": ("GET", users_show, False, True),
    "account/get_uid": ("GET", get_uid, False, False),
    "account/rate_limit_status": ("GET", rate_limit_status, False, False),
    "statuses/update": ("POST", statuses_update, False, True),
    "statuses/share": ("POST", statuses_share, False, False),
    "comments/create": ("POST", comments_create, False, True),
    "comments/reply": ("POST", comments_reply, False, True),
}
