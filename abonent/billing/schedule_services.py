"""Writes of the payment schedule: make the stored items agree with what the contract should cost.

The rule for items that already exist (docs/contracts-and-billing.md, "When a contract changes"):

- An item nobody paid anything towards, dated in an open period, is changed in place to the new amount and
  dates, or cancelled when its period no longer exists or costs nothing. Its due date moves only while it
  is not yet due, and never into the past: a due date that has passed is arrears history.
- An item paid or partly paid, or due in a closed period, is never changed. When its period now costs more,
  an adjustment item asks for the difference; when it costs less, an open adjustment of it is reduced first
  and the rest is given to the customer as a credit note (a payment the schedule records), which pays their
  next items. Running the generation again finds nothing to do: it is idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.billing.models import ZERO, ExpectedPayment, ItemKind, ItemStatus, Payment, PaymentSource
from abonent.billing.schedule import PlannedItem, add_months, schedule_plan
from abonent.billing.services import lock_party, lock_rows, party_credit_apply
from abonent.contracts.models import Contract, ContractStatus
from abonent.contracts.pricing import party_discount_spans
from abonent.contracts.references import reference_for_country
from abonent.core.models import Channel, ClosedPeriod
from abonent.core.services import audit_record

HORIZON_MONTHS = 12


def schedule_horizon(now: dt.datetime) -> dt.date:
    """Schedules reach this far: the periods starting in the next twelve months, this one included."""
    return add_months(timezone.localdate(now), HORIZON_MONTHS)


@dataclass
class ScheduleChange:
    """What one generation did, for the caller and the tests."""

    created: int = 0
    changed: int = 0
    cancelled: int = 0
    adjusted: int = 0
    credited: Decimal = ZERO

    def describe(self) -> str:
        """"12 items created, 1 changed" — what the history shows."""
        parts = [(self.created, _("%(n)s created")), (self.changed, _("%(n)s changed")),
                 (self.cancelled, _("%(n)s cancelled")), (self.adjusted, _("%(n)s adjusted"))]
        text = _("Items: %(list)s") % {"list": ", ".join(label % {"n": n} for n, label in parts if n) or "0"}
        if self.credited:
            text += "; " + _("credit note %(amount)s") % {"amount": self.credited}
        return text

    @property
    def nothing(self) -> bool:
        return not (self.created or self.changed or self.cancelled or self.adjusted or self.credited)


class _Closed:
    """Whether a due date falls in a period closed for billing (read once per generation)."""

    def __init__(self) -> None:
        self.periods = list(ClosedPeriod.objects.filter(domain__in=("", "billing")).values_list("active_from",
                                                                                            "active_to"))

    def __call__(self, day: dt.date) -> bool:
        return any(start <= day < end for start, end in self.periods)


def _editable(item: ExpectedPayment, closed: _Closed) -> bool:
    return item.status == ItemStatus.OPEN and item.paid_amount == ZERO and not closed(item.due_date)


def schedule_generate(
    *, contract: Contract, until: dt.date | None = None, now: dt.datetime, by: Any = None,
    channel: str = Channel.SYSTEM,
) -> ScheduleChange:
    """Create or correct the contract's expected payments for the periods starting before `until`.

    Draft contracts have no schedule. Items of periods after the contract's end are cancelled (or credited
    when paid). Afterwards the customer's credit pays the open items, oldest due first.
    """
    until = until or schedule_horizon(now)
    change = ScheduleChange()
    with transaction.atomic():
        lock_party(contract.party)
        contract = Contract.objects.select_related("party").get(pk=contract.pk)
        if contract.status == ContractStatus.DRAFT:
            return change
        closed = _Closed()
        existing = lock_rows(ExpectedPayment.objects.filter(contract=contract).exclude(status=ItemStatus.CANCELLED))
        periods = {i.period_from: i for i in existing if i.kind == ItemKind.PERIOD}
        adjustments: dict[int, list[ExpectedPayment]] = {}
        for item in existing:
            if item.kind == ItemKind.ADJUSTMENT:
                adjustments.setdefault(item.adjusts_id, []).append(item)
        # Items already generated beyond `until` are corrected too (a later horizon made them).
        reach = max([until, *(i.period_to for i in periods.values())])
        lines = list(contract.lines.select_related("product"))
        planned = {p.period_from: p for p in schedule_plan(contract=contract, lines=lines,
                                                            spans=party_discount_spans(contract.party), until=reach)}
        reference = reference_for_country(country=contract.party.country, variable_symbol=contract.variable_symbol,
                                          creditor_reference=contract.creditor_reference)
        # What credit notes already gave back, per item: one query instead of one per paid item.
        credited = dict(Payment.objects.filter(credit_for__contract=contract).values("credit_for")
                        .annotate(total=Sum("amount")).values_list("credit_for", "total"))
        ctx = {"by": by, "channel": channel, "now": now, "closed": closed, "change": change, "contract": contract}
        for day in sorted(set(planned) | set(periods)):
            plan, item = planned.get(day), periods.get(day)
            if item is None:
                if plan.period_from < until:
                    _create(plan, reference=reference, **ctx)
            elif _editable(item, closed):
                _correct(item, plan, **ctx)
            else:
                _settle(item, plan.amount if plan else ZERO, adjustments.get(item.pk, []),
                        credited=credited.get(item.pk, ZERO), reference=reference, **ctx)
        if not change.nothing:
            audit_record(actor=by, action="abonent.billing.schedule.generated", target=contract,
                         subject=contract.party, channel=channel, now=now, note=change.describe())
        party_credit_apply(party=contract.party, currency=contract.currency, now=now, by=by, channel=channel)
    return change


def _create(plan: PlannedItem, *, reference: str, contract: Contract, now: dt.datetime, change: ScheduleChange,
            **_ctx: Any) -> None:
    ExpectedPayment.objects.create(
        contract=contract, party=contract.party, kind=ItemKind.PERIOD, amount=plan.amount,
        currency=contract.currency, due_date=plan.due_date, period_from=plan.period_from, period_to=plan.period_to,
        reference=reference, created_at=now, changed_at=now,
    )
    change.created += 1


def _correct(item: ExpectedPayment, plan: PlannedItem | None, *, now: dt.datetime, change: ScheduleChange,
             **_ctx: Any) -> None:
    if plan is None:
        item.status, item.changed_at = ItemStatus.CANCELLED, now
        item.save(update_fields=["status", "changed_at"])
        change.cancelled += 1
        return
    values = {"amount": plan.amount, "due_date": _due_date(item, plan, today=timezone.localdate(now)),
              "period_to": plan.period_to}
    if any(getattr(item, f) != v for f, v in values.items()):
        for f, v in values.items():
            setattr(item, f, v)
        item.changed_at = now
        item.save(update_fields=[*values, "changed_at"])
        change.changed += 1


def _due_date(item: ExpectedPayment, plan: PlannedItem, *, today: dt.date) -> dt.date:
    """Keep a due date that has passed (arrears history); move one not yet due, but never into the past."""
    if item.due_date < today:
        return item.due_date
    return max(plan.due_date, today)


def _settle(
    item: ExpectedPayment, wanted: Decimal, adjustments: list[ExpectedPayment], *, credited: Decimal,
    reference: str, contract: Contract, by: Any, channel: str, now: dt.datetime, closed: _Closed,
    change: ScheduleChange,
) -> None:
    """Bring what a locked item's period is billed at to `wanted`, leaving the item itself alone."""
    billed = item.amount + sum((a.amount for a in adjustments), ZERO) - credited
    diff = wanted - billed
    if diff == ZERO:
        return
    open_adjustments = [a for a in adjustments if _editable(a, closed)]
    if diff > ZERO:
        if open_adjustments:
            adjustment = open_adjustments[0]
            adjustment.amount += diff
            adjustment.changed_at = now
            adjustment.save(update_fields=["amount", "changed_at"])
        else:
            ExpectedPayment.objects.create(
                contract=contract, party=contract.party, kind=ItemKind.ADJUSTMENT, adjusts=item, amount=diff,
                currency=item.currency, due_date=max(item.due_date, timezone.localdate(now)),
                period_from=item.period_from, period_to=item.period_to, reference=reference, created_at=now,
                changed_at=now,
            )
        change.adjusted += 1
        return
    owed_back = -diff
    for adjustment in open_adjustments:
        taken = min(owed_back, adjustment.amount)
        adjustment.amount -= taken
        adjustment.changed_at = now
        if adjustment.amount == ZERO:
            adjustment.amount, adjustment.status = taken, ItemStatus.CANCELLED  # keep the row valid (amount > 0)
        adjustment.save(update_fields=["amount", "status", "changed_at"])
        owed_back -= taken
        change.adjusted += 1
        if owed_back == ZERO:
            return
    credit = Payment.objects.create(
        party=contract.party, amount=owed_back, currency=item.currency, received_on=timezone.localdate(now),
        source=PaymentSource.CREDIT_NOTE, credit_for=item, reference=reference, created_at=now, channel=channel,
        note=_("Contract %(contract)s now costs less for %(start)s – %(end)s") % {
            "contract": contract, "start": item.period_from.isoformat(),
            "end": (item.period_to - dt.timedelta(days=1)).isoformat()},
    )
    audit_record(actor=by, action="abonent.billing.credit_note.issued", target=credit, subject=contract.party,
                 channel=channel, now=now, changes={"amount": (None, owed_back)}, note=credit.note)
    change.credited += owed_back


def schedules_extend(*, now: dt.datetime, batch: int = 500) -> int:
    """The periodic job: bring every billable contract's schedule up to the horizon; return how many changed.

    Contracts that ended more than a year ago are left alone: nothing of theirs can still change.
    """
    until = schedule_horizon(now)
    recent = timezone.localdate(now) - dt.timedelta(days=366)
    contracts = (Contract.objects.billable().filter(Q(end_date__isnull=True) | Q(end_date__gt=recent))
                 .select_related("party").order_by("pk"))
    return sum(not schedule_generate(contract=contract, until=until, now=now).nothing
               for contract in contracts.iterator(chunk_size=batch))
