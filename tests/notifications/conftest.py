"""A local HTTP server standing in for the chat services' incoming-webhook endpoints.

It listens on 127.0.0.1 (an ephemeral port), records every request and answers what the
test queued (status and JSON), else success in every provider's dialect.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from notifications.models import ChatWebhook

SUCCESS = {"code": 0, "msg": "success", "errcode": 0, "errmsg": "ok"}


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class ChatServer:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.answers: deque[tuple[int, str]] = deque()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                with server.lock:
                    server.requests.append(
                        Received(
                            method="POST",
                            path=parts.path,
                            query={k: v[0] for k, v in parse_qs(parts.query).items()},
                            headers={k.lower(): v for k, v in self.headers.items()},
                            body=self.rfile.read(length),
                        )
                    )
                    status, text = server.answers.popleft() if server.answers else (200, json.dumps(SUCCESS))
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/hook") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def answer(self, status: int = 200, body: dict | str | None = None, *, times: int = 1) -> None:
        """Queue the next answer(s); without any, the server answers success."""
        text = body if isinstance(body, str) else json.dumps(SUCCESS if body is None else body)
        for _ in range(times):
            self.answers.append((status, text))

    def start(self) -> ChatServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def chat_server():
    server = ChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def make_webhook(chat_server, org):
    """A chat bot pointing at the local server (everyone, the kinds given)."""

    def _make(provider=ChatWebhook.Provider.GENERIC, *, kinds=("general",), unit=None, secret="", name=None, **more):
        return ChatWebhook.objects.create(
            name=name or f"{provider} bot {ChatWebhook.objects.count() + 1}",
            provider=provider,
            url=more.pop("url", None) or chat_server.url(f"/{provider}"),
            secret=secret,
            unit=unit,
            kinds=list(kinds),
            created_by=org.hr.user,
            **more,
        )

    return _make
