"""Writes about contracts: create, change, lines, activate, suspend, resume, terminate; all audited.

Every change that can change what the contract costs sends `contract_changed` inside its transaction;
billing regenerates the payment schedule on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.contracts.models import (
    BillingPeriod,
    Contract,
    ContractLine,
    ContractStatus,
    DueRule,
    Product,
)
from abonent.contracts.references import creditor_reference_from, variable_symbol_from
from abonent.contracts.signals import contract_changed
from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record, changed_fields, series_for, series_next_number
from abonent.customers.models import Node, Party

DOCUMENT_TYPE = "contract"
HEADER_FIELDS = ("payer", "sales_rep", "minimum_term_months", "end_date", "payment_day", "due_rule", "notes",
                 "billing_period", "start_date", "currency")
# What an activated contract keeps: its money and its first day are in its schedule and on its number.
DRAFT_ONLY_FIELDS = ("start_date", "currency", "billing_period")


class ContractError(AbonentError):
    """A contract change a person asked for that cannot be made."""


def _lock(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("party").get(pk=contract.pk)


def _refresh_main_product(contract: Contract) -> None:
    lines = contract.lines.select_related("product").order_by("active_from", "id")
    running = [line for line in lines if line.active_to is None]
    recurring = [line for line in running if line.product.billing_period != BillingPeriod.ONE_OFF]
    main = (recurring or running or list(lines) or [None])[0]
    product_id = main.product_id if main else None
    if contract.main_product_id != product_id:
        contract.main_product_id = product_id
        contract.save(update_fields=["main_product"])


def _changed(contract: Contract, *, by: Any, channel: str, now: dt.datetime) -> None:
    _refresh_main_product(contract)
    if not contract.is_draft:
        contract_changed.send(sender=Contract, contract=contract, by=by, channel=channel, now=now)


def _audit(contract: Contract, verb: str, *, by: Any, channel: str, now: dt.datetime, changes=None, note="",
           target=None) -> None:
    audit_record(actor=by, action=f"abonent.contracts.{'line' if target else 'contract'}.{verb}",
                 target=target or contract, subject=contract.party, changes=changes, channel=channel, now=now,
                 note=note or (str(contract) if target else ""))


def _check_header(values: Mapping[str, Any]) -> None:
    if values.get("currency") and values["currency"] not in settings.CURRENCIES:
        raise ContractError(_("Abonent does not bill in %(currency)s.") % {"currency": values["currency"]})
    day = values.get("payment_day")
    if day is not None and not 1 <= day <= 31:
        raise ContractError(_("The payment day is a day of the month, from 1 to 31."))
    payer = values.get("payer")
    if payer is not None and payer.structure.kind != "billing":
        raise ContractError(_("The payer must be a node of a billing structure; “%(node)s” is not.")
                            % {"node": payer.name})
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ContractError(_("The contract cannot end before it starts."))


def _check_line(contract: Contract, product: Product, quantity: Decimal, unit_price: Decimal,
                discount_percent: Decimal) -> None:
    if product.currency != contract.currency:
        raise ContractError(
            _("“%(product)s” is priced in %(product_currency)s and the contract in %(currency)s: choose a product "
              "in %(currency)s.")
            % {"product": product, "product_currency": product.currency, "currency": contract.currency}
        )
    if quantity <= 0:
        raise ContractError(_("The quantity must be more than zero."))
    if unit_price < 0:
        raise ContractError(_("The unit price cannot be negative."))
    if not 0 <= discount_percent <= 100:
        raise ContractError(_("A discount is between 0 and 100 %."))


def contract_create(
    *, by: Any, party: Party, currency: str, start_date: dt.date, billing_period: str = BillingPeriod.MONTHLY,
    minimum_term_months: int = 0, end_date: dt.date | None = None, payer: Node | None = None,
    sales_rep: Any = None, payment_day: int = 15, due_rule: str = DueRule.ADVANCE, notes: str = "",
    channel: str = Channel.UI, now: dt.datetime,
) -> Contract:
    """Start a draft contract for the customer; the sales rep defaults to the customer's."""
    if party.is_merged:
        raise ContractError(_("“%(party)s” was merged into another customer; open that one.") % {"party": party})
    values = {"currency": currency, "start_date": start_date, "end_date": end_date, "payer": payer,
              "payment_day": payment_day}
    _check_header(values)
    with transaction.atomic():
        contract = Contract.objects.create(
            party=party, currency=currency, start_date=start_date, billing_period=billing_period,
            minimum_term_months=minimum_term_months, end_date=end_date, payer=payer,
            sales_rep=sales_rep if sales_rep is not None else party.sales_rep, payment_day=payment_day,
            due_rule=due_rule, notes=notes, created_at=now,
        )
        _audit(contract, "created", by=by, channel=channel, now=now, changes={
            "currency": (None, currency), "start_date": (None, start_date), "billing_period": (None, billing_period),
        })
    return contract


def contract_change(
    *, by: Any, contract: Contract, values: Mapping[str, Any], channel: str = Channel.UI, now: dt.datetime,
) -> Contract:
    """Change the contract's header (dates, payer, rep, payment day, notes); the start, currency and billing
    period only while it is a draft."""
    unknown = set(values) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not contract header fields: {sorted(unknown)}")
    with transaction.atomic():
        contract = _lock(contract)
        changes = changed_fields(contract, values)
        if not changes:
            return contract
        if contract.is_terminated:
            raise ContractError(_("A terminated contract cannot be changed."))
        if not contract.is_draft and set(changes) & set(DRAFT_ONLY_FIELDS):
            raise ContractError(_("The start, currency and billing period of an active contract are fixed; "
                                  "terminate it and write a new one."))
        _check_header({**{f: getattr(contract, f) for f in HEADER_FIELDS}, **values})
        if "currency" in changes and contract.lines.exclude(product__currency=values["currency"]).exists():
            raise ContractError(_("Remove the lines priced in another currency first."))
        for field, (_old, new) in changes.items():
            setattr(contract, field, new)
        contract.save(update_fields=list(changes))
        _audit(contract, "changed", by=by, channel=channel, now=now, changes=changes)
        _changed(contract, by=by, channel=channel, now=now)
    return contract


# --- lines ---------------------------------------------------------------------------------------------


def contract_line_add(
    *, by: Any, contract: Contract, product: Product, quantity: Decimal = Decimal(1),
    unit_price: Decimal | None = None, discount_percent: Decimal = Decimal(0), active_from: dt.date | None = None,
    channel: str = Channel.UI, now: dt.datetime,
) -> ContractLine:
    """Add a product to the contract from `active_from` (its start by default) at the product's price unless
    another unit price is given."""
    unit_price = product.price if unit_price is None else unit_price
    with transaction.atomic():
        contract = _lock(contract)
        if contract.is_terminated:
            raise ContractError(_("A terminated contract cannot be changed."))
        if not product.active:
            raise ContractError(_("“%(product)s” is no longer sold.") % {"product": product})
        _check_line(contract, product, quantity, unit_price, discount_percent)
        active_from = max(active_from or contract.start_date, contract.start_date)
        line = ContractLine.objects.create(contract=contract, product=product, quantity=quantity,
                                           unit_price=unit_price, discount_percent=discount_percent,
                                           active_from=active_from)
        _audit(contract, "added", by=by, channel=channel, now=now, target=line, changes={
            "product": (None, product.code), "quantity": (None, quantity), "unit_price": (None, unit_price),
            "discount_percent": (None, discount_percent), "active_from": (None, active_from),
        })
        _changed(contract, by=by, channel=channel, now=now)
    return line


def contract_line_change(
    *, by: Any, line: ContractLine, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal,
    active_from: dt.date, channel: str = Channel.UI, now: dt.datetime,
) -> ContractLine:
    """Change a line's quantity, price or discount from `active_from` on.

    On a draft, or from the line's own first day, the line is corrected in place; otherwise it ends the day
    before and a new line carries the new values, so the days before keep their price.
    """
    with transaction.atomic():
        contract = _lock(line.contract)
        line = ContractLine.objects.select_related("product").get(pk=line.pk)
        if contract.is_terminated:
            raise ContractError(_("A terminated contract cannot be changed."))
        _check_line(contract, line.product, quantity, unit_price, discount_percent)
        if line.active_to is not None and active_from >= line.active_to:
            raise ContractError(_("This line ended on %(day)s; add a new one instead.")
                                % {"day": line.active_to.isoformat()})
        active_from = max(active_from, line.active_from)
        values = {"quantity": quantity, "unit_price": unit_price, "discount_percent": discount_percent}
        changes = changed_fields(line, values)
        if not changes:
            return line
        if contract.is_draft or active_from == line.active_from:
            for field, value in values.items():
                setattr(line, field, value)
            line.save(update_fields=list(values))
            changed = line
        else:
            changed = ContractLine.objects.create(contract=contract, product=line.product, active_from=active_from,
                                                  active_to=line.active_to, **values)
            line.active_to = active_from
            line.save(update_fields=["active_to"])
        _audit(contract, "changed", by=by, channel=channel, now=now, target=changed, changes=changes,
               note=_("%(contract)s, from %(day)s") % {"contract": contract, "day": active_from.isoformat()})
        _changed(contract, by=by, channel=channel, now=now)
    return changed


def contract_line_end(
    *, by: Any, line: ContractLine, active_to: dt.date, channel: str = Channel.UI, now: dt.datetime,
) -> None:
    """Stop billing a line from `active_to` on (a draft's line, or one ending before it starts, is removed)."""
    with transaction.atomic():
        contract = _lock(line.contract)
        line = ContractLine.objects.select_related("product").get(pk=line.pk)
        if contract.is_terminated:
            raise ContractError(_("A terminated contract cannot be changed."))
        if line.active_to is not None and line.active_to <= active_to:
            return
        old = line.active_to
        if contract.is_draft or active_to <= line.active_from:
            pk = line.pk
            line.delete()
            line.pk = pk  # the audit entry still names the removed line
            verb, changes = "removed", {"product": (line.product.code, None)}
        else:
            line.active_to = active_to
            line.save(update_fields=["active_to"])
            verb, changes = "ended", {"active_to": (old, active_to)}
        _audit(contract, verb, by=by, channel=channel, now=now, target=line, changes=changes)
        _changed(contract, by=by, channel=channel, now=now)


# --- status --------------------------------------------------------------------------------------------


def _assign_references(contract: Contract) -> None:
    symbol = variable_symbol_from(contract.number)
    if not symbol or Contract.objects.filter(variable_symbol=symbol).exclude(pk=contract.pk).exists():
        # A series whose numbers share digits with another's: fall back to the contract's key.
        symbol = f"9{contract.pk:09d}"[-10:]
    contract.variable_symbol = symbol
    contract.creditor_reference = creditor_reference_from(contract.number)


def contract_activate(*, by: Any, contract: Contract, channel: str = Channel.UI, now: dt.datetime) -> Contract:
    """Validate a draft: give it its number and payment references and start its payment schedule."""
    with transaction.atomic():
        contract = _lock(contract)
        if not contract.is_draft:
            raise ContractError(_("Only a draft can be activated; this contract is %(status)s.")
                                % {"status": contract.get_status_display().lower()})
        if not contract.lines.exists():
            raise ContractError(_("Add at least one product before activating the contract."))
        contract.number = series_next_number(series=series_for(document_type=DOCUMENT_TYPE),
                                             on=timezone.localdate(now))
        _assign_references(contract)
        contract.status, contract.activated_at = ContractStatus.ACTIVE, now
        contract.save(update_fields=["number", "variable_symbol", "creditor_reference", "status", "activated_at"])
        _audit(contract, "activated", by=by, channel=channel, now=now, changes={
            "status": (ContractStatus.DRAFT, ContractStatus.ACTIVE), "number": (None, contract.number),
            "variable_symbol": (None, contract.variable_symbol),
        })
        _changed(contract, by=by, channel=channel, now=now)
    return contract


def _move(contract: Contract, *, to: str, allowed: tuple[str, ...], verb: str, by: Any, channel: str,
          now: dt.datetime, reason: str = "") -> Contract:
    with transaction.atomic():
        contract = _lock(contract)
        if contract.status not in allowed:
            raise ContractError(_("A contract that is %(status)s cannot be %(verb)s.") % {
                "status": contract.get_status_display().lower(), "verb": {
                    "suspended": _("suspended"), "resumed": _("resumed")}[verb]})
        old, contract.status = contract.status, to
        contract.save(update_fields=["status"])
        _audit(contract, verb, by=by, channel=channel, now=now, changes={"status": (old, to)}, note=reason)
        _changed(contract, by=by, channel=channel, now=now)
    return contract


def contract_suspend(
    *, by: Any, contract: Contract, reason: str = "", channel: str = Channel.UI, now: dt.datetime,
) -> Contract:
    """Suspend an active contract (the service stops; billing goes on, see the docs)."""
    return _move(contract, to=ContractStatus.SUSPENDED, allowed=(ContractStatus.ACTIVE,), verb="suspended",
                 by=by, channel=channel, now=now, reason=reason)


def contract_resume(*, by: Any, contract: Contract, channel: str = Channel.UI, now: dt.datetime) -> Contract:
    """Make a suspended contract active again."""
    return _move(contract, to=ContractStatus.ACTIVE, allowed=(ContractStatus.SUSPENDED,), verb="resumed",
                 by=by, channel=channel, now=now)


def contract_terminate(
    *, by: Any, contract: Contract, end_date: dt.date, reason: str, channel: str = Channel.UI, now: dt.datetime,
) -> Contract:
    """End the contract on `end_date` (exclusive: the first day without service), from any state but terminated.

    Its schedule is cut there: the last period is prorated, later unpaid items are cancelled, and what the
    customer already paid for days after the end becomes their credit.
    """
    reason = reason.strip()
    if not reason:
        raise ContractError(_("Say why the contract ends."))
    with transaction.atomic():
        contract = _lock(contract)
        if contract.is_terminated:
            raise ContractError(_("The contract is already terminated."))
        if end_date < contract.start_date:
            raise ContractError(_("The contract cannot end before it starts (%(day)s).")
                                % {"day": contract.start_date.isoformat()})
        if contract.end_date is not None and end_date > contract.end_date:
            raise ContractError(_("The contract already ends on %(day)s; it cannot be terminated later.")
                                % {"day": contract.end_date.isoformat()})
        changes = {"status": (contract.status, ContractStatus.TERMINATED), "end_date": (contract.end_date, end_date),
                   "termination_reason": (contract.termination_reason or None, reason)}
        contract.status, contract.end_date, contract.termination_reason = ContractStatus.TERMINATED, end_date, reason
        contract.terminated_at = now
        contract.save(update_fields=["status", "end_date", "termination_reason", "terminated_at"])
        _audit(contract, "terminated", by=by, channel=channel, now=now, changes=changes, note=reason)
        if contract.activated_at is not None:
            contract_changed.send(sender=Contract, contract=contract, by=by, channel=channel, now=now)
    return contract


def contracts_end_fixed_terms(*, now: dt.datetime) -> int:
    """Terminate the running contracts whose fixed term ended by today; return how many.

    The periodic job: each is terminated on its own end date by the system, with its history and audit
    entry like any termination. Running it again finds nothing to do.
    """
    today = timezone.localdate(now)
    reason = _("End of the fixed term")
    ended = 0
    for pk in Contract.objects.past_their_end(today).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            # Read again under the lock: someone may have terminated it or moved its end since.
            contract = Contract.objects.past_their_end(today).select_for_update().filter(pk=pk).first()
            if contract is None:
                continue
            contract_terminate(by=None, contract=contract, end_date=contract.end_date, reason=reason,
                               channel=Channel.SYSTEM, now=now)
        ended += 1
    return ended
