"""Many bank payments recorded and allocated at once: the set-based twin of payment_record + payment_allocate.

A bank statement brings thousands of payments; recording them one by one costs a dozen queries each.
This records a batch in a few queries with the same rules: the customers' rows are locked first, then
their open items, in primary-key order; each payment pays the item chosen by hand first, then the items
of the contract its reference names, then the customer's other items, oldest due first; what is left is
the customer's credit. Rows are written with multi-row INSERTs and prepared UPDATEs, not model objects:
building tens of thousands of those costs more than the database's work.

Each payment writes one audit entry ("abonent.billing.payment.recorded", on the customer's history)
whose changes name the items it paid; the one-by-one services write one entry per allocation too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from abonent.billing.models import OPEN_STATUSES, Allocation, ExpectedPayment, Payment, PaymentSource
from abonent.billing.services import BillingError, item_status
from abonent.core import bulk
from abonent.core.models import AuditEntry, Channel
from abonent.core.services import period_assert_open
from abonent.customers.models import Party

CENT = Decimal("0.01")


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


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *,
                writer: bulk.Writer | None = None) -> None:
    """Insert rows (values in the order of `fields`, the model's field names) through core.bulk, or `writer`."""
    meta = model._meta
    (writer.insert if writer else bulk.rows_insert)(model, [meta.get_field(name).column for name in fields], rows)


def rows_update(model: type[models.Model], fields: Sequence[str], rows: Iterable[Any], *,
                writer: bulk.Writer | None = None) -> None:
    """Save `fields` of many rows (objects with those attributes and `pk`) in one statement (core.bulk):
    Django's bulk_update builds a CASE per row and field, seconds for thousands. Through `writer` when given."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    values = [(row.pk, *(getattr(row, f.attname) for f in columns)) for row in rows]
    (writer.update if writer else bulk.rows_update)(model, [f.column for f in columns], values)


def _money(value: Any) -> Decimal:
    """An amount as read by a raw query: PostgreSQL gives a Decimal, SQLite a float or an int (as the ORM
    does, read back through its shortest decimal form and rounded to cents)."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENT)


ITEM_FIELDS = ("id", "party_id", "contract_id", "currency", "amount", "paid_amount", "status", "due_date")


def bank_payments_record(
    *, entries: Sequence[BankPaymentEntry], by: Any = None, channel: str = Channel.SYSTEM, now: dt.datetime,
    writer: bulk.Writer | None = None,
) -> list[int]:
    """Record the payments (in the order given) and allocate each; return their ids in that order.

    The rows are written by a core.bulk.Writer, which writes from a second thread while this
    one shares the payments out and builds the next rows. A caller that passes its own `writer` (not yet
    started; the bank import, which writes its lines first) holds the transaction and leaves the writer
    itself, before it uses the database again.
    """
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
    actor_id = actor.pk if actor else None
    with transaction.atomic(savepoint=writer is None), nullcontext(writer) if writer else bulk.Writer() as writer:
        names: dict[int, str] = {}
        rows = bulk.rows_where(f"SELECT t.id, t.name, t.merged_into_id FROM {bulk.quoted_table(Party)} t "  # noqa: S608
                               "WHERE t.id {any} ORDER BY t.id", [sorted({e.party_id for e in entries})], lock="t")
        for pk, name, merged_into in rows:
            if merged_into is not None:
                raise BillingError(_("“%(party)s” was merged into another customer; record the payment there.")
                                   % {"party": name})
            names[pk] = name
        items: dict[int, list[SimpleNamespace]] = defaultdict(list)
        rows = bulk.rows_where(
            f"SELECT {', '.join(f't.{c}' for c in ITEM_FIELDS)} FROM {bulk.quoted_table(ExpectedPayment)} t "  # noqa: S608
            "WHERE t.party_id {any} AND t.status {any} ORDER BY t.id", [sorted(names), OPEN_STATUSES], lock="t")
        for row in rows:
            item = SimpleNamespace(**dict(zip(ITEM_FIELDS, row, strict=True)))
            item.pk = item.id
            item.amount, item.paid_amount = _money(item.amount), _money(item.paid_amount)
            items[item.party_id].append(item)
        payment_ids = bulk.ids_reserve(Payment, len(entries))
        # What needs the database or this request's language is read before the writer has the connection.
        audit = partial(_audit_rows, entries, payment_ids, now=now, channel=channel, actor_id=actor_id,
                        label=(actor.get_full_name() or actor.get_username()) if actor else _("system"),
                        party_type=ContentType.objects.get_for_model(Party).pk,
                        payment_type=ContentType.objects.get_for_model(Payment).pk)
        writer.start()
        allocations, paid_items = _share_out(entries, items, now=now)
        rows_insert(Payment, ["id", "party", "amount", "currency", "received_on", "source", "reference",
                              "counterparty_account", "counterparty_name", "note", "allocated_amount",
                              "refunded_amount", "created_at", "created_by", "channel"], [
            (pk, e.party_id, e.amount.quantize(CENT), e.currency, e.received_on, PaymentSource.BANK,
             e.reference.strip()[:35], e.counterparty_account.strip()[:50], e.counterparty_name.strip()[:200],
             e.note.strip()[:500], sum((s for _i, s in shares), Decimal("0.00")), Decimal("0.00"), now,
             actor_id, channel) for pk, e, shares in zip(payment_ids, entries, allocations, strict=True)],
            writer=writer)
        rows_insert(Allocation, ["payment", "expected_payment", "amount", "created_at", "created_by", "channel"], [
            (payment_id, item.pk, share, now, actor_id, channel)
            for payment_id, shares in zip(payment_ids, allocations, strict=True) for item, share in shares],
            writer=writer)
        rows_update(ExpectedPayment, ["paid_amount", "status", "changed_at"], {i.pk: i for i in paid_items}.values(),
                    writer=writer)
        rows_insert(AuditEntry, ["at", "actor", "actor_label", "action", "channel", "target_type", "target_id",
                                 "target_label", "subject_type", "subject_id", "changes", "note"],
                    audit(allocations=allocations), writer=writer)
    return payment_ids


def _share_out(entries: Sequence[BankPaymentEntry], items: dict[int, list[SimpleNamespace]], *, now: dt.datetime
               ) -> tuple[list[list], list[SimpleNamespace]]:
    """Each payment's shares of its customer's open items: the item chosen by hand first, then the items of
    the contract its reference names, then the others, oldest due first. The items are updated in place."""
    allocations, paid_items = [], []
    for entry in entries:
        amount = entry.amount.quantize(CENT)
        allocated = Decimal("0.00")
        candidates = sorted(
            (i for i in items[entry.party_id] if i.currency == entry.currency),
            key=lambda i, c=entry.contract_id, f=entry.item_id: (i.pk != f, i.contract_id != c, i.due_date, i.pk),
        )
        shares = []
        for item in candidates:
            if amount - allocated <= 0:
                break
            share = min(amount - allocated, item.amount - item.paid_amount)
            if share <= 0:
                continue
            item.paid_amount += share
            item.status = item_status(item)
            item.changed_at = now
            allocated += share
            shares.append((item, share))
        allocations.append(shares)
        paid_items += [item for item, _share in shares]
    return allocations, paid_items


def _audit_rows(entries: Sequence[BankPaymentEntry], payment_ids: list[int], *, allocations: list[list],
                now: dt.datetime, channel: str, actor_id: int | None, label: str, party_type: int,
                payment_type: int) -> list[list]:
    """One audit entry a payment ("abonent.billing.payment.recorded", on the customer's history)."""
    rows = []
    for entry, payment_id, shares in zip(entries, payment_ids, allocations, strict=True):
        amount = entry.amount.quantize(Decimal("0.01"))
        changes = {"amount": [None, str(amount)], "currency": [None, entry.currency],
                   "source": [None, PaymentSource.BANK], "received_on": [None, str(entry.received_on)],
                   "reference": [None, entry.reference or None],
                   "allocated": [None, [f"{item.pk}: {share}" for item, share in shares]]}
        rows.append([now, actor_id, label, "abonent.billing.payment.recorded", channel, payment_type,
                     str(payment_id), f"{entry.received_on:%Y-%m-%d} {amount} {entry.currency}", party_type,
                     str(entry.party_id), changes, ""])
    return rows


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
