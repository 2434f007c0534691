"""Matching by hand: accept, assign, split over customers, ignore, unmatch (audited)."""

from decimal import Decimal

import pytest

from abonent.banking.manual import MatchingError, Share, line_accept, line_assign, line_ignore, line_split, line_unmatch
from abonent.banking.matching import lines_match
from abonent.banking.models import LinePayment, MatchState
from abonent.banking.tests.factories import BankLineFactory
from abonent.billing.models import ExpectedPayment, ItemStatus, Payment
from abonent.contracts.tests.factories import NOW, active_contract
from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def clerk(make_user):
    return make_user(Role.ADMINISTRATOR)


def items(contract):
    return list(ExpectedPayment.objects.filter(contract=contract).order_by("due_date"))


def test_accepting_a_suggestion_records_the_payment_for_the_suggested_customer(clerk):
    contract = active_contract()
    line = BankLineFactory(amount=D("310.00"), state=MatchState.SUGGESTED, party=contract.party,
                           expected_payment=items(contract)[1])

    line_accept(line=line, by=clerk, now=NOW)

    line.refresh_from_db()
    assert (line.state, line.party) == (MatchState.MATCHED, contract.party)
    payment = LinePayment.objects.get(line=line).payment
    assert (payment.party, payment.amount, payment.created_by) == (contract.party, D("310.00"), clerk)
    assert AuditEntry.objects.filter(action="abonent.banking.line.matched", actor=clerk).exists()


def test_assigning_a_line_to_a_searched_item_pays_that_item_first(clerk):
    contract = active_contract()
    third = items(contract)[2]
    line = BankLineFactory(amount=D("310.00"))

    line_assign(line=line, item=third, by=clerk, now=NOW)

    third.refresh_from_db()
    assert third.status == ItemStatus.PAID
    assert items(contract)[0].status == ItemStatus.OPEN


def test_a_line_is_never_split_between_two_customers(clerk):
    first, second = active_contract(), active_contract()
    line = BankLineFactory(amount=D("620.00"))

    with pytest.raises(MatchingError, match="never shared between customers"):
        line_split(line=line, shares=[Share(party=first.party, amount=D("310.00")),
                                      Share(party=second.party, amount=D("310.00"), item=items(second)[0])],
                   by=clerk, now=NOW)

    line.refresh_from_db()
    assert line.state != MatchState.MATCHED
    assert not Payment.objects.exists()


def test_a_line_split_over_one_customers_items_pays_each_its_part(clerk):
    contract = active_contract()
    first, _second, third = items(contract)[:3]
    line = BankLineFactory(amount=D("620.00"))

    line_split(line=line, shares=[Share(party=contract.party, amount=D("310.00"), item=first),
                                  Share(party=contract.party, amount=D("310.00"), item=third)],
               by=clerk, now=NOW)

    line.refresh_from_db()
    assert (line.state, line.party) == (MatchState.MATCHED, contract.party)
    assert [p.amount for p in Payment.objects.filter(party=contract.party)] == [D("310.00")] * 2
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == third.status == ItemStatus.PAID


def test_a_split_covering_part_of_the_line_leaves_it_partially_matched(clerk):
    contract = active_contract()
    line = BankLineFactory(amount=D("500.00"))

    line_split(line=line, shares=[Share(party=contract.party, amount=D("310.00"))], by=clerk, now=NOW)

    line.refresh_from_db()
    assert line.state == MatchState.PARTIAL


def test_parts_adding_up_to_more_than_the_line_are_refused(clerk):
    contract = active_contract()
    line = BankLineFactory(amount=D("100.00"))

    with pytest.raises(MatchingError, match="more than the line"):
        line_split(line=line, shares=[Share(party=contract.party, amount=D("100.01"))], by=clerk, now=NOW)

    assert not Payment.objects.exists()


def test_an_item_of_another_customer_cannot_be_paid_in_someones_share(clerk):
    first, second = active_contract(), active_contract()
    line = BankLineFactory(amount=D("310.00"))

    with pytest.raises(MatchingError, match="not"):
        line_split(line=line, shares=[Share(party=first.party, amount=D("310.00"), item=items(second)[0])],
                   by=clerk, now=NOW)


def test_unmatching_takes_the_payment_back_and_the_items_are_owed_again(clerk):
    contract = active_contract()
    line = BankLineFactory(variable_symbol=contract.variable_symbol, amount=D("310.00"))
    lines_match(lines=[line], by=None, channel=Channel.IMPORT, now=NOW)
    line.refresh_from_db()
    assert line.state == MatchState.MATCHED

    line_unmatch(line=line, by=clerk, now=NOW, reason="Paid by mistake")

    line.refresh_from_db()
    assert (line.state, line.party) == (MatchState.UNMATCHED, None)
    assert not Payment.objects.exists()
    assert items(contract)[0].status == ItemStatus.OPEN
    assert AuditEntry.objects.filter(action="abonent.billing.allocation.removed", actor=clerk).count() == 1
    unmatched = AuditEntry.objects.get(action="abonent.banking.line.unmatched")
    assert (unmatched.note, unmatched.subject_id) == ("Paid by mistake", str(contract.party.pk))


def test_a_matched_line_cannot_be_matched_again_before_it_is_unmatched(clerk):
    contract = active_contract()
    line = BankLineFactory(amount=D("310.00"))
    line_split(line=line, shares=[Share(party=contract.party, amount=D("310.00"))], by=clerk, now=NOW)

    with pytest.raises(MatchingError, match="already matched"):
        line_split(line=line, shares=[Share(party=contract.party, amount=D("310.00"))], by=clerk, now=NOW)
    with pytest.raises(MatchingError, match="unmatch it first"):
        line_ignore(line=line, by=clerk, now=NOW)


def test_ignoring_a_line_sets_it_aside_with_the_reason(clerk):
    line = BankLineFactory(amount=D("5000.00"))

    line_ignore(line=line, by=clerk, now=NOW, reason="Transfer from our savings account")

    line.refresh_from_db()
    assert line.state == MatchState.IGNORED
    assert "Transfer from our savings account" in line.explanation
    assert AuditEntry.objects.filter(action="abonent.banking.line.ignored").exists()


def test_money_out_cannot_be_matched_by_hand(clerk):
    contract = active_contract()
    line = BankLineFactory(amount=D("-310.00"))

    with pytest.raises(MatchingError, match="Money out"):
        line_split(line=line, shares=[Share(party=contract.party, amount=D("310.00"))], by=clerk, now=NOW)
