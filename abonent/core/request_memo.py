"""Values read once per request.

Inside a request the first reading of a key is kept until the request ends, so that a page built from several
parts (a list, its group tree, its filter menus) reads a settings row or a list of people once. Outside a
request (the worker, the shell, tests calling services) every call reads again, so a change made elsewhere is
never missed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from asgiref.local import Local
from django.core.signals import request_finished, request_started

T = TypeVar("T")

_request = Local()


def request_memo(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, once per request for each key."""
    memo: dict[Hashable, Any] | None = getattr(_request, "memo", None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def request_memo_forget(key: Hashable) -> None:
    """Drop what this request read for `key` (the record behind it has just changed)."""
    memo: dict[Hashable, Any] | None = getattr(_request, "memo", None)
    if memo is not None:
        memo.pop(key, None)


def _request_began(**kwargs: Any) -> None:
    _request.memo = {}


def _request_ended(**kwargs: Any) -> None:
    _request.memo = None


request_started.connect(_request_began, dispatch_uid="core.request_memo.started")
request_finished.connect(_request_ended, dispatch_uid="core.request_memo.finished")
