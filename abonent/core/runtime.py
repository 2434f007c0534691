"""Process-wide settings of a long-running Abonent process (the web server's workers, the job worker)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def heap_freeze() -> None:
    """Move every object alive now out of the garbage collector's sight, once the process has loaded.

    Django, the apps, the URL map and the templates' compiled code live as long as the process; without this
    the collector's full passes scan all of them again and again, and the request that happens to trigger one
    takes tens of milliseconds longer (the free-slot search's p95 went from ~215 ms to ~160 ms;
    docs/benchmarks.md). New objects are collected as before.
    """
    gc.collect()
    gc.freeze()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic garbage collection inside the block: for a bulk job that builds a large tree of objects.

    The collector starts a pass every few hundred allocations, and its full passes walk every object alive:
    while a 10,000-line bank statement's 600,000 XML elements are alive, seven full passes cost half a
    second of the import's five. Objects without cycles are freed as always (reference counting); what has
    cycles waits for the first pass after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
