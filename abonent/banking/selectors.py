"""Reads of banking: a line with what it was matched to, expected payments found by a clerk's search, the last
movement a bank API brought."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import BigIntegerField, DecimalField, ExpressionWrapper, F, Max, Q, QuerySet
from django.db.models.functions import Cast

from abonent.banking.models import BankAccount, BankStatementLine, MatchState
from abonent.billing.models import ExpectedPayment
from abonent.contracts.references import creditor_reference_normalise, variable_symbol_normalise

SEARCH_LIMIT = 20


def last_movement_id(account: BankAccount, *, format: str) -> str:  # noqa: A002
    """The highest numeric bank transaction ID stored for the account from statements in `format` ("" if none):
    Fio banka numbers its movements in the order they happen."""
    last = (BankStatementLine.objects.filter(account=account, statement__format=format,
                                             bank_transaction_id__regex=r"^[0-9]{1,18}$")
            .annotate(number=Cast("bank_transaction_id", BigIntegerField())).aggregate(last=Max("number"))["last"])
    return "" if last is None else str(last)


def line_get(pk: int) -> BankStatementLine:
    return (BankStatementLine.objects.select_related("statement", "account", "party", "expected_payment__contract")
            .get(pk=pk))


def line_payments(line: BankStatementLine) -> list:
    return [link.payment for link in line.payments.select_related("payment__party").order_by("pk")]


def next_to_match(after: BankStatementLine) -> BankStatementLine | None:
    """The next suggested line (oldest booking first): where "accept and next" goes."""
    return (BankStatementLine.objects.filter(state=MatchState.SUGGESTED, amount__gt=0).exclude(pk=after.pk)
            .order_by("booking_date", "id").first())


def expected_payment_search(term: str, *, currency: str = "") -> QuerySet[ExpectedPayment]:
    """Open expected payments by payment reference, contract number, customer name or amount owed."""
    term = (term or "").strip()
    items = ExpectedPayment.objects.open().select_related("party", "contract").order_by("due_date", "id")
    if currency:
        items = items.filter(currency=currency)
    if not term:
        return items.none()
    condition = Q(contract__number__iexact=term) | Q(party__name__icontains=term)
    symbol = variable_symbol_normalise(term) if term.replace(" ", "").isdigit() else ""
    if symbol:
        condition |= Q(contract__variable_symbol=symbol)
    creditor = creditor_reference_normalise(term) if term[:2].upper() == "RF" else ""
    if creditor:
        condition |= Q(contract__creditor_reference=creditor)
    try:
        amount = Decimal(term.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is not None and amount.is_finite() and amount > 0:
        owed = ExpressionWrapper(F("amount") - F("paid_amount"), output_field=DecimalField(max_digits=14,
                                                                                             decimal_places=2))
        items = items.annotate(owed=owed)
        condition |= Q(owed=amount)
    return items.filter(condition)[:SEARCH_LIMIT]
