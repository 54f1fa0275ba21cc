"""The fake chat-completions server (see the package docstring)."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCE_LINE = re.compile(r"^\[(S\d+)\][^\n]*?:\s*(.+)$", re.MULTILINE)
TASK_LINE = re.compile(r"^TASK:\s*(\w+)", re.MULTILINE)


@dataclass
class Rule:
    when: str  # a regular expression searched in the last user message
    reply: str = ""
    status: int = 200
    times: int | None = None  # None: every time; n: the first n matches only
    used: int = 0

    def matches(self, text: str) -> bool:
        if self.times is not None and self.used >= self.times:
            return False
        return re.search(self.when, text) is not None


def load_script(path: str | Path) -> list[Rule]:
    """A JSON list of rules: ``[{"when": "...", "reply": "...", "status": 200, "times": 1}]``."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the script: {exc}") from None
    if not isinstance(raw, list):
        raise ValueError(f"{path}: the script must be a JSON list of rules")
    rules = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not isinstance(item.get("when"), str):
            raise ValueError(f"{path}: rule {n} needs a 'when' pattern")
        try:
            re.compile(item["when"])
        except re.error as exc:
            raise ValueError(f"{path}: rule {n}: bad pattern: {exc}") from None
        rules.append(Rule(item["when"], str(item.get("reply", "")), int(item.get("status", 200)),
                          item.get("times")))
    return rules


def grounded_answer(prompt: str) -> str:
    """What a careful model would write: the first source, cited, nothing added."""
    sources = SOURCE_LINE.findall(prompt)
    task = (TASK_LINE.search(prompt) or [None, "reply"])[1]
    if not sources:
        return "NO_ANSWER"
    label, text = sources[0]
    text = text.strip().rstrip("。")
    if task == "statement":
        return f"我们已关注到网友反映的情况：{text}[{label}]。我们正在全面核查，将第一时间公布进展。"
    if task == "summary":
        return "；".join(f"{t.strip().rstrip('。')}[{lab}]" for lab, t in sources[:5]) + "。"
    return f"您好！{text}[{label}]。"


@dataclass
class FakeChat:
    rules: list[Rule] = field(default_factory=list)
    model: str = "fake-chat-1"
    api_key: str = ""  # when set, requests must carry it
    requests: list[dict] = field(default_factory=list)  # every body received, for tests
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "POST" or not path.endswith("/chat/completions"):
            return self._json(start_response, 404, {"error": {"message": "not found"}})
        if self.api_key and environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.api_key}":
            return self._json(start_response, 401, {"error": {"message": "invalid api key"}})
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(size) or b"{}")
            messages = body["messages"]
            prompt = next(m["content"] for m in reversed(messages) if m.get("role") == "user")
        except (ValueError, KeyError, TypeError, StopIteration):
            return self._json(start_response, 400, {"error": {"message": "bad request body"}})
        with self._lock:
            self.requests.append(body)
            rule = next((r for r in self.rules if r.matches(prompt)), None)
            if rule is not None:
                rule.used += 1
        if rule is not None and rule.status != 200:
            return self._json(start_response, rule.status, {"error": {"message": "scripted"}})
        text = rule.reply if rule is not None else grounded_answer(prompt)
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in messages) // 2
        return self._json(start_response, 200, {
            "id": f"fake-{len(self.requests)}", "object": "chat.completion",
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(text) // 2,
                      "total_tokens": prompt_tokens + len(text) // 2}})

    @staticmethod
    def _json(start_response, status: int, payload: Any) -> list[bytes]:
        data = json.dumps(payload, ensure_ascii=False).encode()
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
                  429: "Too Many Requests", 500: "Internal Server Error",
                  503: "Service Unavailable"}.get(status, "Error")
        start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                              ("Content-Length", str(len(data)))])
        return [data]
