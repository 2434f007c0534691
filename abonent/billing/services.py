"""Writes about money received: record a payment, allocate it, unmatch, refund, use a customer's credit.

Concurrency: every write about one customer's money first locks that customer's row (one lock, so two
workers never deadlock on it), then the payments and expected payments it touches in primary-key order.
Two bank imports or an import and a clerk working on the same customer queue; different customers run in
parallel. The paid and allocated totals kept on the rows are only changed under that lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.billing.models import (
    ZERO,
    Allocation,
    ExpectedPayment,
    ItemStatus,
    Payment,
    PaymentSource,
)
from abonent.billing.selectors import contract_by_reference, open_items_for
from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record, period_assert_open
from abonent.customers.models import Party

M = TypeVar("M", bound=models.Model)
RECORDABLE_SOURCES = (PaymentSource.BANK, PaymentSource.CASH, PaymentSource.CARD, PaymentSource.PORTAL)


class BillingError(AbonentError):
    """A billing change a person asked for that cannot be made."""


def lock_party(party: Party) -> Party:
    """Lock the customer's row: the one lock every write about their money takes first."""
    return Party.objects.select_for_update().get(pk=party.pk)


def lock_rows(rows: models.QuerySet[M]) -> list[M]:
    """Lock the rows in primary-key order (the order every worker uses, so none waits on another in a cycle)."""
    return list(rows.select_for_update().order_by("pk"))


def item_status(item: ExpectedPayment) -> str:
    if item.status == ItemStatus.CANCELLED:
        return ItemStatus.CANCELLED
    if item.paid_amount >= item.amount:
        return ItemStatus.PAID
    return ItemStatus.PARTLY_PAID if item.paid_amount > 0 else ItemStatus.OPEN


def _money(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal, never float")
    return amount.quantize(Decimal("0.01"))


# --- recording -----------------------------------------------------------------------------------------


def payment_record(
    *, party: Party, amount: Decimal, currency: str, received_on: dt.date, source: str, reference: str = "",
    counterparty_account: str = "", counterparty_name: str = "", note: str = "", by: Any,
    channel: str = Channel.UI, now: dt.datetime,
) -> Payment:
    """Record money received from the customer; it is not allocated yet (call `payment_allocate`)."""
    amount = _money(amount)
    if amount <= 0:
        raise BillingError(_("A payment is an amount more than zero."))
    if currency not in settings.CURRENCIES:
        raise BillingError(_("Abonent does not keep accounts in %(currency)s.") % {"currency": currency})
    if source not in RECORDABLE_SOURCES:
        raise BillingError(_("Refunds and credit notes are not recorded as payments."))
    if party.is_merged:
        raise BillingError(_("“%(party)s” was merged into another customer; record the payment there.")
                           % {"party": party})
    period_assert_open(on=received_on, domain="billing")
    with transaction.atomic():
        payment = Payment.objects.create(
            party=party, amount=amount, currency=currency, received_on=received_on, source=source,
            reference=reference.strip()[:35], counterparty_account=counterparty_account.strip()[:50],
            counterparty_name=counterparty_name.strip()[:200], note=note.strip()[:500], created_at=now,
            created_by=by if getattr(by, "is_authenticated", False) else None, channel=channel,
        )
        audit_record(actor=by, action="abonent.billing.payment.recorded", target=payment, subject=party,
                     channel=channel, now=now, changes={
                         "amount": (None, amount), "currency": (None, currency), "source": (None, source),
                         "received_on": (None, received_on), "reference": (None, payment.reference or None)})
    return payment


# --- allocating ----------------------------------------------------------------------------------------


def _allocate(payment: Payment, item: ExpectedPayment, amount: Decimal, *, by: Any, channel: str,
              now: dt.datetime) -> Allocation:
    """Move `amount` of a locked payment onto a locked item (both already checked)."""
    allocation = Allocation.objects.filter(payment=payment, expected_payment=item).first()
    if allocation is None:
        allocation = Allocation.objects.create(
            payment=payment, expected_payment=item, amount=amount, created_at=now, channel=channel,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
    else:
        allocation.amount += amount
        allocation.save(update_fields=["amount"])
    item.paid_amount += amount
    old_status, item.status = item.status, item_status(item)
    item.changed_at = now
    item.save(update_fields=["paid_amount", "status", "changed_at"])
    payment.allocated_amount += amount
    payment.save(update_fields=["allocated_amount"])
    audit_record(actor=by, action="abonent.billing.payment.allocated", target=allocation, subject=payment.party,
                 channel=channel, now=now,
                 changes={"paid": (item.paid_amount - amount, item.paid_amount), "status": (old_status, item.status)},
                 note=_("%(amount)s %(currency)s of the payment of %(day)s to %(item)s") % {
                     "amount": amount, "currency": payment.currency, "day": payment.received_on.isoformat(),
                     "item": item})
    return allocation


def _ordered_for(payment: Payment, items: Iterable[ExpectedPayment]) -> list[ExpectedPayment]:
    """Oldest due first; the items of the contract the payment's reference names go before the others."""
    contract = contract_by_reference(payment.reference) if payment.reference else None
    preferred = contract.pk if contract is not None and contract.party_id == payment.party_id else None
    return sorted(items, key=lambda i: (i.contract_id != preferred, i.due_date, i.pk))


def _spend(payment: Payment, items: list[ExpectedPayment], *, by: Any, channel: str,
           now: dt.datetime) -> list[Allocation]:
    made = []
    for item in _ordered_for(payment, items):
        left = payment.unallocated
        if left <= 0:
            break
        if item.outstanding <= 0 or item.currency != payment.currency:
            continue
        made.append(_allocate(payment, item, min(left, item.outstanding), by=by, channel=channel, now=now))
    return made


def payment_allocate(
    *, payment: Payment, now: dt.datetime, by: Any = None, channel: str = Channel.SYSTEM,
) -> list[Allocation]:
    """Allocate what is left of the payment to the customer's open items, oldest due first.

    A payment quoting a contract's reference pays that contract's items first. A payment smaller than an
    item pays it partly; a bigger one pays several; what is left stays the customer's credit and pays the
    next items when they are generated (`party_credit_apply`).
    """
    with transaction.atomic():
        lock_party(payment.party)
        payment = Payment.objects.select_for_update().select_related("party").get(pk=payment.pk)
        if payment.source == PaymentSource.REFUND or payment.unallocated <= 0:
            return []
        items = lock_rows(open_items_for(payment.party, currency=payment.currency))
        return _spend(payment, items, by=by, channel=channel, now=now)


def allocation_add(
    *, payment: Payment, expected_payment: ExpectedPayment, amount: Decimal | None = None, by: Any,
    channel: str = Channel.UI, now: dt.datetime,
) -> Allocation:
    """Allocate (part of) a payment to one chosen item: manual matching. Never across two customers."""
    if payment.party_id != expected_payment.party_id:
        raise BillingError(_("A payment from one customer cannot pay another customer's item."))
    if payment.currency != expected_payment.currency:
        raise BillingError(_("The payment is in %(paid)s and the item in %(due)s.")
                           % {"paid": payment.currency, "due": expected_payment.currency})
    with transaction.atomic():
        lock_party(payment.party)
        locked = lock_rows(ExpectedPayment.objects.filter(pk=expected_payment.pk))
        item = locked[0]
        payment = Payment.objects.select_for_update().select_related("party").get(pk=payment.pk)
        if payment.source == PaymentSource.REFUND:
            raise BillingError(_("A refund cannot pay an item."))
        if item.status == ItemStatus.CANCELLED:
            raise BillingError(_("The item was cancelled."))
        possible = min(payment.unallocated, item.outstanding)
        amount = possible if amount is None else _money(amount)
        if amount <= 0 or possible <= 0:
            raise BillingError(_("Nothing is left to allocate: the payment is used up or the item is paid."))
        if amount > possible:
            raise BillingError(_("At most %(amount)s can be allocated here.") % {"amount": possible})
        return _allocate(payment, item, amount, by=by, channel=channel, now=now)


def allocation_remove(
    *, allocation: Allocation, by: Any, channel: str = Channel.UI, now: dt.datetime, reason: str = "",
) -> Payment:
    """Unmatch: the item is owed again and the money goes back to the payment (the customer's credit).

    Return the payment, so the caller can allocate it elsewhere.
    """
    with transaction.atomic():
        lock_party(allocation.payment.party)
        allocation = Allocation.objects.select_related("payment__party", "expected_payment").get(pk=allocation.pk)
        payment, item = allocation.payment, allocation.expected_payment
        period_assert_open(on=payment.received_on, domain="billing")
        Payment.objects.select_for_update().filter(pk=payment.pk).first()
        lock_rows(ExpectedPayment.objects.filter(pk=item.pk))
        item.refresh_from_db()
        payment.refresh_from_db()
        item.paid_amount -= allocation.amount
        old_status, item.status = item.status, item_status(item)
        item.changed_at = now
        item.save(update_fields=["paid_amount", "status", "changed_at"])
        payment.allocated_amount -= allocation.amount
        payment.save(update_fields=["allocated_amount"])
        audit_record(actor=by, action="abonent.billing.allocation.removed", target=allocation,
                     subject=payment.party, channel=channel, now=now, note=reason,
                     changes={"allocated": (allocation.amount, None), "status": (old_status, item.status)})
        allocation.delete()
    return payment


def payment_refund(
    *, payment: Payment, amount: Decimal | None = None, by: Any, channel: str = Channel.UI, now: dt.datetime,
    note: str = "",
) -> Payment:
    """Pay back (part of) what is left unallocated of a payment; return the refund (a negative payment)."""
    with transaction.atomic():
        lock_party(payment.party)
        payment = Payment.objects.select_for_update().select_related("party").get(pk=payment.pk)
        if payment.source in (PaymentSource.REFUND,):
            raise BillingError(_("A refund cannot be refunded."))
        left = payment.unallocated
        amount = left if amount is None else _money(amount)
        if amount <= 0 or left <= 0:
            raise BillingError(_("Nothing of this payment is left to refund; unmatch it first."))
        if amount > left:
            raise BillingError(_("At most %(amount)s of this payment is left to refund.") % {"amount": left})
        day = timezone.localdate(now)
        period_assert_open(on=day, domain="billing")
        refund = Payment.objects.create(
            party=payment.party, amount=-amount, currency=payment.currency, received_on=day,
            source=PaymentSource.REFUND, refund_of=payment, reference=payment.reference,
            counterparty_account=payment.counterparty_account, counterparty_name=payment.counterparty_name,
            note=note.strip()[:500], created_at=now, channel=channel,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=F("refunded_amount") + amount)
        audit_record(actor=by, action="abonent.billing.payment.refunded", target=refund, subject=payment.party,
                     channel=channel, now=now, note=note,
                     changes={"refunded": (payment.refunded_amount, payment.refunded_amount + amount)})
    return refund


def party_credit_apply(
    *, party: Party, now: dt.datetime, currency: str | None = None, by: Any = None,
    channel: str = Channel.SYSTEM,
) -> list[Allocation]:
    """Use the customer's credit (the unallocated rest of their payments, oldest first) for their open items."""
    with transaction.atomic():
        lock_party(party)
        payments = Payment.objects.filter(party=party, amount__gt=F("allocated_amount") + F("refunded_amount"))
        if currency:
            payments = payments.filter(currency=currency)
        payments = lock_rows(payments.select_related("party"))
        if not payments:
            return []
        items = lock_rows(open_items_for(party, currency=currency))
        made = []
        for payment in sorted(payments, key=lambda p: (p.received_on, p.pk)):
            made += _spend(payment, [i for i in items if i.outstanding > ZERO], by=by, channel=channel, now=now)
        return made
