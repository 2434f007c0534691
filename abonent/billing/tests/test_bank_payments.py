"""Bank payments recorded in bulk follow the same rules as one by one."""

import datetime as dt
from decimal import Decimal

import pytest

from abonent.billing.bank_payments import BankPaymentEntry, bank_payments_record
from abonent.billing.models import ExpectedPayment, ItemStatus, Payment
from abonent.billing.services import BillingError
from abonent.contracts.tests.factories import NOW, active_contract
from abonent.core.models import AuditEntry
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 1, 20)


def items(contract):
    return list(ExpectedPayment.objects.filter(contract=contract).order_by("due_date"))


def test_a_payment_pays_the_oldest_items_and_leaves_the_rest_as_credit():
    contract = active_contract()
    [payment_id] = bank_payments_record(entries=[BankPaymentEntry(
        party_id=contract.party.pk, amount=D("700.00"), currency="CZK", received_on=DAY)], now=NOW)

    payment = Payment.objects.get(pk=payment_id)
    assert payment.allocated_amount == D("700.00")
    first, second, third = items(contract)[:3]
    assert (first.status, second.status) == (ItemStatus.PAID, ItemStatus.PAID)
    assert third.paid_amount == D("80.00") and third.status == ItemStatus.PARTLY_PAID


def test_the_item_chosen_by_hand_is_paid_first_then_the_named_contract():
    first = active_contract()
    party = first.party
    other = active_contract(party=party)
    chosen = items(other)[2]

    bank_payments_record(entries=[BankPaymentEntry(
        party_id=party.pk, amount=D("620.00"), currency="CZK", received_on=DAY, contract_id=first.pk,
        item_id=chosen.pk)], now=NOW)

    chosen.refresh_from_db()
    assert chosen.status == ItemStatus.PAID
    assert items(first)[0].status == ItemStatus.PAID
    assert items(other)[0].status == ItemStatus.OPEN


def test_each_payment_is_audited_on_the_customers_history_with_the_items_it_paid():
    contract = active_contract()
    [payment_id] = bank_payments_record(entries=[BankPaymentEntry(
        party_id=contract.party.pk, amount=D("310.00"), currency="CZK", received_on=DAY, reference="123")], now=NOW)

    entry = AuditEntry.objects.get(action="abonent.billing.payment.recorded")
    assert (entry.target_id, entry.subject_id) == (str(payment_id), str(contract.party.pk))
    assert entry.changes["allocated"] == [None, [f"{items(contract)[0].pk}: 310.00"]]


def test_a_merged_customer_is_refused_and_nothing_is_recorded():
    survivor, duplicate = PartyFactory(), PartyFactory()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into"])

    with pytest.raises(BillingError, match="merged"):
        bank_payments_record(entries=[BankPaymentEntry(
            party_id=duplicate.pk, amount=D("10.00"), currency="CZK", received_on=DAY)], now=NOW)

    assert not Payment.objects.exists()
