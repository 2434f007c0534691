"""Reads about money: open items, lookup by payment reference, balances, credit and arrears aging."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from abonent.billing.models import ZERO, ExpectedPayment, ItemStatus, Payment
from abonent.contracts.models import Contract
from abonent.contracts.references import creditor_reference_normalise, variable_symbol_normalise
from abonent.customers.models import Node, Party

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


def open_items_for(party: Party, *, currency: str | None = None) -> QuerySet[ExpectedPayment]:
    """The customer's items still waiting for money, oldest due first."""
    items = ExpectedPayment.objects.open().filter(party=party)
    if currency:
        items = items.filter(currency=currency)
    return items.select_related("contract").order_by("due_date", "id")


def contract_by_reference(reference: str) -> Contract | None:
    """The contract whose variable symbol or ISO 11649 creditor reference this is (or its number)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    creditor = creditor_reference_normalise(reference) if reference[:2].upper() == "RF" else ""
    if creditor:
        return Contract.objects.filter(creditor_reference=creditor).select_related("party").first()
    symbol = variable_symbol_normalise(reference)
    if symbol:
        found = Contract.objects.filter(variable_symbol=symbol).select_related("party").first()
        if found is not None:
            return found
    return Contract.objects.filter(number__iexact=reference).exclude(number="").select_related("party").first()


def expected_payment_by_reference(reference: str) -> ExpectedPayment | None:
    """The item a payment quoting `reference` pays first: the contract's oldest open item.

    A contract keeps one reference for all its items (standing orders repeat it), so when nothing of it is
    open the latest item is returned: the matcher still learns whose money it is, and the payment becomes
    that customer's credit.
    """
    contract = contract_by_reference(reference)
    if contract is None:
        return None
    items = ExpectedPayment.objects.filter(contract=contract).select_related("party", "contract")
    return (items.open().order_by("due_date", "id").first()
            or items.live().order_by("-due_date", "-id").first())


@dataclass
class Balance:
    """What a customer (or a contract) stands at in one currency on a day."""

    currency: str
    billed: Decimal = ZERO      # items due so far
    paid: Decimal = ZERO        # of which paid
    due_unpaid: Decimal = ZERO  # due so far and not paid: the arrears
    not_due: Decimal = ZERO     # open items due later
    credit: Decimal = ZERO      # money received and not used (customers only)

    @property
    def balance(self) -> Decimal:
        """Positive: the customer is in credit; negative: they owe this much now."""
        return self.credit - self.due_unpaid


def _item_balances(items: QuerySet[ExpectedPayment], on: dt.date) -> dict[str, Balance]:
    due = Q(due_date__lte=on)
    rows = items.live().values("currency").annotate(
        billed=Coalesce(Sum("amount", filter=due), ZERO, output_field=MONEY_FIELD),
        paid=Coalesce(Sum("paid_amount", filter=due), ZERO, output_field=MONEY_FIELD),
        not_due=Coalesce(Sum(F("amount") - F("paid_amount"), filter=~due), ZERO, output_field=MONEY_FIELD),
    ).order_by("currency")
    balances = {}
    for r in rows:
        billed, paid, not_due = (Decimal(r[k]).quantize(CENT) for k in ("billed", "paid", "not_due"))
        balances[r["currency"]] = Balance(currency=r["currency"], billed=billed, paid=paid, due_unpaid=billed - paid,
                                          not_due=not_due)
    return balances


def party_credit(party: Party) -> dict[str, Decimal]:
    """The customer's unused money per currency."""
    rows = (Payment.objects.filter(party=party, amount__gt=0).values("currency")
            .annotate(left=Sum(F("amount") - F("allocated_amount") - F("refunded_amount"), output_field=MONEY_FIELD))
            .order_by("currency"))
    return {r["currency"]: Decimal(r["left"]).quantize(CENT) for r in rows if r["left"]}


def party_balances(party: Party, *, on: dt.date) -> list[Balance]:
    """The customer's balance in each currency they were billed or paid in, on day `on`."""
    balances = _item_balances(ExpectedPayment.objects.filter(party=party), on)
    for currency, left in party_credit(party).items():
        balances.setdefault(currency, Balance(currency=currency)).credit = left
    return [balances[c] for c in sorted(balances)]


def contract_balances(contract: Contract, *, on: dt.date) -> list[Balance]:
    """The contract's billed, paid and owed amounts on day `on` (credit belongs to the customer, not here)."""
    balances = _item_balances(ExpectedPayment.objects.filter(contract=contract), on)
    return [balances[c] for c in sorted(balances)]


# --- arrears aging --------------------------------------------------------------------------------------

BUCKETS = ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def _bucket_sums(on: dt.date) -> dict[str, Sum]:
    left = F("amount") - F("paid_amount")
    day = dt.timedelta(days=1)
    limits = {
        "not_due": Q(due_date__gte=on),
        "days_1_30": Q(due_date__lt=on, due_date__gte=on - 30 * day),
        "days_31_60": Q(due_date__lt=on - 30 * day, due_date__gte=on - 60 * day),
        "days_61_90": Q(due_date__lt=on - 60 * day, due_date__gte=on - 90 * day),
        "days_over_90": Q(due_date__lt=on - 90 * day),
    }
    return {name: Coalesce(Sum(Case(When(condition, then=left), default=ZERO, output_field=MONEY_FIELD)), ZERO,
                           output_field=MONEY_FIELD)
            for name, condition in limits.items()}


def _in_cents(row: dict) -> dict:
    # SQLite sums decimals into plain numbers (310, not 310.00); every amount leaves here with its cents.
    return {k: Decimal(v).quantize(CENT) if k in BUCKETS else v for k, v in row.items()}


@dataclass
class Aging:
    """Open amounts by how many days past due they are, in one currency."""

    currency: str
    not_due: Decimal = ZERO
    days_1_30: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    days_over_90: Decimal = ZERO
    party: Party | None = None
    extra: dict = field(default_factory=dict)

    @property
    def overdue(self) -> Decimal:
        return self.days_1_30 + self.days_31_60 + self.days_61_90 + self.days_over_90

    @property
    def total(self) -> Decimal:
        return self.not_due + self.overdue


def _paid_by(items: QuerySet[ExpectedPayment], payer: Node | None) -> QuerySet[ExpectedPayment]:
    """The items of contracts a billing node pays for, itself or through a node below it."""
    return items if payer is None else items.filter(contract__payer__path__startswith=payer.path)


def aging(*, on: dt.date, party: Party | None = None, payer: Node | None = None) -> list[Aging]:
    """Open amounts per currency and bucket (not due, 1–30, 31–60, 61–90, over 90 days), one query."""
    items = _paid_by(ExpectedPayment.objects.open(), payer)
    if party is not None:
        items = items.filter(party=party)
    rows = items.values("currency").annotate(**_bucket_sums(on)).order_by("currency")
    return [Aging(**_in_cents(row)) for row in rows]


def aging_by_party(
    *, on: dt.date, currency: str | None = None, overdue_only: bool = True, limit: int | None = None,
    after: tuple[str, Decimal, int] | None = None, payer: Node | None = None,
) -> list[Aging]:
    """One row per customer and currency: by currency, the most owed first; `after` continues a page (keyset
    on currency, amount and customer)."""
    items = _paid_by(ExpectedPayment.objects.open(), payer)
    if currency:
        items = items.filter(currency=currency)
    if overdue_only:
        items = items.filter(due_date__lt=on)
    rows = (items.values("party_id", "currency").annotate(**_bucket_sums(on))
            .annotate(owed=Sum(F("amount") - F("paid_amount"), output_field=MONEY_FIELD))
            .order_by("currency", "-owed", "party_id"))
    if after is not None:
        last_currency, owed, party_id = after
        rows = rows.filter(Q(currency__gt=last_currency) | Q(currency=last_currency, owed__lt=owed)
                           | Q(currency=last_currency, owed=owed, party_id__gt=party_id))
    if limit is not None:
        rows = rows[:limit]
    rows = list(rows)
    parties = Party.objects.in_bulk({r["party_id"] for r in rows})
    result = []
    for row in rows:
        owed = row.pop("owed")
        result.append(Aging(party=parties.get(row.pop("party_id")), extra={"owed": owed}, **_in_cents(row)))
    return result


def aging_totals(rows: list[Aging]) -> dict[str, Aging]:
    """Sum per-customer rows into one row per currency."""
    totals: dict[str, Aging] = defaultdict(lambda: Aging(currency=""))
    for row in rows:
        total = totals[row.currency]
        total.currency = row.currency
        for bucket in BUCKETS:
            setattr(total, bucket, getattr(total, bucket) + getattr(row, bucket))
    return dict(totals)


def item_list(*, party: Party | None = None, contract: Contract | None = None) -> QuerySet[ExpectedPayment]:
    """Items of a customer or a contract (cancelled ones too), by due date."""
    items = ExpectedPayment.objects.select_related("contract")
    if party is not None:
        items = items.filter(party=party)
    if contract is not None:
        items = items.filter(contract=contract)
    return items.order_by("due_date", "id")


def payment_list(*, party: Party) -> QuerySet[Payment]:
    """The customer's payments, refunds and credit notes, newest first, with what each paid."""
    return (Payment.objects.filter(party=party).select_related("created_by", "refund_of")
            .prefetch_related("allocations__expected_payment__contract").order_by("-received_on", "-id"))


__all__ = ["BUCKETS", "Aging", "Balance", "ItemStatus", "aging", "aging_by_party", "aging_totals",
           "contract_balances", "contract_by_reference", "expected_payment_by_reference", "item_list",
           "open_items_for", "party_balances", "party_credit", "payment_list"]
