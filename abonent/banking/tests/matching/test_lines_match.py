"""The matcher: reference, then the paying account, then amount and date, then the payer's name."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.banking.matching import AUTO_CONFIDENCE, lines_match, name_similarity
from abonent.banking.models import BankStatementLine, LinePayment, MatchState
from abonent.banking.tests.factories import BankLineFactory
from abonent.billing.models import ExpectedPayment, ItemStatus, Payment, PaymentSource
from abonent.contracts.tests.factories import NOW, active_contract
from abonent.core.models import AuditEntry, Channel
from abonent.customers.models import BankAccount as CustomerBankAccount
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
D = Decimal


def match(*lines):
    outcome = lines_match(lines=list(lines), by=None, channel=Channel.IMPORT, now=NOW)
    for line in lines:
        line.refresh_from_db()
    return outcome


def customer_account(party, iban):
    return CustomerBankAccount.objects.create(party=party, iban=iban)


def test_a_line_quoting_the_contracts_variable_symbol_is_matched_and_pays_its_oldest_item():
    contract = active_contract()
    line = BankLineFactory(variable_symbol=contract.variable_symbol, amount=D("310.00"), counterparty_name="Payer")

    outcome = match(line)

    assert (outcome.matched, outcome.suggested, outcome.unmatched) == (1, 0, 0)
    assert (line.state, line.party, line.confidence) == (MatchState.MATCHED, contract.party, 100)
    assert line.explanation == (f"Reference {contract.variable_symbol} is contract {contract.number} of "
                                f"{contract.party.name}.")
    payment = LinePayment.objects.get(line=line).payment
    assert (payment.party, payment.amount, payment.source, payment.received_on) == (
        contract.party, D("310.00"), PaymentSource.BANK, dt.date(2026, 1, 16))
    first = ExpectedPayment.objects.filter(contract=contract).order_by("due_date").first()
    assert (first.paid_amount, first.status) == (D("310.00"), ItemStatus.PAID)
    recorded = AuditEntry.objects.get(action="abonent.billing.payment.recorded", subject_id=str(contract.party.pk),
                                      channel=Channel.IMPORT)
    assert recorded.target_id == str(payment.pk)
    assert recorded.changes["allocated"] == [None, [f"{first.pk}: 310.00"]]


def test_a_creditor_reference_in_the_message_finds_the_contract():
    contract = active_contract()
    line = BankLineFactory(remittance=f"Invoice January {contract.creditor_reference}", amount=D("620.00"))

    match(line)

    assert (line.state, line.party) == (MatchState.MATCHED, contract.party)
    assert ExpectedPayment.objects.filter(contract=contract, status=ItemStatus.PAID).count() == 2


def test_a_payment_from_a_known_account_without_a_reference_is_matched_to_its_owner():
    contract = active_contract()
    customer_account(contract.party, "CZ2408000000000861828109")
    # As Raiffeisenbank writes it: a domestic number and the bank's code, turned into the IBAN on import.
    line = BankLineFactory(counterparty_account="861828109", counterparty_bank_code="0800",
                           counterparty_iban="CZ2408000000000861828109", amount=D("100.00"))

    match(line)

    assert (line.state, line.party, line.confidence) == (MatchState.MATCHED, contract.party, 90)
    assert "CZ2408000000000861828109" in line.explanation
    assert Payment.objects.get().allocated_amount == D("100.00")


def test_a_reference_of_one_customer_paid_from_another_customers_account_is_only_suggested():
    contract = active_contract()
    other = PartyFactory(name="Someone Else")
    customer_account(other, "CZ6508000000192000145399")
    line = BankLineFactory(variable_symbol=contract.variable_symbol, counterparty_iban="CZ6508000000192000145399")

    match(line)

    assert (line.state, line.party, line.confidence) == (MatchState.SUGGESTED, contract.party, 50)
    assert "Someone Else" in line.explanation
    assert line.confidence < AUTO_CONFIDENCE
    assert not Payment.objects.exists()


def test_the_only_open_item_of_the_amount_due_near_the_day_is_suggested():
    contract = active_contract(products=None)
    active_contract()  # another customer owing 310.00 a month
    item = ExpectedPayment.objects.filter(contract=contract).order_by("due_date").first()
    ExpectedPayment.objects.filter(pk=item.pk).update(amount=D("333.33"))
    line = BankLineFactory(amount=D("333.33"), booking_date=dt.date(2026, 1, 20))

    match(line)

    assert (line.state, line.party, line.expected_payment_id, line.confidence) == (
        MatchState.SUGGESTED, contract.party, item.pk, 65)


def test_a_payer_named_like_one_of_the_customers_owing_the_amount_is_suggested():
    novak = active_contract(party=PartyFactory(name="Jan Novák"))
    active_contract(party=PartyFactory(name="Petra Svobodová"))
    line = BankLineFactory(amount=D("310.00"), counterparty_name="NOVAK JAN")

    match(line)

    assert (line.state, line.party) == (MatchState.SUGGESTED, novak.party)
    assert line.confidence == 70
    assert "NOVAK JAN" in line.explanation


def test_a_line_nothing_points_at_stays_unmatched_with_a_reason():
    active_contract()
    line = BankLineFactory(amount=D("12.34"), counterparty_name="Unknown Sender", remittance="thanks")

    outcome = match(line)

    assert outcome.unmatched == 1
    assert (line.state, line.party) == (MatchState.UNMATCHED, None)
    assert line.explanation == "No reference, account or amount led to a customer."


def test_money_out_is_never_matched_to_customers():
    contract = active_contract()
    line = BankLineFactory(variable_symbol=contract.variable_symbol, amount=D("-310.00"))

    match(line)

    assert line.state == MatchState.IGNORED
    assert not Payment.objects.exists()


def test_a_currency_abonent_does_not_keep_is_left_unmatched():
    contract = active_contract()
    line = BankLineFactory(variable_symbol=contract.variable_symbol, currency="CHF")

    match(line)

    assert (line.state, line.explanation) == (MatchState.UNMATCHED, "Abonent keeps no accounts in CHF.")


def test_a_line_in_a_closed_billing_period_is_suggested_not_recorded():
    from abonent.core.services import period_close

    contract = active_contract()
    period_close(by=None, active_from=dt.date(2026, 1, 1), active_to=dt.date(2026, 2, 1), domain="billing", now=NOW)
    line = BankLineFactory(variable_symbol=contract.variable_symbol)

    match(line)

    assert line.state == MatchState.SUGGESTED
    assert "closed" in line.explanation
    assert not Payment.objects.exists()


def test_matching_takes_the_same_number_of_queries_for_three_lines_as_for_thirty():
    contracts = [active_contract() for _ in range(6)]

    def lines(count):
        return [BankLineFactory(variable_symbol=contracts[i % 3].variable_symbol, amount=D("1.00")) for i in
                range(count // 3)] + [BankLineFactory(counterparty_name=f"N{i}", amount=D(f"{i}.77")) for i in
                                      range(count // 3)] + [BankLineFactory(amount=D("310.00"))
                                                            for _ in range(count // 3)]

    few, many = lines(3), lines(30)
    with CaptureQueriesContext(connection) as small:
        lines_match(lines=few, by=None, channel=Channel.IMPORT, now=NOW)
    with CaptureQueriesContext(connection) as large:
        lines_match(lines=many, by=None, channel=Channel.IMPORT, now=NOW)

    assert len(large) <= len(small) + 2  # bulk inserts may split into one more batch, never one query per line
    assert BankStatementLine.objects.filter(state=MatchState.MATCHED).count() == 11


def test_names_are_compared_without_accents_case_or_word_order():
    assert name_similarity("NOVAK JAN", "Jan Novák") == 1.0
    assert name_similarity("Novák Jan, Ing.", "Jan Novák") == 1.0
    assert name_similarity("Jana Nováková", "Jan Novák") < 0.95
    assert name_similarity("ACME s.r.o.", "Jan Novák") < 0.5


def test_among_many_customers_owing_the_amount_only_the_same_name_is_suggested(monkeypatch):
    monkeypatch.setattr("abonent.banking.matching.NAME_CANDIDATES", 1)  # as if thousands owed 310.00
    novak = active_contract(party=PartyFactory(name="Jan Novák"))
    active_contract(party=PartyFactory(name="Jana Nováková"))
    same, similar = (BankLineFactory(amount=D("310.00"), counterparty_name=name)
                     for name in ("NOVÁK JAN", "NOVAKOVA JAN"))

    match(same, similar)

    assert (same.state, same.party) == (MatchState.SUGGESTED, novak.party)
    assert similar.state == MatchState.UNMATCHED
