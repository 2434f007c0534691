"""Balances per customer and contract, and arrears aging, as the days go by."""

import datetime as dt
from decimal import Decimal

import pytest

from abonent.billing.selectors import aging, aging_by_party, contract_balances, party_balances
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import active_contract

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_customer_owes_what_is_due_and_unpaid_and_is_credited_with_unused_money():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)
    paid(contract.party, "400.00")

    [balance] = party_balances(contract.party, on=dt.date(2026, 3, 20))

    # January, February and March are due (930); 400 paid
    assert (balance.currency, balance.billed, balance.paid, balance.due_unpaid) == ("CZK", D("930.00"), D("400.00"),
                                                                                   D("530.00"))
    assert balance.balance == D("-530.00")
    assert contract_balances(contract, on=dt.date(2026, 3, 20))[0].due_unpaid == D("530.00")


def test_aging_puts_each_open_amount_in_its_bucket():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)

    [row] = aging(on=dt.date(2026, 5, 20), party=contract.party)

    # due 15 Jan (125 days), 15 Feb (94), 15 Mar (66), 15 Apr (35), 15 May (5), the rest later
    assert (row.days_over_90, row.days_61_90, row.days_31_60, row.days_1_30) == (
        D("620.00"), D("310.00"), D("310.00"), D("310.00"))
    assert row.not_due == D("310.00") * 9
    assert row.total == D("310.00") * 14


def test_an_item_due_today_is_not_overdue_yet():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)

    [row] = aging(on=dt.date(2026, 1, 15), party=contract.party)

    assert row.overdue == D("0.00")


def test_aging_per_customer_lists_the_most_overdue_first():
    small = active_contract(start=dt.date(2026, 3, 1))
    big = active_contract(start=dt.date(2026, 1, 1))

    rows = aging_by_party(on=dt.date(2026, 4, 1))

    assert [r.party for r in rows] == [big.party, small.party]
    assert [r.overdue for r in rows] == [D("930.00"), D("310.00")]
