"""The payment schedule: periods, proration, due dates, and what happens when the contract changes."""

import datetime as dt
from decimal import Decimal

import pytest

from abonent.billing.models import ExpectedPayment, ItemKind, ItemStatus, Payment, PaymentSource
from abonent.billing.schedule_services import schedule_generate, schedules_extend
from abonent.billing.tests.factories import paid
from abonent.contracts.models import BillingPeriod, DueRule
from abonent.contracts.services import (
    contract_change,
    contract_line_add,
    contract_line_change,
    contract_terminate,
)
from abonent.contracts.tests.factories import NOW, ProductFactory, active_contract
from abonent.core.models import ClosedPeriod

pytestmark = pytest.mark.django_db

D = Decimal


def schedule(contract, kind=ItemKind.PERIOD):
    return [
        (i.period_from, i.period_to, i.due_date, i.amount, i.status)
        for i in ExpectedPayment.objects.filter(contract=contract, kind=kind).order_by("period_from", "id")
    ]


def live(contract):
    return [row for row in schedule(contract) if row[4] != ItemStatus.CANCELLED]


def test_a_monthly_contract_asks_for_each_calendar_month_on_its_payment_day():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)

    rows = live(contract)

    assert len(rows) == 14  # January 2026 to February 2027: the horizon is twelve months from March
    assert rows[0] == (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 1, 15), D("310.00"), "open")
    assert rows[-1][:2] == (dt.date(2027, 2, 1), dt.date(2027, 3, 1))


def test_the_first_period_is_prorated_by_days_and_due_on_the_next_payment_day():
    contract = active_contract(start=dt.date(2026, 3, 20), payment_day=15)

    first = live(contract)[0]

    # 12 of March's 31 days at 310 a month; the 15th of March is before the start, so April's 15th
    assert first == (dt.date(2026, 3, 20), dt.date(2026, 4, 1), dt.date(2026, 4, 15), D("120.00"), "open")


def test_a_payment_day_past_the_months_end_falls_on_its_last_day():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=31)

    due = [row[2] for row in live(contract)[:4]]

    assert due == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]


def test_in_arrears_the_period_is_due_after_it_ends():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=10, due_rule=DueRule.ARREARS)

    assert live(contract)[0][2] == dt.date(2026, 2, 10)


def test_a_quarterly_contract_bills_calendar_quarters_at_three_monthly_prices():
    contract = active_contract(start=dt.date(2026, 2, 1), billing_period=BillingPeriod.QUARTERLY)

    rows = live(contract)

    # February and March of the first quarter: 59 of its 90 days of 930
    assert rows[0][:2] == (dt.date(2026, 2, 1), dt.date(2026, 4, 1))
    assert rows[0][3] == D("609.67")
    assert rows[1][:4] == (dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 4, 15), D("930.00"))


def test_a_yearly_product_on_a_monthly_contract_costs_a_twelfth_a_month():
    product = ProductFactory(price=D("1200.00"), billing_period=BillingPeriod.YEARLY)

    contract = active_contract(products=[product], start=dt.date(2026, 1, 1))

    assert {row[3] for row in live(contract)} == {D("100.00")}


def test_a_one_off_product_is_charged_with_the_period_its_line_starts_in():
    setup = ProductFactory(price=D("990.00"), billing_period=BillingPeriod.ONE_OFF)

    contract = active_contract(products=[ProductFactory(), setup], start=dt.date(2026, 1, 1))

    assert [row[3] for row in live(contract)[:2]] == [D("1300.00"), D("310.00")]


def test_generating_again_changes_nothing():
    contract = active_contract(start=dt.date(2026, 1, 10))
    before = schedule(contract)

    change = schedule_generate(contract=contract, now=NOW)

    assert change.nothing
    assert schedule(contract) == before


def test_a_later_horizon_adds_the_next_periods_only():
    contract = active_contract(start=dt.date(2026, 1, 1))

    change = schedule_generate(contract=contract, until=dt.date(2027, 5, 1), now=NOW)

    assert change.created == 2
    assert live(contract)[-1][:2] == (dt.date(2027, 4, 1), dt.date(2027, 5, 1))


def test_a_price_change_mid_period_bills_each_part_of_an_unpaid_period_at_its_price():
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()

    contract_line_change(by=None, line=line, quantity=D(1), unit_price=D("620.00"), discount_percent=D(0),
                         active_from=dt.date(2026, 3, 17), now=NOW)

    march = [row for row in live(contract) if row[0] == dt.date(2026, 3, 1)][0]
    # 16 days at 310/31 a day, 15 days at 620/31 a day
    assert march[3] == D("460.00")
    assert live(contract)[3][3] == D("620.00")


def test_a_paid_period_is_never_changed_a_price_rise_asks_for_the_difference():
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "310.00")  # January

    contract_line_change(by=None, line=contract.lines.get(), quantity=D(2), unit_price=D("310.00"),
                         discount_percent=D(0), active_from=dt.date(2026, 1, 1), now=NOW)

    january = ExpectedPayment.objects.get(contract=contract, kind=ItemKind.PERIOD, period_from=dt.date(2026, 1, 1))
    assert (january.amount, january.status) == (D("310.00"), ItemStatus.PAID)
    adjustment = ExpectedPayment.objects.get(contract=contract, kind=ItemKind.ADJUSTMENT)
    assert (adjustment.adjusts, adjustment.amount, adjustment.due_date) == (january, D("310.00"), NOW.date())
    assert live(contract)[1][3] == D("620.00")  # February was not paid: changed in place


def test_adjusting_twice_keeps_one_adjustment_and_generation_stays_idempotent():
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "310.00")
    line = contract.lines.get()
    contract_line_change(by=None, line=line, quantity=D(2), unit_price=D("310.00"), discount_percent=D(0),
                         active_from=dt.date(2026, 1, 1), now=NOW)

    contract_line_change(by=None, line=line, quantity=D(3), unit_price=D("310.00"), discount_percent=D(0),
                         active_from=dt.date(2026, 1, 1), now=NOW)

    adjustments = ExpectedPayment.objects.filter(contract=contract, kind=ItemKind.ADJUSTMENT)
    assert [a.amount for a in adjustments] == [D("620.00")]
    assert schedule_generate(contract=contract, now=NOW).nothing


def test_termination_prorates_the_last_period_and_cancels_the_later_unpaid_ones():
    contract = active_contract(start=dt.date(2026, 1, 1))

    contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 6, 11), reason="Moving abroad", now=NOW)

    rows = live(contract)
    assert rows[-1] == (dt.date(2026, 6, 1), dt.date(2026, 6, 11), dt.date(2026, 6, 15), D("103.33"), "open")
    assert len(rows) == 6
    assert ExpectedPayment.objects.filter(contract=contract, status=ItemStatus.CANCELLED).count() == 8


def test_termination_of_paid_periods_gives_the_customer_a_credit_note_and_leaves_the_items():
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "930.00")  # January to March

    contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 2, 15), reason="Price", now=NOW)

    rows = live(contract)
    assert [(r[3], r[4]) for r in rows] == [(D("310.00"), "paid"), (D("310.00"), "paid"), (D("310.00"), "paid")]
    credits = Payment.objects.filter(party=contract.party, source=PaymentSource.CREDIT_NOTE).order_by("id")
    # half of February (14 of 28 days) and all of March come back as credit
    assert [c.amount for c in credits] == [D("155.00"), D("310.00")]
    assert schedule_generate(contract=contract, now=NOW).nothing


def test_a_structure_discount_is_applied_after_the_lines_own_discount(discount_at):
    contract = active_contract(start=dt.date(2026, 1, 1))
    contract_line_change(by=None, line=contract.lines.get(), quantity=D(1), unit_price=D("310.00"),
                         discount_percent=D(10), active_from=dt.date(2026, 1, 1), now=NOW)

    discount_at(contract.party, percent=D(5), active_from=dt.date(2026, 2, 1))
    schedule_generate(contract=contract, now=NOW)

    # 310 − 10 % = 279; then − 5 % = 265.05
    assert [row[3] for row in live(contract)[:2]] == [D("279.00"), D("265.05")]


def test_a_new_payment_day_moves_the_items_not_yet_due_and_leaves_the_past_due_ones():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)

    contract_change(by=None, contract=contract, values={"payment_day": 25}, now=NOW)  # on 2 March

    # January and February were due before the change: their due dates are the customer's arrears history.
    assert [row[2] for row in live(contract)[:4]] == [
        dt.date(2026, 1, 15), dt.date(2026, 2, 15), dt.date(2026, 3, 25), dt.date(2026, 4, 25)]
    assert schedule_generate(contract=contract, now=NOW).nothing


def test_an_earlier_payment_day_never_moves_an_item_into_the_past():
    contract = active_contract(start=dt.date(2026, 1, 1), payment_day=15)

    contract_change(by=None, contract=contract, values={"payment_day": 1}, now=NOW)  # on 2 March

    assert [row[2] for row in live(contract)[1:4]] == [dt.date(2026, 2, 15), dt.date(2026, 3, 2), dt.date(2026, 4, 1)]
    later = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    assert schedule_generate(contract=contract, now=later).nothing


def test_items_due_in_a_closed_period_are_not_changed():
    contract = active_contract(start=dt.date(2026, 1, 1))
    ClosedPeriod.objects.create(active_from=dt.date(2026, 1, 1), active_to=dt.date(2026, 2, 1), domain="billing",
                                closed_at=NOW)

    contract_line_add(by=None, contract=contract, product=ProductFactory(price=D("31.00")),
                      active_from=dt.date(2026, 1, 1), now=NOW)

    january = live(contract)[0]
    assert january[3] == D("310.00")
    assert ExpectedPayment.objects.get(contract=contract, kind=ItemKind.ADJUSTMENT).amount == D("31.00")


def test_the_nightly_job_extends_every_running_schedule_and_leaves_long_ended_ones():
    running = active_contract(start=dt.date(2026, 1, 1))
    ended = active_contract(start=dt.date(2024, 1, 1))
    contract_terminate(by=None, contract=ended, end_date=dt.date(2024, 6, 1), reason="Moved", now=NOW)
    before = ExpectedPayment.objects.filter(contract=ended).count()

    changed = schedules_extend(now=dt.datetime(2026, 6, 2, 1, 0, tzinfo=dt.UTC))

    assert changed == 1
    assert live(running)[-1][:2] == (dt.date(2027, 5, 1), dt.date(2027, 6, 1))
    assert ExpectedPayment.objects.filter(contract=ended).count() == before
