"""The alert e-mail (pure): severity in the subject so mail filters can sort it."""

from __future__ import annotations

from email.message import EmailMessage

from inhouse.alerts.base import Message, severity_label


def recipients(configured: str, mentions: tuple[str, ...]) -> list[str]:
    """Configured addresses plus mentioned ones (escalation to a person by e-mail)."""
    listed = [a.strip() for a in configured.replace(";", ",").split(",") if a.strip()]
    return list(dict.fromkeys(listed + [m for m in mentions if "@" in m.strip("@")]))


def build(message: Message, sender: str, to: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = f"[inhouse][{severity_label(message.severity)}] {message.title}"
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    text = message.text
    if message.url:
        text += f"\n\n打开 inhouse / open the desk: {message.url}"
    mail.set_content(text + "\n\n-- \nsent by inhouse\n")
    return mail
