"""Feishu / Lark custom bot transport; success is ``code == 0`` (or legacy ``StatusCode``)."""

from __future__ import annotations

from typing import ClassVar

from inhouse.alerts.base import Field, Message, Transport, code_error, json_body
from inhouse.alerts.feishu import payloads

# code -> (advice, permanent|retry, retry_after seconds); reference §3.
CODES: dict[int, tuple[str, str, float | None]] = {
    9499: ("the request was malformed (Bad Request)", "permanent", None),
    19021: ("signature refused or clock over an hour off; check the signing secret and the "
            "server clock", "permanent", None),
    19022: ("this server's IP is not in the bot's whitelist", "permanent", None),
    19024: ("no keyword of the bot's security settings in the message; set the keyword",
            "permanent", None),
    11232: ("frequency limited; retrying with back-off", "retry", 60.0),
}


class FeishuTransport(Transport):
    kind = "feishu"
    label = "Feishu"
    fields: ClassVar = (
        Field("url", "Webhook URL", secret=True,
              help="https://open.feishu.cn/open-apis/bot/v2/hook/…"),
        Field("secret", "Signing secret", required=False, secret=True,
              help="set when the bot uses 签名校验"),
        Field("keyword", "Keyword", required=False,
              help="one of the bot's custom keywords, added to titles that lack it"),
    )
    rate_limits: ClassVar = ((100, 60.0), (5, 1.0))

    def send(self, message: Message) -> None:
        body = payloads.body(
            message,
            secret=self.config.get("secret", ""),
            timestamp_s=int(self.clock()),
            keyword=self.config.get("keyword", ""),
        )
        answer = json_body(self, self.post(self.config["url"], json=body))
        code = answer.get("code", answer.get("StatusCode"))
        if code != 0:
            msg = answer.get("msg", answer.get("StatusMessage", ""))
            raise code_error(self, code, msg, CODES)


TRANSPORT = FeishuTransport
