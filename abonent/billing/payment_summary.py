"""The payments of a period in aggregate: per currency, by source and by month, with what became of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from abonent.billing.models import ZERO, Payment, PaymentSource
from abonent.billing.selectors import CENT, MONEY_FIELD

# Money that came in; refunds went out, and credit notes are credit Abonent gave, not money received.
MONEY_IN = (PaymentSource.BANK, PaymentSource.CASH, PaymentSource.CARD, PaymentSource.PORTAL)
SOURCE_ORDER = [value for value, _label in PaymentSource.choices]


@dataclass
class Tally:
    """How many payments, for how much, and what became of them: allocated, refunded, or still credit."""

    source: str = ""  # one source's, or several sources' together when empty
    count: int = 0
    amount: Decimal = ZERO
    allocated: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(PaymentSource(self.source).label) if self.source else ""

    @property
    def money_in(self) -> bool:
        return self.source in MONEY_IN

    @property
    def unallocated(self) -> Decimal:
        """What is still the customers' credit (nothing for refunds, whose amounts are negative)."""
        return max(self.amount - self.allocated - self.refunded, ZERO)

    def add(self, other: Tally) -> None:
        self.count += other.count
        self.amount += other.amount
        self.allocated += other.allocated
        self.refunded += other.refunded


@dataclass
class MonthRow:
    month: dt.date  # its first day
    sources: dict[str, Tally] = field(default_factory=dict)
    cells: list[Tally | None] = field(default_factory=list)  # in the order of the currency's sources
    received: Tally = field(default_factory=Tally)  # the money-in sources together
    refunds: Tally = field(default_factory=Tally)

    @property
    def net(self) -> Decimal:
        """Received less what was paid back (refund amounts are negative)."""
        return self.received.amount + self.refunds.amount


@dataclass
class CurrencySummary:
    """One currency's payments over the period; its amounts are never added to another currency's."""

    currency: str
    months: list[MonthRow]
    sources: list[Tally] = field(default_factory=list)  # those it has, over the period, in PaymentSource order
    received: Tally = field(default_factory=Tally)
    refunds: Tally = field(default_factory=Tally)

    @property
    def net(self) -> Decimal:
        return self.received.amount + self.refunds.amount

    @property
    def incoming(self) -> list[Tally]:
        """The sources money came in from."""
        return [t for t in self.sources if t.money_in]

    @property
    def other_sources(self) -> list[Tally]:
        """Refunds (money paid back) and credit notes (credit given, no money)."""
        return [t for t in self.sources if not t.money_in]

    @property
    def several_in(self) -> bool:
        """Whether money came in from more than one source: only then is "Received" more than that one source."""
        return len(self.incoming) > 1


@dataclass
class PaymentSummary:
    start: dt.date
    end: dt.date  # the last day, included
    currency: str
    source: str
    currencies: list[CurrencySummary]


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from `start`'s to `end`'s, both included."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _tally(row: dict) -> Tally:
    # SQLite sums decimals into plain numbers; every amount leaves here with its cents.
    return Tally(source=row["source"], count=row["count"], **{k: Decimal(row[k] or 0).quantize(CENT)
                                        for k in ("amount", "allocated", "refunded")})


def payment_summary(*, start: dt.date, end: dt.date, currency: str = "", source: str = "") -> PaymentSummary:
    """Payments received from `start` to `end` (both included) per currency, month and source.

    One query, grouped in the database by currency, month and source; the per-source and per-currency
    totals add up those few rows, so the two tables of the report always agree.
    """
    payments = Payment.objects.filter(received_on__gte=start, received_on__lte=end)
    if currency:
        payments = payments.filter(currency=currency)
    if source:
        payments = payments.filter(source=source)
    rows = (payments.annotate(month=TruncMonth("received_on")).values("currency", "month", "source")
            .annotate(count=Count("id"), amount=Sum("amount", output_field=MONEY_FIELD),
                      allocated=Sum("allocated_amount", output_field=MONEY_FIELD),
                      refunded=Sum("refunded_amount", output_field=MONEY_FIELD))
            .order_by("currency", "month", "source"))
    summaries: dict[str, CurrencySummary] = {}
    per_source: dict[str, dict[str, Tally]] = {}
    for row in rows:
        code = row["currency"]
        if code not in summaries:
            summaries[code] = CurrencySummary(currency=code, months=[MonthRow(month=m)
                                                                     for m in months_between(start, end)])
            per_source[code] = {}
        summary, tally = summaries[code], _tally(row)
        month = summary.months[_months_apart(start, row["month"])]
        month.sources[tally.source] = tally
        per_source[code].setdefault(tally.source, Tally(source=tally.source)).add(tally)
        if tally.source in MONEY_IN:
            month.received.add(tally)
            summary.received.add(tally)
        elif tally.source == PaymentSource.REFUND:
            month.refunds.add(tally)
            summary.refunds.add(tally)
    for code, summary in summaries.items():
        summary.sources = [per_source[code][s] for s in SOURCE_ORDER if s in per_source[code]]
        for month in summary.months:
            month.cells = [month.sources.get(t.source) for t in summary.sources]
    return PaymentSummary(start=start, end=end, currency=currency, source=source,
                          currencies=[summaries[c] for c in sorted(summaries)])


def _months_apart(start: dt.date, month: dt.date) -> int:
    return (month.year - start.year) * 12 + month.month - start.month
