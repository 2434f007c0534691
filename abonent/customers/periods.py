"""Effective-dated rows [active_from, active_to): which one is in force, and where a new one ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Period(Protocol):
    active_from: dt.date
    active_to: dt.date | None


P = TypeVar("P", bound=Period)


def period_in_force(periods: Sequence[P], on: dt.date) -> P | None:
    """The period that covers day `on`, if any (they never overlap)."""
    return next((p for p in periods if p.active_from <= on and (p.active_to is None or on < p.active_to)), None)


def period_end_for_new(periods: Sequence[P], active_from: dt.date) -> dt.date | None:
    """Where a period starting on `active_from` must end so as not to overlap the ones there are.

    It takes the end of the period it interrupts, or stops where the next planned period starts.
    """
    current = period_in_force(periods, active_from)
    if current is not None:
        return current.active_to
    later = [p.active_from for p in periods if p.active_from > active_from]
    return min(later) if later else None
