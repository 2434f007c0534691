"""Allocating payments: partial, several items, credit used later, unmatching, refunds, one customer only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from abonent.billing.models import Allocation, ExpectedPayment, ItemStatus, Payment, PaymentSource
from abonent.billing.schedule_services import schedule_generate
from abonent.billing.selectors import expected_payment_by_reference, open_items_for, party_credit
from abonent.billing.services import (
    BillingError,
    allocation_add,
    allocation_remove,
    payment_record,
    payment_refund,
)
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import NOW, ProductFactory, active_contract
from abonent.core.models import AuditEntry, ClosedPeriod
from abonent.core.services import PeriodClosedError

pytestmark = pytest.mark.django_db

D = Decimal


def statuses(party, n=4):
    return [(i.paid_amount, i.status) for i in ExpectedPayment.objects.filter(party=party).order_by("due_date")[:n]]


def test_a_payment_smaller_than_the_oldest_item_pays_it_partly():
    contract = active_contract()

    paid(contract.party, "100.00")

    assert statuses(contract.party, 2) == [(D("100.00"), ItemStatus.PARTLY_PAID), (D("0.00"), ItemStatus.OPEN)]


def test_one_payment_pays_several_items_oldest_due_first():
    contract = active_contract()

    payment = paid(contract.party, "700.00")

    assert statuses(contract.party, 3) == [(D("310.00"), "paid"), (D("310.00"), "paid"), (D("80.00"), "partly_paid")]
    assert payment.allocated_amount == D("700.00")
    assert AuditEntry.objects.filter(action="abonent.billing.payment.allocated", subject_id=str(contract.party.pk)
                                     ).count() == 3


def test_an_overpayment_stays_as_credit_and_pays_the_next_items_when_they_are_generated():
    contract = active_contract(start=dt.date(2026, 1, 1))
    open_total = sum(i.outstanding for i in open_items_for(contract.party))  # 14 months of 310

    paid(contract.party, str(open_total + D("500.00")))
    assert party_credit(contract.party) == {"CZK": D("500.00")}

    schedule_generate(contract=contract, until=dt.date(2027, 5, 1), now=NOW)

    assert party_credit(contract.party) == {}
    april_2027, march_2027 = ExpectedPayment.objects.filter(contract=contract).order_by("-due_date")[:2]
    assert (march_2027.status, april_2027.paid_amount) == (ItemStatus.PAID, D("190.00"))


def test_a_payment_quoting_a_contracts_reference_pays_that_contract_first():
    older = active_contract(start=dt.date(2026, 1, 1))
    newer = active_contract(party=older.party, start=dt.date(2026, 2, 1))

    paid(older.party, "310.00", reference=newer.variable_symbol)

    assert ExpectedPayment.objects.get(contract=newer, period_from=dt.date(2026, 2, 1)).status == ItemStatus.PAID
    assert ExpectedPayment.objects.get(contract=older, period_from=dt.date(2026, 1, 1)).status == ItemStatus.OPEN


def test_unmatching_makes_the_item_owed_again_and_the_money_credit():
    contract = active_contract()
    payment = paid(contract.party, "310.00")
    allocation = Allocation.objects.get(payment=payment)

    allocation_remove(allocation=allocation, by=None, now=NOW, reason="Wrong customer")

    payment.refresh_from_db()
    assert payment.unallocated == D("310.00")
    assert statuses(contract.party, 1) == [(D("0.00"), ItemStatus.OPEN)]
    entry = AuditEntry.objects.get(action="abonent.billing.allocation.removed")
    assert (entry.subject_id, entry.note) == (str(contract.party.pk), "Wrong customer")


def test_an_unallocated_payment_can_be_refunded_once():
    contract = active_contract()
    payment = paid(contract.party, "500.00", allocate=False)

    refund = payment_refund(payment=payment, amount=D("200.00"), by=None, now=NOW)

    assert (refund.amount, refund.source, refund.refund_of) == (D("-200.00"), PaymentSource.REFUND, payment)
    assert party_credit(contract.party) == {"CZK": D("300.00")}
    with pytest.raises(BillingError):
        payment_refund(payment=payment, amount=D("300.01"), by=None, now=NOW)


def test_a_payment_never_pays_another_customers_item():
    mine, theirs = active_contract(), active_contract()
    payment = paid(mine.party, "310.00", allocate=False)
    their_item = ExpectedPayment.objects.filter(contract=theirs).first()

    with pytest.raises(BillingError):
        allocation_add(payment=payment, expected_payment=their_item, by=None, now=NOW)


def test_the_database_itself_refuses_an_allocation_across_two_customers():
    mine, theirs = active_contract(), active_contract()
    payment = paid(mine.party, "310.00", allocate=False)
    their_item = ExpectedPayment.objects.filter(contract=theirs).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(payment=payment, expected_payment=their_item, amount=D("1.00"), created_at=NOW)


def test_the_database_refuses_moving_an_allocation_to_another_customers_item():
    mine, theirs = active_contract(), active_contract()
    payment = paid(mine.party, "310.00", allocate=False)
    my_item = ExpectedPayment.objects.filter(contract=mine).first()
    their_item = ExpectedPayment.objects.filter(contract=theirs).first()
    allocation = Allocation.objects.create(payment=payment, expected_payment=my_item, amount=D("1.00"), created_at=NOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(expected_payment=their_item)


def test_one_wrong_allocation_among_many_written_at_once_refuses_them_all():
    mine, theirs = active_contract(), active_contract()
    payment = paid(mine.party, "620.00", allocate=False)
    my_items = list(ExpectedPayment.objects.filter(contract=mine).order_by("due_date")[:2])
    their_item = ExpectedPayment.objects.filter(contract=theirs).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.bulk_create([
            Allocation(payment=payment, expected_payment=item, amount=D("1.00"), created_at=NOW)
            for item in (*my_items, their_item)])

    assert not Allocation.objects.filter(payment=payment).exists()


def test_manual_allocation_takes_no_more_than_the_item_still_owes():
    contract = active_contract()
    payment = paid(contract.party, "1000.00", allocate=False)
    item = ExpectedPayment.objects.filter(contract=contract).order_by("due_date")[2]

    with pytest.raises(BillingError):
        allocation_add(payment=payment, expected_payment=item, amount=D("310.01"), by=None, now=NOW)
    allocation = allocation_add(payment=payment, expected_payment=item, by=None, now=NOW)

    assert allocation.amount == D("310.00")


def test_a_payment_in_another_currency_stays_credit():
    contract = active_contract()

    payment = paid(contract.party, "20.00", currency="EUR")

    assert payment.allocated_amount == D("0.00")
    assert party_credit(contract.party) == {"EUR": D("20.00")}


def test_payments_in_a_closed_period_are_refused():
    contract = active_contract()
    ClosedPeriod.objects.create(active_from=dt.date(2026, 1, 1), active_to=dt.date(2026, 2, 1), domain="billing",
                                closed_at=NOW)

    with pytest.raises(PeriodClosedError):
        payment_record(party=contract.party, amount=D("1.00"), currency="CZK", received_on=dt.date(2026, 1, 5),
                       source=PaymentSource.CASH, by=None, now=NOW)


def test_a_reference_finds_the_contracts_oldest_open_item_with_or_without_leading_zeros():
    contract = active_contract()
    first = ExpectedPayment.objects.filter(contract=contract).order_by("due_date").first()

    assert expected_payment_by_reference(contract.variable_symbol) == first
    assert expected_payment_by_reference(contract.variable_symbol.zfill(10)) == first
    assert expected_payment_by_reference(contract.creditor_reference.lower()) == first
    assert expected_payment_by_reference("999") is None


def test_a_reference_of_a_fully_paid_contract_still_names_its_customer():
    contract = active_contract(products=[ProductFactory(price=D("310.00"))])
    paid(contract.party, "4340.00")  # all 14 items

    found = expected_payment_by_reference(contract.variable_symbol)

    assert found is not None and found.party == contract.party and found.status == ItemStatus.PAID


def test_payments_never_float():
    contract = active_contract()

    with pytest.raises(TypeError):
        payment_record(party=contract.party, amount=1.5, currency="CZK", received_on=dt.date(2026, 1, 5),
                       source=PaymentSource.CASH, by=None, now=NOW)
    assert not Payment.objects.exists()


def test_a_refund_just_after_local_midnight_is_dated_the_local_day_and_checked_against_its_period():
    contract = active_contract()
    payment = paid(contract.party, "500.00", allocate=False)
    # 1 April 2026, 00:30 in Prague is still 31 March in UTC.
    after_midnight = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
    ClosedPeriod.objects.create(active_from=dt.date(2026, 3, 1), active_to=dt.date(2026, 4, 1), closed_at=NOW)

    refund = payment_refund(payment=payment, amount=D("100.00"), by=None, now=after_midnight)

    assert refund.received_on == dt.date(2026, 4, 1)
