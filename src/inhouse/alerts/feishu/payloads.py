"""Feishu bot bodies and signature (pure). Reference §3 and the §5 test vectors.

Signing is the reverse of DingTalk: the string "ts\\nsecret" is the HMAC *key* and the
message is empty; the Base64 value goes into the JSON body, not URL-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from inhouse.alerts.base import ALL, Message, severity_label, truncate_bytes

BODY_LIMIT = 20 * 1024  # bytes of the whole request body


def sign(secret: str, timestamp_s: int | str) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def body(message: Message, *, secret: str = "", timestamp_s: int = 0,
         keyword: str = "") -> dict[str, Any]:
    title = f"[{severity_label(message.severity)}] {message.title}"
    # Keywords are checked on text and titles, not on link targets.
    if keyword and keyword not in title and keyword not in message.text:
        title = f"【{keyword}】{title}"
    last_line: list[dict[str, Any]] = []
    if message.url:
        last_line.append({"tag": "a", "text": "打开 inhouse / open the desk", "href": message.url})
    for handle in message.mentions:
        last_line.append({"tag": "at", "user_id": "all" if handle == ALL else handle})

    def build(text: str) -> dict[str, Any]:
        content = [[{"tag": "text", "text": text}]]
        if last_line:
            content.append(last_line)
        out: dict[str, Any] = {}
        if secret:
            # The official example sends the timestamp as a string.
            out = {"timestamp": str(timestamp_s), "sign": sign(secret, timestamp_s)}
        out.update({"msg_type": "post",
                    "content": {"post": {"zh_cn": {"title": title, "content": content}}}})
        return out

    result = build(message.text)
    size = len(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    if size > BODY_LIMIT:
        room = len(message.text.encode("utf-8")) - (size - BODY_LIMIT) - 64
        result = build(truncate_bytes(message.text, max(room, 0)))
    return result
