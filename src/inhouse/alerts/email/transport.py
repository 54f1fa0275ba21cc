"""SMTP transport (smtplib). Refused login, sender or recipients are permanent; a
4xx reply or a network failure retries."""

from __future__ import annotations

import smtplib
import ssl
from typing import ClassVar

from inhouse.alerts.base import Field, Message, Transport, TransportError
from inhouse.alerts.email import payloads

SMTP_TIMEOUT = 15.0


class EmailTransport(Transport):
    kind = "email"
    label = "E-mail"
    fields: ClassVar = (
        Field("host", "SMTP host"),
        Field("port", "Port", default="465", help="465 for SSL, 587 for STARTTLS"),
        Field("security", "Security", default="ssl", help="ssl, starttls or none"),
        Field("username", "User name", required=False),
        Field("password", "Password", required=False, secret=True),
        Field("sender", "From address"),
        Field("to", "To addresses", help="comma-separated"),
    )
    # Not a service limit: mail providers flag bursts as spam; 30 a minute is plenty.
    rate_limits: ClassVar = ((30, 60.0),)

    def send(self, message: Message) -> None:
        to = payloads.recipients(self.config["to"], message.mentions)
        mail = payloads.build(message, self.config["sender"], to)
        try:
            with self._connect() as smtp:
                if self.config.get("username"):
                    smtp.login(self.config["username"], self.config.get("password", ""))
                smtp.send_message(mail, to_addrs=to)
        except smtplib.SMTPAuthenticationError as exc:
            raise self._error(f"login refused ({exc.smtp_code}); check user name and password",
                              permanent=True) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise self._error(f"recipients refused: {', '.join(exc.recipients)}",
                              permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            # 4xx is the server asking to try later; 5xx will not change on retry.
            detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(
                exc.smtp_error, bytes) else str(exc.smtp_error)
            raise self._error(f"server said {exc.smtp_code} {detail}",
                              permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise self._error(f"cannot reach the server ({type(exc).__name__}: {exc})") from None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.config["host"], int(self.config.get("port") or 465)
        security = (self.config.get("security") or "ssl").lower()
        if security == "ssl":
            return smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT,
                                    context=ssl.create_default_context())
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def _error(self, text: str, *, permanent: bool = False) -> TransportError:
        host = self.config.get("host", "")
        return TransportError(self.mask(f"E-mail via {host}: {text}"), permanent=permanent)


TRANSPORT = EmailTransport
