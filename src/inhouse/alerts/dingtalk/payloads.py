"""DingTalk robot bodies and signature (pure). Reference §2 and the §5 test vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from typing import Any

from inhouse.alerts.base import ALL, Message, is_mobile, severity_label, truncate_bytes

# No size limit is documented (reference §6); stay well under what robots accept in practice.
TEXT_LIMIT = 4000


def sign(secret: str, timestamp_ms: int | str) -> str:
    """The ``sign`` query value: HMAC-SHA256(key=secret, msg="ts\\nsecret"), Base64, URL-encoded."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    # Appended as text: the value is already URL-encoded and must reach DingTalk as is.
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def body(message: Message, keyword: str = "") -> dict[str, Any]:
    mobiles = [m for m in message.mentions if is_mobile(m)]
    userids = [m for m in message.mentions if not is_mobile(m) and m != ALL]
    title = message.title
    # A robot with custom keywords drops messages lacking one (310000): carry it in the title.
    if keyword and keyword not in title and keyword not in message.text:
        title = f"【{keyword}】{title}"
    lines = [f"### {title}", f"**{severity_label(message.severity)}**", "",
             truncate_bytes(message.text, TEXT_LIMIT)]
    if message.url:
        lines += ["", f"[打开 inhouse / open the desk]({message.url})"]
    # The highlight in the group needs the @handle written in the text as well.
    handles = [f"@{m}" for m in mobiles + userids]
    if handles:
        lines += ["", " ".join(handles)]
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": "\n".join(lines)},
        "at": {"atMobiles": mobiles, "atUserIds": userids, "isAtAll": ALL in message.mentions},
    }
