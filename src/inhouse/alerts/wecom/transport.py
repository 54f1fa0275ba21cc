"""WeCom group robot transport: POST to the webhook URL; the key in it is the credential."""

from __future__ import annotations

from typing import ClassVar

from inhouse.alerts.base import Field, Message, Transport, code_error, json_body
from inhouse.alerts.wecom import payloads

# errcode -> (advice, permanent|retry, retry_after seconds); reference §1.
CODES: dict[int, tuple[str, str, float | None]] = {
    93000: ("the webhook key is wrong or the robot was removed; paste the robot's URL again",
            "permanent", None),
    40058: ("a parameter is invalid (content too long or bad key)", "permanent", None),
    40008: ("invalid message type", "permanent", None),
    44004: ("empty content", "permanent", None),
    45009: ("over 20 messages a minute; retrying after the minute", "retry", 60.0),
}


class WeComTransport(Transport):
    kind = "wecom"
    label = "WeCom"
    fields: ClassVar = (
        Field("url", "Webhook URL", secret=True,
              help="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"),
    )
    rate_limits: ClassVar = ((20, 60.0),)

    def send(self, message: Message) -> None:
        response = self.post(self.config["url"], json=payloads.body(message))
        answer = json_body(self, response)
        if answer.get("errcode") != 0:
            raise code_error(self, answer.get("errcode"), answer.get("errmsg", ""), CODES)


TRANSPORT = WeComTransport
