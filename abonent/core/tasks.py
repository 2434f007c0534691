"""The worker's start: like each web worker (abonent/wsgi.py), it freezes what it has loaded."""

from __future__ import annotations

from huey.contrib.djhuey import on_startup

from abonent.core.runtime import heap_freeze


@on_startup()
def worker_heap_freeze() -> None:
    heap_freeze()
