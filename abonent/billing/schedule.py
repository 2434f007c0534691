"""The payment schedule a contract should have: one item per billing period, computed, not stored.

Rules (docs/contracts-and-billing.md explains them to users):

- Periods follow the calendar: months, calendar quarters (January, April, July, October) or calendar years,
  whatever day the contract starts.
- The first and the last period are prorated by days: a contract starting on 20 March pays 12/31 of
  March; one ending (exclusive) on 11 June pays 10/30 of June. The same holds inside a period for a line
  or a discount starting or ending in it: each day is billed at the price in force that day.
- A product's price is per its own billing period and converted to the contract's: a monthly price on a
  quarterly contract counts three times, a yearly price on a monthly contract one twelfth.
- A one-off product is charged in full with the period in which its line starts.
- Each item's amount is rounded once, half up, to the cent.
- Due date: in advance, the first payment day on or after the period's first day; in arrears, the first
  payment day on or after the day after the period. A payment day beyond the month's end means its last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from abonent.contracts.models import PERIOD_MONTHS, BillingPeriod, Contract, ContractLine, DueRule
from abonent.contracts.pricing import DiscountSpan, line_price, to_cents

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PlannedItem:
    period_from: dt.date
    period_to: dt.date
    due_date: dt.date
    amount: Decimal


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def slot_start(day: dt.date, months: int) -> dt.date:
    """The first day of the calendar month, quarter or year that holds `day`."""
    index = day.year * 12 + day.month - 1
    index -= index % months
    return dt.date(index // 12, index % 12 + 1, 1)


def payment_day_on_or_after(day: dt.date, payment_day: int) -> dt.date:
    """The first day on or after `day` that is the payment day of its month (or that month's last day)."""
    for month_start in (dt.date(day.year, day.month, 1), add_months(day, 1)):
        last = calendar.monthrange(month_start.year, month_start.month)[1]
        candidate = month_start.replace(day=min(payment_day, last))
        if candidate >= day:
            return candidate
    raise AssertionError("unreachable: the next month always has a payment day")  # pragma: no cover


def due_date_for(contract: Contract, period_from: dt.date, period_to: dt.date) -> dt.date:
    start = period_from if contract.due_rule == DueRule.ADVANCE else period_to
    return payment_day_on_or_after(start, contract.payment_day)


def _in_force(line: ContractLine, on: dt.date) -> bool:
    return line.active_from <= on and (line.active_to is None or on < line.active_to)


def _period_amount(
    *, lines: Sequence[ContractLine], spans: Sequence[DiscountSpan], months: int, slot: tuple[dt.date, dt.date],
    period: tuple[dt.date, dt.date],
) -> Decimal:
    slot_days = (slot[1] - slot[0]).days
    start, end = period
    cuts = {start, end}
    for row in (*lines, *spans):
        for day in (row.active_from, row.active_to):
            if day is not None and start < day < end:
                cuts.add(day)
    days = sorted(cuts)
    amount = Decimal(0)
    for seg_start, seg_end in zip(days, days[1:], strict=False):
        rate = Decimal(0)
        for line in lines:
            product_months = PERIOD_MONTHS[line.product.billing_period]
            if product_months and _in_force(line, seg_start):
                rate += line_price(line, spans=list(spans), on=seg_start) * months / product_months
        amount += rate * (seg_end - seg_start).days / slot_days
    for line in lines:
        if line.product.billing_period == BillingPeriod.ONE_OFF and start <= line.active_from < end:
            amount += line_price(line, spans=list(spans), on=line.active_from)
    return amount


def schedule_plan(
    *, contract: Contract, lines: Sequence[ContractLine], spans: Sequence[DiscountSpan], until: dt.date,
) -> list[PlannedItem]:
    """The items the contract should have for the periods starting before `until` (and before its end)."""
    months = PERIOD_MONTHS[contract.billing_period]
    start, end = contract.start_date, contract.end_date
    # One-off lines dated before the contract starts are charged with its first period.
    lines = [line if line.active_from >= start else _starting(line, start) for line in lines]
    stop = min(until, end) if end else until
    items = []
    slot = slot_start(start, months)
    while slot < stop:
        slot_end = add_months(slot, months)
        period = (max(slot, start), min(slot_end, end) if end else slot_end)
        amount = to_cents(_period_amount(lines=lines, spans=spans, months=months, slot=(slot, slot_end),
                                         period=period))
        if amount > ZERO:
            items.append(PlannedItem(period_from=period[0], period_to=period[1],
                                     due_date=due_date_for(contract, *period), amount=amount))
        slot = slot_end
    return items


def _starting(line: ContractLine, start: dt.date) -> ContractLine:
    moved = ContractLine(pk=line.pk, contract_id=line.contract_id, product=line.product, quantity=line.quantity,
                         unit_price=line.unit_price, discount_percent=line.discount_percent, active_from=start,
                         active_to=line.active_to)
    return moved if line.active_to is None or line.active_to > start else line
