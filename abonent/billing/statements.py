"""Reads for the customer's statements: the account over a period, and the arrears on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from abonent.billing.models import ZERO, ExpectedPayment, Payment
from abonent.billing.selectors import BUCKETS
from abonent.customers.models import Party


@dataclass(frozen=True)
class StatementLine:
    day: dt.date
    item: ExpectedPayment | None  # an item falling due, or
    payment: Payment | None  # money received (or refunded)
    reference: str
    charged: Decimal  # what the customer was asked to pay (an item falling due)
    paid: Decimal  # what they paid (negative for a refund)
    balance: Decimal  # after this line: positive in credit, negative owing


@dataclass
class Statement:
    party: Party
    currency: str
    start: dt.date
    end: dt.date  # exclusive
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening

    @property
    def charged(self) -> Decimal:
        return sum((line.charged for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)


def _balance_before(party: Party, currency: str, day: dt.date) -> Decimal:
    paid = Payment.objects.filter(party=party, currency=currency, received_on__lt=day).aggregate(
        total=Sum("amount"))["total"] or ZERO
    charged = ExpectedPayment.objects.live().filter(party=party, currency=currency, due_date__lt=day).aggregate(
        total=Sum("amount"))["total"] or ZERO
    return paid - charged


def party_statement(*, party: Party, currency: str, start: dt.date, end: dt.date) -> Statement:
    """Items falling due and money received in [start, end), in date order, with the running balance."""
    statement = Statement(party=party, currency=currency, start=start, end=end,
                          opening=_balance_before(party, currency, start))
    entries = []
    items = (ExpectedPayment.objects.live().filter(party=party, currency=currency, due_date__gte=start,
                                                   due_date__lt=end).select_related("contract"))
    for item in items:
        entries.append((item.due_date, 0, item.pk, item, None, item.reference, item.amount, ZERO))
    for payment in Payment.objects.filter(party=party, currency=currency, received_on__gte=start,
                                          received_on__lt=end):
        entries.append((payment.received_on, 1, payment.pk, None, payment, payment.reference, ZERO, payment.amount))
    balance = statement.opening
    for day, _kind, _pk, item, payment, reference, charged, paid in sorted(entries, key=lambda e: e[:3]):
        balance += paid - charged
        statement.lines.append(StatementLine(day=day, item=item, payment=payment, reference=reference,
                                             charged=charged, paid=paid, balance=balance))
    return statement


@dataclass(frozen=True)
class ArrearsLine:
    item: ExpectedPayment
    days: int
    bucket: str


def party_arrears(*, party: Party, on: dt.date) -> list[ArrearsLine]:
    """The customer's items past due on day `on` and still (partly) unpaid, oldest first."""
    lines = []
    for item in ExpectedPayment.objects.open().filter(party=party, due_date__lt=on).select_related("contract") \
            .order_by("currency", "due_date", "id"):
        days = (on - item.due_date).days
        bucket = BUCKETS[1] if days <= 30 else BUCKETS[2] if days <= 60 else BUCKETS[3] if days <= 90 else BUCKETS[4]
        lines.append(ArrearsLine(item=item, days=days, bucket=bucket))
    return lines


def party_currencies(party: Party) -> list[str]:
    """The currencies the customer was ever billed or paid in."""
    billed = set(ExpectedPayment.objects.filter(party=party).values_list("currency", flat=True).distinct())
    paid = set(Payment.objects.filter(party=party).values_list("currency", flat=True).distinct())
    return sorted(billed | paid)
