"""A local stand-in for Fio banka's REST API on 127.0.0.1: the tests' bank, never the real one.

It answers /last/{token}/transactions.json with the saved answer once, then with no movements (as the
real API does, having moved its mark), /periods/... with the saved answer, and 409 when a token asks
again within `min_interval` seconds.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FioStub:
    def __init__(self, answer: bytes, *, token: str, min_interval: float = 30.0) -> None:
        self.answer, self.token, self.min_interval = answer, token, min_interval
        self.requests: list[str] = []
        self.downloaded = False
        self._last: dict[str, float] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                stub.requests.append(self.path)
                status, body = stub.answer_for(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/rest"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer_for(self, path: str) -> tuple[int, bytes]:
        match = re.match(r"^/v1/rest/(last|periods)/([^/]+)/(?:[\d-]+/[\d-]+/)?transactions\.json$", path)
        if not match:
            return 404, b"{}"
        kind, token = match.groups()
        if token != self.token:
            return 500, b"{}"
        now = time.monotonic()
        if token in self._last and now - self._last[token] < self.min_interval:
            return 409, b"{}"
        self._last[token] = now
        if kind == "last" and self.downloaded:
            empty = json.loads(self.answer)
            empty["accountStatement"]["transactionList"] = {"transaction": []}
            info = empty["accountStatement"]["info"]  # no movements: the balance did not move
            info["openingBalance"] = info["closingBalance"]
            return 200, json.dumps(empty).encode()
        self.downloaded = self.downloaded or kind == "last"
        return 200, self.answer

    def __enter__(self) -> FioStub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
