"""E-mail over SMTP, against a local SMTP stub: content, recipients, login, refusals."""

from __future__ import annotations

import socket

import pytest

from inhouse.alerts import TransportError
from inhouse.alerts.email.transport import EmailTransport
from tests.alerts.receiver import SmtpBehaviour, SmtpReceiver


def config(port: int, **extra: str) -> dict[str, str]:
    return {"host": "127.0.0.1", "port": str(port), "security": "none",
            "sender": "alerts@xiaolu.example", "to": "pr@xiaolu.example, ops@xiaolu.example",
            **extra}


def test_the_alert_arrives_with_severity_in_the_subject_and_the_link(message):
    with SmtpReceiver() as rx:
        EmailTransport(config(rx.port)).send(message.with_mentions(["boss@xiaolu.example"]))
    (mail,) = rx.mails
    assert mail.sender == "alerts@xiaolu.example"
    assert mail.recipients == ["pr@xiaolu.example", "ops@xiaolu.example", "boss@xiaolu.example"]
    parsed = mail.message
    assert parsed["Subject"] == "[inhouse][严重 critical] 小鹿零食 负面声量突增"
    body = parsed.get_content()
    assert "37 条负面评论" in body and message.url in body


def test_login_uses_the_configured_credentials(message):
    with SmtpReceiver(SmtpBehaviour(password="pw-1")) as rx:
        EmailTransport(config(rx.port, username="alerts", password="pw-1")).send(message)
    assert rx.mails[0].auth == ("alerts", "pw-1")


def test_a_refused_login_is_permanent_and_does_not_show_the_password(message):
    with SmtpReceiver(SmtpBehaviour(password="right")) as rx:
        with pytest.raises(TransportError, match="login refused") as info:
            EmailTransport(config(rx.port, username="alerts", password="wrongpw")).send(message)
    assert info.value.permanent and "wrongpw" not in str(info.value)


def test_refused_recipients_are_permanent(message):
    refused = {"pr@xiaolu.example", "ops@xiaolu.example"}
    with SmtpReceiver(SmtpBehaviour(refuse_rcpt=refused)) as rx:
        with pytest.raises(TransportError, match="recipients refused") as info:
            EmailTransport(config(rx.port)).send(message)
    assert info.value.permanent


@pytest.mark.parametrize(("reply", "permanent"), [("451 try later", False),
                                                  ("554 rejected as spam", True)])
def test_server_replies_to_data_are_classified(message, reply, permanent):
    with SmtpReceiver(SmtpBehaviour(data_reply=reply)) as rx:
        with pytest.raises(TransportError) as info:
            EmailTransport(config(rx.port)).send(message)
    assert info.value.permanent is permanent


def test_an_unreachable_server_is_retryable(message):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransportError, match="cannot reach") as info:
        EmailTransport(config(port)).send(message)
    assert not info.value.permanent
