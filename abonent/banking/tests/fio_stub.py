"""A local stand-in for Fio banka's REST API on 127.0.0.1: the tests' bank, never the real one.

It keeps the saved answer's movements and, per the documented API, a mark: /last/{token}/transactions.json
answers the movements after the mark (those that have `arrived`) and moves the mark past them;
/set-last-id/{token}/{id}/ puts the mark just after that movement and /set-last-date/{token}/{yyyy-mm-dd}/
after the last movement of that day, both answering 200 with an empty body; /periods/... answers the saved
answer as it is. Every request counts: a token asking again within `min_interval` seconds gets 409.

`damage_next` spoils the next /last/ answer (the mark moves all the same, as the bank believes it sent
them): "cut" sends its first half only, a transfer broken off; "drop" leaves its last movement out but
keeps the balances of the whole.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REQUEST = re.compile(r"^/v1/rest/(?:(last)/([^/]+)/transactions\.json"
                     r"|(periods)/([^/]+)/[\d-]+/[\d-]+/transactions\.json"
                     r"|(set-last-id)/([^/]+)/(\d+)/|(set-last-date)/([^/]+)/(\d{4}-\d{2}-\d{2})/)$")


class FioStub:
    def __init__(self, answer: bytes, *, token: str, min_interval: float = 30.0) -> None:
        self.answer, self.token, self.min_interval = answer, token, min_interval
        self.document = json.loads(answer, parse_float=Decimal)
        self.movements = self.document["accountStatement"]["transactionList"]["transaction"]
        self.arrived = len(self.movements)
        self.mark = 0  # how many movements lie behind the mark
        self.damage_next = ""
        self.requests: list[str] = []
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
        match = REQUEST.match(path)
        if not match:
            return 404, b"{}"
        kind, token, *arguments = (part for part in match.groups() if part is not None)
        if token != self.token:
            return 500, b"{}"
        now = time.monotonic()
        if token in self._last and now - self._last[token] < self.min_interval:
            return 409, b"{}"
        self._last[token] = now
        if kind == "periods":
            return 200, self.answer
        if kind == "set-last-id":
            ids = [str(_value(movement, 22)) for movement in self.movements]
            if arguments[0] not in ids:
                return 404, b""
            self.mark = ids.index(arguments[0]) + 1
            return 200, b""
        if kind == "set-last-date":
            day = dt.date.fromisoformat(arguments[0])
            self.mark = sum(1 for movement in self.movements if _day(movement) <= day)
            return 200, b""
        start, self.mark = self.mark, max(self.mark, self.arrived)
        return 200, self._movements(start, self.mark)

    def _movements(self, start: int, end: int) -> bytes:
        """The answer with the movements start..end, its balances those before and after them."""
        document = copy.deepcopy(self.document)
        info = document["accountStatement"]["info"]
        amounts = [_value(movement, 1) for movement in self.movements]
        info["openingBalance"] += sum(amounts[:start], Decimal(0))
        info["closingBalance"] = info["openingBalance"] + sum(amounts[start:end], Decimal(0))
        sent = self.movements[start:end]
        damage, self.damage_next = self.damage_next, ""
        if damage == "drop":
            sent = sent[:-1]
        document["accountStatement"]["transactionList"] = {"transaction": sent}
        body = json.dumps(document, default=float).encode()
        return body[: len(body) // 2] if damage == "cut" else body

    def __enter__(self) -> FioStub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _value(movement: dict, column: int) -> object:
    return movement[f"column{column}"]["value"]


def _day(movement: dict) -> dt.date:
    return dt.date.fromisoformat(str(_value(movement, 0))[:10])
