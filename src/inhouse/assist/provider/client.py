"""A small client for the OpenAI-compatible ``POST {base}/chat/completions``.

Timeouts and retries (jittered backoff on 429, 5xx and network errors) are here; the daily
token budget is the caller's (``inhouse.assist.budget``), because it lives in the database.
The API key is sent only in the Authorization header and never logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from inhouse.assist.provider.errors import AIUnavailable

log = logging.getLogger(__name__)
RETRYABLE = {408, 409, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class ProviderConfig:
    base_url: str  # e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1
    model: str
    api_key: str = ""
    timeout: float = 30.0
    max_attempts: int = 3

    def __repr__(self) -> str:  # never show the key in a traceback or log line
        return f"ProviderConfig(base_url={self.base_url!r}, model={self.model!r})"


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class ChatClient:
    config: ProviderConfig
    transport: httpx.BaseTransport | None = None  # tests hand in the fake's WSGI transport
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def complete(self, messages: Sequence[dict], *, max_tokens: int = 600,
                 temperature: float = 0.2) -> Completion:
        body = {"model": self.config.model, "messages": list(messages),
                "max_tokens": max_tokens, "temperature": temperature, "stream": False}
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        last: AIUnavailable | None = None
        with httpx.Client(timeout=self.config.timeout, transport=self.transport) as http:
            for attempt in range(1, self.config.max_attempts + 1):
                try:
                    response = http.post(url, json=body, headers=headers)
                except httpx.TimeoutException as exc:
                    last = AIUnavailable(AIUnavailable.TIMEOUT, type(exc).__name__)
                except httpx.TransportError as exc:
                    last = AIUnavailable(AIUnavailable.NETWORK, type(exc).__name__)
                else:
                    if response.status_code == 200:
                        return self._read(response)
                    last = AIUnavailable(AIUnavailable.HTTP, f"HTTP {response.status_code}")
                    if response.status_code not in RETRYABLE:
                        raise last
                if attempt < self.config.max_attempts:
                    delay = self.rng.uniform(0.5, 1.0) * min(8.0, 2 ** (attempt - 1))
                    log.warning("AI provider attempt %d failed (%s); retrying in %.1fs",
                                attempt, last, delay)
                    self.sleep(delay)
        assert last is not None
        raise last

    def _read(self, response: httpx.Response) -> Completion:
        try:
            data = response.json()
            text = data["choices"][0]["message"]["content"]
            usage = data.get("usage") or {}
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise AIUnavailable(AIUnavailable.BAD_ANSWER, type(exc).__name__) from None
        if not isinstance(text, str):
            raise AIUnavailable(AIUnavailable.BAD_ANSWER, "content is not text")
        return Completion(text.strip(), str(data.get("model") or self.config.model),
                          int(usage.get("prompt_tokens") or 0),
                          int(usage.get("completion_tokens") or 0))
