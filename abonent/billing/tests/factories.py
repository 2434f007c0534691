"""Payments for tests, recorded the way the UI records them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from abonent.billing.models import Payment, PaymentSource
from abonent.billing.services import payment_allocate, payment_record
from abonent.contracts.tests.factories import NOW


def paid(party, amount: str, *, on: dt.date = dt.date(2026, 1, 20), currency: str = "CZK", reference: str = "",
         allocate: bool = True, now: dt.datetime = NOW) -> Payment:
    """Record a bank payment from the customer and allocate it (oldest due first)."""
    payment = payment_record(party=party, amount=Decimal(amount), currency=currency, received_on=on,
                             source=PaymentSource.BANK, reference=reference, by=None, now=now)
    if allocate:
        payment_allocate(payment=payment, now=now)
        payment.refresh_from_db()
    return payment
