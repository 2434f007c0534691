"""Demo payments: most customers pay on time, some fell behind a few months, a few stopped paying long ago.

Most months are paid by bank transfer, a few in cash or by card at the counter.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from abonent.billing.models import ExpectedPayment, ItemStatus, Payment, PaymentSource
from abonent.billing.services import payment_allocate, payment_record
from abonent.contracts.references import reference_for_country
from abonent.core.models import Channel
from abonent.customers.models import Party

# How long ago each kind of payer stopped paying (days), and how often customers are of that kind.
BEHAVIOURS = [("on_time", 0, 0.72), ("late", 45, 0.18), ("stopped", 130, 0.10)]
# How often a month is paid at the counter (cash or card) instead of by bank transfer.
COUNTER_SHARE = 0.06


def _behaviour(rng: random.Random) -> tuple[str, int]:
    roll, total = rng.random(), 0.0
    for name, days, share in BEHAVIOURS:
        total += share
        if roll < total:
            return name, days
    return BEHAVIOURS[0][0], BEHAVIOURS[0][1]


def demo_payments_load(*, now: dt.datetime) -> str:
    """Pay the demo customers' due items as their kind of payer would; customers with payments are left alone."""
    today = timezone.localdate(now)
    parties = (Party.objects.filter(external_ref__startswith="demo-", expected_payments__isnull=False,
                                    payments__isnull=True).distinct().order_by("external_ref"))
    payments = 0
    for party in parties:
        rng = random.Random(f"payments-{party.external_ref}")
        # A generator of its own, so the bank payments stay what they were before counter payments were added.
        counter = random.Random(f"counter-{party.external_ref}")
        _kind, stopped = _behaviour(rng)
        until = today - dt.timedelta(days=stopped)
        items = (ExpectedPayment.objects.filter(party=party, due_date__lte=until)
                 .exclude(status=ItemStatus.CANCELLED).select_related("contract").order_by("due_date"))
        by_month: dict[tuple[int, int], list[ExpectedPayment]] = defaultdict(list)
        for item in items:
            by_month[(item.due_date.year, item.due_date.month)].append(item)
        with transaction.atomic():
            for month_items in by_month.values():
                amount = sum((i.amount for i in month_items), Decimal(0))
                if rng.random() < 0.08:
                    amount = (amount / 2).quantize(Decimal("0.01"))  # paid only half that month
                contract = month_items[0].contract
                received = min(today, month_items[0].due_date + dt.timedelta(days=rng.randint(-3, 6)))
                reference = reference_for_country(country=party.country, variable_symbol=contract.variable_symbol,
                                                  creditor_reference=contract.creditor_reference)
                if counter.random() < COUNTER_SHARE:
                    source = counter.choice([PaymentSource.CASH, PaymentSource.CARD])
                    payment = payment_record(
                        party=party, amount=amount, currency=contract.currency, received_on=received, source=source,
                        reference=reference, note=f"Receipt {counter.randint(1000, 9999)}", by=None,
                        channel=Channel.SYSTEM, now=now)
                else:
                    payment = payment_record(
                        party=party, amount=amount, currency=contract.currency, received_on=received,
                        source=PaymentSource.BANK, reference=reference, counterparty_account=party.iban,
                        counterparty_name=party.name, by=None, channel=Channel.IMPORT, now=now)
                payment_allocate(payment=payment, now=now)
                payments += 1
    return f"{payments} payments, {Payment.objects.filter(party__external_ref__startswith='demo-').count()} in all"
