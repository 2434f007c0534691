"""Two workers allocating money of the same customer at once queue on the customer: nothing is paid twice."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from abonent.billing.models import ExpectedPayment, Payment
from abonent.billing.schedule_services import schedule_generate
from abonent.billing.services import payment_allocate
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import NOW, active_contract

D = Decimal


def in_threads(jobs) -> None:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_payments_allocated_at_once_never_pay_more_than_is_owed():
    contract = active_contract(start=dt.date(2026, 12, 1))  # one item of 310, in December 2026 (and later ones)
    ExpectedPayment.objects.filter(contract=contract).exclude(period_from=dt.date(2026, 12, 1)).delete()
    payments = [paid(contract.party, "200.00", allocate=False) for _ in range(4)]

    in_threads([lambda p=p: payment_allocate(payment=p, now=NOW) for p in payments])

    item = ExpectedPayment.objects.get(contract=contract)
    assert (item.paid_amount, item.status) == (D("310.00"), "paid")
    spent = sum(p.allocated_amount for p in Payment.objects.filter(party=contract.party))
    assert spent == D("310.00")


@pytest.mark.django_db(transaction=True)
def test_generating_a_schedule_twice_at_once_makes_each_period_once():
    contract = active_contract(start=dt.date(2026, 1, 1))
    ExpectedPayment.objects.filter(contract=contract).delete()

    in_threads([lambda: schedule_generate(contract=contract, now=NOW) for _ in range(3)])

    assert ExpectedPayment.objects.filter(contract=contract).count() == 14
