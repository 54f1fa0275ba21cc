"""Generic webhook transport: any 2xx is delivered; 408/429/5xx retry; other 4xx are permanent."""

from __future__ import annotations

from typing import ClassVar

from inhouse.alerts.base import Field, Message, Transport
from inhouse.alerts.webhook import payloads


class WebhookTransport(Transport):
    kind = "webhook"
    label = "Webhook"
    fields: ClassVar = (
        # The whole URL is treated as a secret: many receivers put their token in the path.
        Field("url", "URL", secret=True, help="https://… receiving a JSON POST"),
        Field("secret", "Signing secret", required=False, secret=True,
              help="HMAC-SHA256 key for the X-Inhouse-Signature header"),
    )
    # Not a service limit: our own ceiling so a storm cannot flood the receiver.
    rate_limits: ClassVar = ((60, 60.0),)

    def send(self, message: Message) -> None:
        timestamp = int(self.clock())
        content = payloads.body_bytes(message, timestamp)
        headers = payloads.headers(content, self.config.get("secret", ""), timestamp)
        response = self.post(self.config["url"], content=content, headers=headers)
        error = self.http_status_error(response)
        if error is not None:
            raise error


TRANSPORT = WebhookTransport
