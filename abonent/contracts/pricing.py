"""What a contract line costs on a day: its price, its own discount, then the discounts of the customer's nodes.

Order of application (documented in docs/contracts-and-billing.md):

1. unit price × quantity;
2. minus the line's own discount (a percentage of 1.);
3. minus each discount of a discount-structure node the customer sits at or below on that day, for every
   product or for this line's product: each is a percentage of what is left after the previous ones, so
   10 % and 5 % give 14.5 % off, and the order among them does not matter.

Nothing is rounded here; the schedule rounds each expected payment once, to the cent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from abonent.contracts.models import Contract, ContractLine, Discount
from abonent.customers.models import NodeMembership, Party, StructureKind

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# Structures whose nodes carry discounts; an administrator may have typed either word as the kind.
DISCOUNT_KINDS = (StructureKind.DISCOUNTS, "discount")


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, the way every amount Abonent asks for is rounded."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _overlaps(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    return start <= on and (end is None or on < end)


@dataclass(frozen=True)
class DiscountSpan:
    """A discount that applies to one customer during [active_from, active_to): the discount's own period
    intersected with the customer's placement at (or below) the discount's node."""

    discount: Discount
    active_from: dt.date
    active_to: dt.date | None

    def applies(self, *, product_id: int, on: dt.date) -> bool:
        product = self.discount.product_id
        return (product is None or product == product_id) and _overlaps(self.active_from, self.active_to, on)


def party_discount_spans(party: Party) -> list[DiscountSpan]:
    """Every discount the party ever gets from its places in discount structures; two queries."""
    memberships = list(
        NodeMembership.objects.filter(party=party, structure__kind__in=DISCOUNT_KINDS).select_related("node")
    )
    if not memberships:
        return []
    paths = {path for m in memberships for path in [*m.node.ancestor_paths(), m.node.path]}
    discounts = list(Discount.objects.filter(node__path__in=paths).select_related("node", "product"))
    spans = []
    for membership in memberships:
        covering = {*membership.node.ancestor_paths(), membership.node.path}
        for discount in discounts:
            if discount.node.path not in covering:
                continue
            start = max(membership.active_from, discount.active_from)
            ends = [e for e in (membership.active_to, discount.active_to) if e is not None]
            end = min(ends) if ends else None
            if end is None or end > start:
                spans.append(DiscountSpan(discount=discount, active_from=start, active_to=end))
    return spans


def line_price(line: ContractLine, *, spans: list[DiscountSpan], on: dt.date) -> Decimal:
    """The line's price per its product's billing period on day `on`, after every discount, unrounded."""
    price = line.unit_price * line.quantity * (1 - line.discount_percent / HUNDRED)
    for span in spans:
        if span.applies(product_id=line.product_id, on=on):
            price *= 1 - span.discount.percent / HUNDRED
    return price


@dataclass(frozen=True)
class LinePrice:
    """A line's price on a day, step by step, for the contract page."""

    line: ContractLine
    base: Decimal
    line_discount: Decimal
    structure_discounts: list[tuple[Discount, Decimal]]
    effective: Decimal


def contract_prices(contract: Contract, *, on: dt.date) -> list[LinePrice]:
    """The price of each line of the contract in force on `on`, with each discount's share, to the cent."""
    spans = party_discount_spans(contract.party)
    prices = []
    for line in contract.lines.select_related("product").order_by("active_from", "id"):
        if not _overlaps(line.active_from, line.active_to, on) and line.active_from <= on:
            continue
        day = max(on, line.active_from)  # a line that starts later is shown at its first day's price
        base = line.unit_price * line.quantity
        after_line = base * (1 - line.discount_percent / HUNDRED)
        running, shares = after_line, []
        for span in spans:
            if span.applies(product_id=line.product_id, on=day):
                off = running * span.discount.percent / HUNDRED
                shares.append((span.discount, to_cents(off)))
                running -= off
        prices.append(LinePrice(line=line, base=to_cents(base), line_discount=to_cents(base - after_line),
                                structure_discounts=shares, effective=to_cents(running)))
    return prices
