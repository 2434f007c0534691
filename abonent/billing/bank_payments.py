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
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from abonent.billing.models import Allocation, ExpectedPayment, Payment, PaymentSource
from abonent.billing.services import BillingError, item_status
from abonent.core import bulk
from abonent.core.models import AuditEntry, Channel
from abonent.core.services import period_assert_open
from abonent.customers.models import Party

CHUNK = 2000
INSERT_ROWS = 500  # rows per INSERT statement: parameters stay well under SQLite's limit


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


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]], *,
                returning: bool = False) -> list[int]:
    """Insert rows (values in the order of `fields`) in a few statements; the new ids, in order, when `returning`.

    PostgreSQL: the ids are taken from the table's sequence first, then every row goes in through COPY
    (`core.bulk`). SQLite: multi-row INSERT ... RETURNING.
    """
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    table = _quoted(meta.db_table)
    if connection.vendor == "postgresql":
        ids = bulk.ids_reserve(model, len(rows)) if returning else []
        names = [f.column for f in columns]
        if returning:
            names, rows = [meta.pk.column, *names], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        bulk.rows_insert(model, names, rows)
        return ids
    with connection.cursor() as cursor:
        head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - names from the model, quoted
            table, ", ".join(_quoted(f.column) for f in columns))
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        found: list[int] = []
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start:start + INSERT_ROWS]
            params = [f.get_db_prep_save(value, connection) for row in chunk
                      for f, value in zip(columns, row, strict=True)]
            sql = head + ", ".join([one] * len(chunk))
            if returning:
                cursor.execute(sql + " RETURNING " + _quoted(meta.pk.column), params)
                found += [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(sql, params)
        return found


def rows_update(model: type[models.Model], fields: Sequence[str], rows: Iterable[Any]) -> None:
    """Save `fields` of many rows (objects with those attributes and `pk`) in one statement (PostgreSQL:
    copied to a temporary table, then one UPDATE ... FROM it) or prepared UPDATEs sent together (SQLite).
    Django's bulk_update builds a CASE per row and field: seconds for thousands.
    """
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql":
        bulk.rows_update(model, [f.column for f in columns],
                         [(row.pk, *(getattr(row, f.attname) for f in columns)) for row in rows])
        return
    table = _quoted(meta.db_table)
    with connection.cursor() as cursor:
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model, quoted
            table, ", ".join(f"{_quoted(f.column)} = %s" for f in columns), _quoted(meta.pk.column))
        cursor.executemany(sql, [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns]
                                 + [row.pk] for row in rows])


def _chunks(values: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(values))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


ITEM_FIELDS = ("id", "party_id", "contract_id", "currency", "amount", "paid_amount", "status", "due_date")


def bank_payments_record(
    *, entries: Sequence[BankPaymentEntry], by: Any = None, channel: str = Channel.SYSTEM, now: dt.datetime,
) -> list[int]:
    """Record the payments (in the order given) and allocate each; return their ids in that order."""
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
        names: dict[int, str] = {}
        rows = bulk.rows_where(f"SELECT t.id, t.name, t.merged_into_id FROM {_quoted(Party._meta.db_table)} t "  # noqa: S608
                               "WHERE t.id {any} ORDER BY t.id", [sorted({e.party_id for e in entries})], lock="t")
        for pk, name, merged_into in rows:
            if merged_into is not None:
                raise BillingError(_("“%(party)s” was merged into another customer; record the payment there.")
                                   % {"party": name})
            names[pk] = name
        items: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for ids in _chunks(names):
            rows = (ExpectedPayment.objects.open().select_for_update().filter(party_id__in=ids).order_by("pk")
                    .values_list(*ITEM_FIELDS))
            for row in rows:
                item = SimpleNamespace(**dict(zip(ITEM_FIELDS, row, strict=True)))
                item.pk = item.id
                items[item.party_id].append(item)
        payments, allocations, paid_items = [], [], []
        for entry in entries:
            amount = entry.amount.quantize(Decimal("0.01"))
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
            payments.append(entry)
            allocations.append(shares)
            paid_items += [item for item, _share in shares]
        payment_ids = rows_insert(
            Payment, ["party", "amount", "currency", "received_on", "source", "reference", "counterparty_account",
                      "counterparty_name", "note", "allocated_amount", "refunded_amount", "created_at", "created_by",
                      "channel"],
            [[e.party_id, e.amount.quantize(Decimal("0.01")), e.currency, e.received_on, PaymentSource.BANK,
              e.reference.strip()[:35], e.counterparty_account.strip()[:50], e.counterparty_name.strip()[:200],
              e.note.strip()[:500], sum((s for _i, s in shares), Decimal("0.00")), Decimal("0.00"), now,
              actor.pk if actor else None, channel] for e, shares in zip(payments, allocations, strict=True)],
            returning=True)
        rows_insert(Allocation, ["payment", "expected_payment", "amount", "created_at", "created_by", "channel"], [
            [payment_id, item.pk, share, now, actor.pk if actor else None, channel]
            for payment_id, shares in zip(payment_ids, allocations, strict=True) for item, share in shares])
        rows_update(ExpectedPayment, ["paid_amount", "status", "changed_at"], {i.pk: i for i in paid_items}.values())
        _audit(payments, payment_ids, allocations, actor=actor, channel=channel, now=now)
    return payment_ids


def _audit(entries: list[BankPaymentEntry], payment_ids: list[int], allocations: list[list], *, actor: Any,
           channel: str, now: dt.datetime) -> None:
    party_type = ContentType.objects.get_for_model(Party).pk
    payment_type = ContentType.objects.get_for_model(Payment).pk
    label = (actor.get_full_name() or actor.get_username()) if actor else _("system")
    rows = []
    for entry, payment_id, shares in zip(entries, payment_ids, allocations, strict=True):
        amount = entry.amount.quantize(Decimal("0.01"))
        changes = {"amount": [None, str(amount)], "currency": [None, entry.currency],
                   "source": [None, PaymentSource.BANK], "received_on": [None, str(entry.received_on)],
                   "reference": [None, entry.reference or None],
                   "allocated": [None, [f"{item.pk}: {share}" for item, share in shares]]}
        rows.append([now, actor.pk if actor else None, label, "abonent.billing.payment.recorded", channel,
                     payment_type, str(payment_id), f"{entry.received_on:%Y-%m-%d} {amount} {entry.currency}",
                     party_type, str(entry.party_id), changes, ""])
    rows_insert(AuditEntry, ["at", "actor", "actor_label", "action", "channel", "target_type", "target_id",
                             "target_label", "subject_type", "subject_id", "changes", "note"], rows)


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
