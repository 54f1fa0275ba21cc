"""WeCom robot bodies (pure). Markdown for colour and links; text when a mention needs a
mobile number or @all, which markdown cannot carry (reference §1)."""

from __future__ import annotations

from typing import Any

from inhouse.alerts.base import ALL, Message, is_mobile, severity_label, truncate_bytes

TEXT_LIMIT = 2048  # bytes of text.content
MARKDOWN_LIMIT = 4096  # bytes of markdown.content (over → 40058)
_COLOURS = {"critical": "warning", "warning": "warning", "info": "info"}


def body(message: Message) -> dict[str, Any]:
    mobiles = [m for m in message.mentions if is_mobile(m) or m == ALL]
    userids = [m for m in message.mentions if not is_mobile(m) and m != ALL]
    if mobiles:
        return text_body(message, userids, mobiles)
    return markdown_body(message, userids)


def text_body(message: Message, userids: list[str], mobiles: list[str]) -> dict[str, Any]:
    lines = [f"[{severity_label(message.severity)}] {message.title}", message.text]
    if message.url:
        lines.append(message.url)
    text: dict[str, Any] = {"content": truncate_bytes("\n".join(lines), TEXT_LIMIT)}
    if userids:
        text["mentioned_list"] = userids
    if mobiles:
        text["mentioned_mobile_list"] = ["@all" if m == ALL else m for m in mobiles]
    return {"msgtype": "text", "text": text}


def markdown_body(message: Message, userids: list[str]) -> dict[str, Any]:
    colour = _COLOURS.get(str(message.severity), "comment")
    tail = []
    if message.url:
        tail.append(f"[打开 inhouse / open the desk]({message.url})")
    tail.extend(f"<@{u}>" for u in userids)
    head = f"## {message.title}\n> <font color=\"{colour}\">{severity_label(message.severity)}</font>\n"
    end = ("\n" + "\n".join(tail)) if tail else ""
    # Cut the free text, never the links and mentions after it.
    room = MARKDOWN_LIMIT - len((head + end).encode("utf-8"))
    content = head + truncate_bytes(message.text, max(room, 0)) + end
    return {"msgtype": "markdown", "markdown": {"content": content}}
