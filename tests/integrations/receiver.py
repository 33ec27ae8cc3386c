"""A real webhook receiver on loopback for the tests: an HTTP server in a thread that records
every request it gets and checks its signature with the sample of docs/api.md itself (read
from the page, so the page's code is what the tests prove).

`answers` are the status codes of the next requests (then 200), `delays` the seconds it
waits before answering them (a slow receiver); `port` may be reserved before the receiver
starts, so a subscription can point at a receiver that is down for a while."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def documented_verifier():
    """`verified(secret, headers, body)` as docs/api.md's "Verifying a delivery" writes it."""
    page = API_DOC.read_text(encoding="utf-8")
    section = page[page.index("**Verifying a delivery.**") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 — the repository's own documentation
    return namespace["verified"]


verified = documented_verifier()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool  # the signature matched the receiver's secret

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def delivery(self) -> str:
        return self.headers["X-Desk-Delivery"]


class Receiver:
    def __init__(self, secret: str = "", port: int | None = None):
        self.secret, self.port = secret, port or free_port()
        self.requests: list[Received] = []
        self.answers: list[int] = []
        self.delays: list[float] = []
        self.server = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/desk-hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                with receiver.lock:
                    receiver.requests.append(
                        Received(self.path, headers, body, verified(receiver.secret, headers, body))
                    )
                    delay = receiver.delays.pop(0) if receiver.delays else 0
                    status = receiver.answers.pop(0) if receiver.answers else 200
                time.sleep(delay)  # the slow receiver: the desk's timeout is shorter
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok" if status < 300 else b"no")
                except OSError:
                    pass  # the desk gave up waiting and closed the connection

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
