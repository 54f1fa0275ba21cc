"""Local receivers for the transports: a tiny HTTP server and a tiny SMTP server, each on
127.0.0.1 in a thread, recording what arrived so tests can check body and signature.

The SMTP stub exists because the stdlib ``smtpd`` left in Python 3.12 and ``aiosmtpd`` is
not a dependency; it speaks just enough of RFC 5321 for smtplib (EHLO, AUTH PLAIN, MAIL,
RCPT, DATA, QUIT).
"""

from __future__ import annotations

import base64
import json
import re
import socketserver
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message as MailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    path: str
    query: dict[str, str]
    raw_query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


# A responder looks at the request and returns (status, JSON-able body).
Responder = Callable[[Request], tuple[int, Any]]


class HttpReceiver:
    def __init__(self, responder: Responder):
        self.responder = responder
        self.requests: list[Request] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length", 0))
                request = Request(
                    path=parsed.path,
                    query=dict(urllib.parse.parse_qsl(parsed.query)),
                    raw_query=parsed.query,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                )
                outer.requests.append(request)
                status, answer = outer.responder(request)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HttpReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    data: bytes
    auth: tuple[str, str] | None

    @property
    def message(self) -> MailMessage:
        return message_from_bytes(self.data, policy=default_policy)


@dataclass
class SmtpBehaviour:
    password: str | None = None  # when set, AUTH PLAIN must carry it
    refuse_rcpt: set[str] = field(default_factory=set)
    data_reply: str = "250 OK queued"


def _address(line: str) -> str:
    match = re.search(r"<([^>]*)>", line)
    return match.group(1) if match else ""


class SmtpReceiver:
    def __init__(self, behaviour: SmtpBehaviour | None = None):
        self.behaviour = behaviour or SmtpBehaviour()
        self.mails: list[Mail] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                b = outer.behaviour
                sender, rcpts, auth = "", [], None
                self.reply("220 stub ESMTP")
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    line = raw.decode().rstrip("\r\n")
                    verb = line.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-stub\r\n250-AUTH PLAIN\r\n250 8BITMIME")
                    elif verb == "HELO":
                        self.reply("250 stub")
                    elif verb == "AUTH":
                        _, user, password = base64.b64decode(line.split()[2]).split(b"\0")
                        auth = (user.decode(), password.decode())
                        ok = b.password is None or auth[1] == b.password
                        self.reply("235 ok" if ok else "535 5.7.8 bad credentials")
                    elif verb == "MAIL":
                        sender, rcpts = _address(line), []
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        rcpt = _address(line)
                        if rcpt in b.refuse_rcpt:
                            self.reply("550 no such user")
                        else:
                            rcpts.append(rcpt)
                            self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 go on")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        if b.data_reply.startswith("250"):
                            outer.mails.append(Mail(sender, rcpts, data, auth))
                        self.reply(b.data_reply)
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self) -> SmtpReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
