"""What every channel shares: the message, the error, the transport contract, masking."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

import httpx

DEFAULT_TIMEOUT = 10.0


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Message:
    """One alert as the team should read it, whatever the channel.

    ``mentions`` are channel-specific handles: a mobile number or user id for WeCom and
    DingTalk, an ``ou_…`` open id for Feishu, an address for e-mail; ``"@all"`` means everyone.
    """

    title: str
    text: str
    severity: Severity | str = Severity.WARNING
    url: str = ""
    mentions: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["mentions"] = list(self.mentions)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        return cls(
            title=str(data.get("title", "")),
            text=str(data.get("text", "")),
            severity=str(data.get("severity", Severity.WARNING)),
            url=str(data.get("url", "")),
            mentions=tuple(data.get("mentions", ()) or ()),
        )

    def with_mentions(self, extra: Iterable[str]) -> Message:
        merged = tuple(dict.fromkeys((*self.mentions, *extra)))
        return Message(self.title, self.text, self.severity, self.url, merged)


class TransportError(Exception):
    """A send failed. ``permanent`` means retrying cannot help (wrong key, bad signature,
    keyword missing): the channel switches itself off with this message as the reason.
    ``retry_after`` is the wait, in seconds, the service asked for (rate limits)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Field:
    """One configuration field of a channel kind, for forms and validation."""

    name: str
    label: str
    required: bool = True
    secret: bool = False  # encrypted at rest, never shown back, masked in errors
    help: str = ""
    default: str = ""


class Transport:
    """The contract of a channel kind. Subclasses set the class attributes and ``send``."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    # (count, seconds) windows, all of which must hold; from the service's documentation.
    rate_limits: ClassVar[tuple[tuple[int, float], ...]] = ()

    def __init__(
        self,
        config: Mapping[str, Any],
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.config = dict(config)
        self.client = client
        self.clock = clock
        missing = [f.name for f in self.fields if f.required and not str(config.get(f.name, "")).strip()]
        if missing:
            raise ValueError(f"{self.label or self.kind}: missing {', '.join(missing)}")

    @property
    def secrets(self) -> list[str]:
        return [str(self.config[f.name]) for f in self.fields if f.secret and self.config.get(f.name)]

    def mask(self, text: str) -> str:
        return mask(text, self.secrets)

    def send(self, message: Message) -> None:
        raise NotImplementedError

    # --- HTTP helpers shared by the JSON bots ----------------------------------------------

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST and turn network failures into retryable, masked TransportErrors."""
        _LOGGED_SECRETS.update(self.secrets)
        client = self.client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        try:
            return client.post(url, **kwargs)
        except httpx.HTTPError as exc:
            # httpx messages may carry the URL, which is the credential: mask it.
            raise TransportError(
                self.mask(f"{self.label}: network error ({type(exc).__name__}: {exc})")
            ) from None
        finally:
            if self.client is None:
                client.close()

    def http_status_error(self, response: httpx.Response) -> TransportError | None:
        """The error for a non-2xx status, or None. 429/5xx retry; other 4xx are permanent."""
        status = response.status_code
        if status < 300:
            return None
        text = f"{self.label}: HTTP {status} {self.mask(response.text[:200])}"
        if status == 429 or status == 408 or status >= 500:
            return TransportError(text, retry_after=retry_after_header(response))
        return TransportError(text, permanent=True)


def retry_after_header(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def json_body(transport: Transport, response: httpx.Response) -> dict[str, Any]:
    """The JSON object a bot answered, or a TransportError: 200 alone never means delivered.

    A JSON answer is returned whatever the status (Feishu sends its 9499 with HTTP 400), so
    the caller classifies by the service's own code first."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    error = transport.http_status_error(response)
    if error is not None:
        raise error
    raise TransportError(
        f"{transport.label}: the answer is not a JSON object "
        f"({transport.mask(response.text[:120])!r}); is the webhook URL right?"
    )


def code_error(
    transport: Transport, code: Any, msg: Any, codes: Mapping[int, tuple[str, str, float | None]]
) -> TransportError:
    """The error for a bot's non-zero business code. ``codes`` maps a code to (advice,
    "permanent" | "retry", retry_after); an unknown code retries, bounded by the caller."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = -1
    advice, kind, retry_after = codes.get(number, ("unknown code; will retry", "retry", None))
    text = f"{transport.label} answered {code} {transport.mask(str(msg))[:160]!r}: {advice}"
    return TransportError(text, permanent=kind == "permanent", retry_after=retry_after)


# Credentials that may sit in a URL: WeCom key, DingTalk access_token and sign, Feishu hook id.
_URL_SECRETS = re.compile(r"((?:key|access_token|sign|token)=)[^&\s\"']+|(/hook/)[A-Za-z0-9_-]+")


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every credential-looking URL part replaced."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return _URL_SECRETS.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


# Secret values transports have used in this process, so the log filter can hide a generic
# webhook URL too (it has no recognisable credential part).
_LOGGED_SECRETS: set[str] = set()


class _MaskCredentialsFilter(logging.Filter):
    """httpx logs every request URL at INFO; bot URLs carry their credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask(str(a), _LOGGED_SECRETS) if isinstance(a, httpx.URL | str) else a
                for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = mask(record.msg, _LOGGED_SECRETS)
        return True


def _install_log_filter() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _MaskCredentialsFilter) for f in logger.filters):
        logger.addFilter(_MaskCredentialsFilter())


_install_log_filter()


_MOBILE = re.compile(r"^\+?\d{6,15}$")
ALL = "@all"


def is_mobile(handle: str) -> bool:
    return bool(_MOBILE.match(handle))


def truncate_bytes(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, on a character boundary."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(ellipsis.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + ellipsis


SEVERITY_LABELS = {"critical": "严重 critical", "warning": "警告 warning", "info": "提示 info"}


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(str(severity), str(severity))
