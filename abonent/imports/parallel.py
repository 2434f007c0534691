"""Checking rows in a helper process while the worker writes the previous batch.

Checking a row (phone numbers, e-mails, tax IDs, IBANs) is pure Python and takes about as long as writing it,
so on a machine with more than one core the worker hands the next batch to a helper process and writes the
current one meanwhile. The helpers are started once per worker process ("spawn": a fresh interpreter that
sets up Django itself, so no lock or connection of the worker's threads is inherited) and reused by every
job; small jobs and the tests check rows in the worker itself.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor

from django.conf import settings
from django.utils import translation

from abonent.imports.cleaning import RowCleaner, RowPlan
from abonent.imports.helper import django_setup
from abonent.imports.models import cells_split

_pool: Executor | None = None
_pool_lock = threading.Lock()
checked_by_helpers = 0  # batches whose checks came back from a helper (tests look at it)


def rows_clean(cleaner: RowCleaner, language: str, rows: Sequence[tuple[int, int, str]]
               ) -> list[tuple[int, RowPlan]]:
    """Check staged rows (id, number, joined cells); return (id, plan) in the same order.

    The cleaner travels to the helper with its reference data (reps, statuses, attributes), so a helper never
    opens a database connection.
    """
    with translation.override(language):
        return [(row_id, cleaner.clean(number, cells_split(cells))) for row_id, number, cells in rows]


def helpers() -> Executor | None:
    """The worker process's helper pool, started on first use; None when rows are checked in the worker."""
    global _pool
    count = settings.IMPORT_HELPERS
    if count <= 0:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=django_setup)
        return _pool


class Checking:
    """Rows being checked: by a helper (a future), or by the worker itself when asked for the result."""

    def __init__(self, future: Future | None, cleaner: RowCleaner, language: str,
                 rows: Sequence[tuple[int, int, str]]) -> None:
        self.future, self.cleaner, self.language, self.rows = future, cleaner, language, rows
        self._plans: list[tuple[int, RowPlan]] | None = None

    def result(self) -> list[tuple[int, RowPlan]]:
        """The plans, checked once (asked again, the same list)."""
        if self._plans is None:
            self._plans = self._check()
        return self._plans

    def _check(self) -> list[tuple[int, RowPlan]]:
        global checked_by_helpers
        if self.future is not None:
            try:
                plans = self.future.result()
                checked_by_helpers += 1
                return plans
            except BrokenExecutor:
                helpers_reset()  # a helper died (killed, out of memory): the worker checks these rows itself
        return rows_clean(self.cleaner, self.language, self.rows)


def helpers_reset() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def clean_later(executor: Executor | None, cleaner: RowCleaner, language: str,
                rows: Sequence[tuple[int, int, str]]) -> Checking:
    """Start checking rows in a helper when there is one; the result is read when the batch is written."""
    future = None
    if executor is not None and rows:
        try:
            future = executor.submit(rows_clean, cleaner, language, list(rows))
        except (BrokenExecutor, RuntimeError):
            helpers_reset()
    return Checking(future, cleaner, language, rows)
