"""Matching by hand: accept a suggestion, assign or split a line over customers' items, ignore, unmatch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from abonent.banking.matching import payment_entry
from abonent.banking.models import BankStatementLine, LinePayment, MatchState
from abonent.billing.bank_payments import bank_payment_withdraw, bank_payments_record
from abonent.billing.models import ExpectedPayment
from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record
from abonent.customers.models import Party


class MatchingError(AbonentError):
    pass


@dataclass(frozen=True)
class Share:
    """Part of a line for one customer: to one of their expected payments first, or to them as credit."""

    party: Party
    amount: Decimal
    item: ExpectedPayment | None = None


def _locked(line: BankStatementLine) -> BankStatementLine:
    return (BankStatementLine.objects.select_for_update(of=("self",)).select_related("statement", "party")
            .get(pk=line.pk))


def _assert_open(line: BankStatementLine) -> None:
    if line.amount <= 0:
        raise MatchingError(_("Money out is not matched to customers' payments."))
    if line.state in (MatchState.MATCHED, MatchState.PARTIAL):
        raise MatchingError(_("This line is already matched; unmatch it first."))


def line_split(*, line: BankStatementLine, shares: Sequence[Share], by: Any, now: dt.datetime,
               channel: str = Channel.UI) -> BankStatementLine:
    """Record one payment per share and allocate it, its chosen item first.

    The shares are all one customer's: a payment is never shared between customers. They may add up to
    less than the line ("partially matched"), never to more.
    """
    shares = [share for share in shares if share.amount > 0]
    if not shares:
        raise MatchingError(_("Give at least one amount for a customer."))
    if len(parties := {share.party.pk: share.party for share in shares}) > 1:
        raise MatchingError(_("One payment is never shared between customers, and these parts are for %(customers)s. "
                              "Choose expected payments of one customer.")
                            % {"customers": ", ".join(sorted(str(party) for party in parties.values()))})
    with transaction.atomic():
        line = _locked(line)
        _assert_open(line)
        total = sum((share.amount for share in shares), Decimal(0))
        if total > line.amount:
            raise MatchingError(_("The parts add up to %(total)s, more than the line's %(amount)s.")
                                % {"total": total, "amount": line.amount})
        for share in shares:
            if share.item is not None and share.item.party_id != share.party.pk:
                raise MatchingError(_("The expected payment chosen is not %(customer)s's.") % {"customer": share.party})
        payment_ids = bank_payments_record(entries=[
            payment_entry(line, party_id=share.party.pk, amount=share.amount,
                          contract_id=share.item.contract_id if share.item else None,
                          item_id=share.item.pk if share.item else None,
                          note=_("Bank statement %(statement)s") % {"statement": line.statement})
            for share in shares], by=by, channel=channel, now=now)
        LinePayment.objects.bulk_create([LinePayment(line=line, payment_id=payment_id, created_at=now,
                                                     created_by=by if getattr(by, "is_authenticated", False) else None)
                                         for payment_id in payment_ids])
        old = line.state
        line.state = MatchState.MATCHED if total == line.amount else MatchState.PARTIAL
        line.party = shares[0].party
        line.expected_payment = None
        line.confidence = 100
        names = ", ".join(f"{share.party} {share.amount}" for share in shares)
        line.explanation = (_("Matched by %(user)s: %(shares)s.") % {"user": _who(by), "shares": names})[:300]
        line.save(update_fields=["state", "party", "expected_payment", "confidence", "explanation"])
        audit_record(actor=by, action="abonent.banking.line.matched", target=line, subject=line.party, now=now,
                     channel=channel, changes={"state": (old, line.state), "shares": (None, names)})
    return line


def line_accept(*, line: BankStatementLine, by: Any, now: dt.datetime, channel: str = Channel.UI
                ) -> BankStatementLine:
    """Accept the suggestion: the whole line for the suggested customer, their suggested item first."""
    if line.state != MatchState.SUGGESTED or line.party_id is None:
        raise MatchingError(_("This line has no suggestion to accept."))
    item = line.expected_payment
    return line_split(line=line, shares=[Share(party=line.party, amount=line.amount, item=item)], by=by, now=now,
                      channel=channel)


def line_assign(*, line: BankStatementLine, item: ExpectedPayment, by: Any, now: dt.datetime,
                channel: str = Channel.UI) -> BankStatementLine:
    """The whole line for the customer of a chosen expected payment, that item first (found by searching)."""
    return line_split(line=line, shares=[Share(party=item.party, amount=line.amount, item=item)], by=by, now=now,
                      channel=channel)


def line_ignore(*, line: BankStatementLine, by: Any, now: dt.datetime, reason: str = "",
                channel: str = Channel.UI) -> BankStatementLine:
    """Set a line aside (a transfer between own accounts, a supplier's refund): nobody's payment."""
    with transaction.atomic():
        line = _locked(line)
        if line.payments.exists():
            raise MatchingError(_("This line is matched; unmatch it first."))
        old = line.state
        line.state, line.party, line.expected_payment, line.confidence = MatchState.IGNORED, None, None, 100
        line.explanation = (_("Set aside by %(user)s: %(reason)s") % {"user": _who(by), "reason": reason}
                            if reason else _("Set aside by %(user)s.") % {"user": _who(by)})[:300]
        line.save(update_fields=["state", "party", "expected_payment", "confidence", "explanation"])
        audit_record(actor=by, action="abonent.banking.line.ignored", target=line, now=now, channel=channel,
                     changes={"state": (old, line.state)}, note=reason)
    return line


def line_unmatch(*, line: BankStatementLine, by: Any, now: dt.datetime, reason: str = "",
                 channel: str = Channel.UI) -> BankStatementLine:
    """Take back the payments recorded from the line (their allocations are removed, audited) and reopen it."""
    with transaction.atomic():
        line = _locked(line)
        links = list(line.payments.select_related("payment__party").order_by("pk"))
        if not links and line.state != MatchState.IGNORED:
            raise MatchingError(_("This line is not matched."))
        old, parties = line.state, {link.payment.party for link in links}
        for link in links:
            payment = link.payment
            link.delete()
            bank_payment_withdraw(payment=payment, by=by, channel=channel, now=now, reason=reason)
        line.state, line.party, line.expected_payment, line.confidence = MatchState.UNMATCHED, None, None, 0
        line.explanation = (_("Unmatched by %(user)s: %(reason)s") % {"user": _who(by), "reason": reason}
                            if reason else _("Unmatched by %(user)s.") % {"user": _who(by)})[:300]
        line.save(update_fields=["state", "party", "expected_payment", "confidence", "explanation"])
        for party in parties or [None]:
            audit_record(actor=by, action="abonent.banking.line.unmatched", target=line, subject=party, now=now,
                         channel=channel, changes={"state": (old, line.state)}, note=reason)
    return line


def line_rematch(*, line: BankStatementLine, by: Any, now: dt.datetime, channel: str = Channel.UI
                 ) -> BankStatementLine:
    """Run the matcher again on an unmatched or suggested line (after a contract or an account was added)."""
    from abonent.banking.matching import lines_match

    with transaction.atomic():
        line = _locked(line)
        if line.state not in (MatchState.UNMATCHED, MatchState.SUGGESTED):
            raise MatchingError(_("Only an unmatched or suggested line is matched again."))
        lines_match(lines=[line], by=by, channel=channel, now=now)
    line.refresh_from_db()
    return line


def _who(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return _("the system")
    return user.get_full_name() or user.get_username()
