"""Many bank payments recorded and allocated at once: the set-based twin of payment_record + payment_allocate.

A bank statement brings thousands of payments; recording them one by one costs a dozen queries each.
This records a batch in a few queries with the same rules: the customer's row is locked first, then
their open items in primary-key order; each payment pays the items of the contract its reference names
first, then the customer's other items, oldest due first; what is left is the customer's credit. Every
payment and allocation is audited as the one-by-one services do ("abonent.billing.payment.recorded",
"abonent.billing.payment.allocated").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from abonent.billing.models import Allocation, ExpectedPayment, Payment, PaymentSource
from abonent.billing.services import BillingError, item_status
from abonent.core.models import AuditEntry, Channel
from abonent.core.services import period_assert_open
from abonent.customers.models import Party

CHUNK = 2000


@dataclass(frozen=True)
class BankPaymentEntry:
    party_id: int
    amount: Decimal
    currency: str
    received_on: dt.date
    reference: str = ""
    counterparty_account: str = ""
    counterparty_name: str = ""
    note: str = ""
    contract_id: int | None = None  # the contract the reference names: its items are paid first
    item_id: int | None = None  # an item chosen by hand: paid before anything else


def rows_update(model: type[models.Model], fields: Sequence[str], rows: Iterable[models.Model]) -> None:
    """Save `fields` of many rows with one prepared UPDATE per row, sent together (executemany).

    Django's bulk_update builds one CASE expression per row and field, which costs seconds for thousands.
    """
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model, quoted
        connection.ops.quote_name(meta.db_table),
        ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in columns),
        connection.ops.quote_name(meta.pk.column),
    )
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns] + [row.pk] for row in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _chunks(values: Sequence[int]) -> list[list[int]]:
    ordered = sorted(set(values))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def bank_payments_record(
    *, entries: Sequence[BankPaymentEntry], by: Any = None, channel: str = Channel.SYSTEM, now: dt.datetime,
) -> list[Payment]:
    """Record the payments (in the order given) and allocate each; return them with their ids."""
    if not entries:
        return []
    for entry in entries:
        if entry.amount <= 0:
            raise BillingError(_("A payment is an amount more than zero."))
        if entry.currency not in settings.CURRENCIES:
            raise BillingError(_("Abonent does not keep accounts in %(currency)s.") % {"currency": entry.currency})
    for day in {entry.received_on for entry in entries}:
        period_assert_open(on=day, domain="billing")
    actor = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        parties: dict[int, Party] = {}
        for ids in _chunks([e.party_id for e in entries]):
            parties.update((p.pk, p) for p in Party.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        merged = [p for p in parties.values() if p.is_merged]
        if merged:
            raise BillingError(_("“%(party)s” was merged into another customer; record the payment there.")
                               % {"party": merged[0]})
        items: dict[int, list[ExpectedPayment]] = defaultdict(list)
        for ids in _chunks(list(parties)):
            for item in (ExpectedPayment.objects.open().select_for_update().filter(party_id__in=ids)
                         .order_by("pk")):
                items[item.party_id].append(item)
        payments, planned = [], []
        for entry in entries:
            payment = Payment(
                party=parties[entry.party_id], amount=entry.amount.quantize(Decimal("0.01")), currency=entry.currency,
                received_on=entry.received_on, source=PaymentSource.BANK, reference=entry.reference.strip()[:35],
                counterparty_account=entry.counterparty_account.strip()[:50],
                counterparty_name=entry.counterparty_name.strip()[:200], note=entry.note.strip()[:500],
                created_at=now, created_by=actor, channel=channel,
            )
            candidates = sorted(
                (i for i in items[entry.party_id] if i.currency == entry.currency),
                key=lambda i, c=entry.contract_id, f=entry.item_id: (i.pk != f, i.contract_id != c, i.due_date, i.pk),
            )
            for item in candidates:
                left = payment.amount - payment.allocated_amount
                if left <= 0:
                    break
                share = min(left, item.amount - item.paid_amount)
                if share <= 0:
                    continue
                before, old_status = item.paid_amount, item.status
                item.paid_amount += share
                item.status, item.changed_at = item_status(item), now
                payment.allocated_amount += share
                planned.append((payment, item, share, (before, old_status, item.status)))
            payments.append(payment)
        Payment.objects.bulk_create(payments, batch_size=1000)
        allocations = [Allocation(payment=payment, expected_payment=item, amount=share, created_at=now,
                                  created_by=actor, channel=channel) for payment, item, share, _old in planned]
        Allocation.objects.bulk_create(allocations, batch_size=1000)
        touched = {item.pk: item for _payment, item, _share, _old in planned}
        rows_update(ExpectedPayment, ["paid_amount", "status", "changed_at"], touched.values())
        _audit(payments, allocations, planned, actor=actor, channel=channel, now=now)
    return payments


def _audit(payments: list[Payment], allocations: list[Allocation], planned: list, *, actor: Any, channel: str,
           now: dt.datetime) -> None:
    party_type = ContentType.objects.get_for_model(Party)
    payment_type = ContentType.objects.get_for_model(Payment)
    allocation_type = ContentType.objects.get_for_model(Allocation)
    label = (actor.get_full_name() or actor.get_username()) if actor else _("system")
    entries = []
    for payment in payments:
        entries.append(AuditEntry(
            at=now, actor=actor, actor_label=label, action="abonent.billing.payment.recorded", channel=channel,
            target_type=payment_type, target_id=str(payment.pk), target_label=str(payment)[:300],
            subject_type=party_type, subject_id=str(payment.party_id), changes={
                "amount": [None, str(payment.amount)], "currency": [None, payment.currency],
                "source": [None, payment.source], "received_on": [None, str(payment.received_on)],
                "reference": [None, payment.reference or None]},
        ))
    for allocation, (payment, item, share, (before, old_status, new_status)) in zip(allocations, planned,
                                                                                      strict=True):
        entries.append(AuditEntry(
            at=now, actor=actor, actor_label=label, action="abonent.billing.payment.allocated", channel=channel,
            target_type=allocation_type, target_id=str(allocation.pk), target_label=str(allocation)[:300],
            subject_type=party_type, subject_id=str(payment.party_id),
            changes={"paid": [str(before), str(before + share)], "status": [old_status, new_status]},
            note=_("%(amount)s %(currency)s of the payment of %(day)s to %(item)s") % {
                "amount": share, "currency": payment.currency, "day": payment.received_on.isoformat(), "item": item},
        ))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def bank_payment_withdraw(*, payment: Payment, by: Any, channel: str = Channel.UI, now: dt.datetime,
                          reason: str = "") -> None:
    """Take back a bank payment recorded for the wrong customer: its allocations are removed (audited, the
    items are owed again) and the payment is deleted. A payment already partly refunded cannot be."""
    from abonent.billing.services import allocation_remove, lock_party
    from abonent.core.services import audit_record

    with transaction.atomic():
        lock_party(payment.party)
        payment = Payment.objects.select_for_update().select_related("party").get(pk=payment.pk)
        if payment.source != PaymentSource.BANK:
            raise BillingError(_("Only a bank payment can be taken back this way."))
        if payment.refunds.exists():
            raise BillingError(_("Part of this payment was refunded; it cannot be taken back."))
        for allocation in list(payment.allocations.order_by("pk")):
            allocation_remove(allocation=allocation, by=by, channel=channel, now=now, reason=reason)
        audit_record(actor=by, action="abonent.billing.payment.withdrawn", target=payment, subject=payment.party,
                     channel=channel, now=now, note=reason,
                     changes={"amount": (payment.amount, None), "received_on": (payment.received_on, None)})
        payment.delete()
