"""Matching bank lines to the payments Abonent expects: a state, an explanation and a confidence per line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from abonent.banking.models import BankStatementLine, MatchState


@dataclass
class MatchOutcome:
    matched: int = 0
    suggested: int = 0
    unmatched: int = 0
    ignored: int = 0


def lines_match(*, lines: Sequence[BankStatementLine], by: Any, channel: str, now: dt.datetime) -> MatchOutcome:
    """Match new lines, set-based: money out is set aside, money in is left for matching."""
    outcome = MatchOutcome()
    outgoing = [line.pk for line in lines if line.amount < 0]
    if outgoing:
        BankStatementLine.objects.filter(pk__in=outgoing).update(
            state=MatchState.IGNORED, explanation=_("Money out: not a customer's payment."), confidence=100)
    outcome.ignored = len(outgoing)
    outcome.unmatched = len(lines) - outcome.ignored - outcome.matched - outcome.suggested
    return outcome
