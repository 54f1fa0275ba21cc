"""DingTalk custom robot transport: signed URL when a secret is set, errors from the body."""

from __future__ import annotations

from typing import ClassVar

from inhouse.alerts.base import Field, Message, Transport, code_error, json_body
from inhouse.alerts.dingtalk import payloads

_CONFIG = "check the robot's security settings (keyword, signing secret, IP whitelist)"
# errcode -> (advice, permanent|retry, retry_after seconds); reference §2.
CODES: dict[int, tuple[str, str, float | None]] = {
    310000: (f"keyword, timestamp, signature or IP refused; {_CONFIG}", "permanent", None),
    300001: ("the access token or a parameter is invalid; paste the robot's URL again",
             "permanent", None),
    300005: ("the access token does not exist; paste the robot's URL again", "permanent", None),
    # Over 20/min DingTalk throttles the robot for 10 minutes.
    130101: ("over 20 messages a minute; the robot is throttled for 10 minutes", "retry", 600.0),
}


class DingTalkTransport(Transport):
    kind = "dingtalk"
    label = "DingTalk"
    fields: ClassVar = (
        Field("url", "Webhook URL", secret=True,
              help="https://oapi.dingtalk.com/robot/send?access_token=…"),
        Field("secret", "Signing secret", required=False, secret=True,
              help="SEC… — set when the robot uses 加签 signing"),
        Field("keyword", "Keyword", required=False,
              help="one of the robot's custom keywords, added to titles that lack it"),
    )
    rate_limits: ClassVar = ((20, 60.0),)

    def send(self, message: Message) -> None:
        url = self.config["url"]
        if self.config.get("secret"):
            url = payloads.signed_url(url, self.config["secret"], int(self.clock() * 1000))
        body = payloads.body(message, self.config.get("keyword", ""))
        answer = json_body(self, self.post(url, json=body))
        if answer.get("errcode") != 0:
            raise code_error(self, answer.get("errcode"), answer.get("errmsg", ""), CODES)


TRANSPORT = DingTalkTransport
