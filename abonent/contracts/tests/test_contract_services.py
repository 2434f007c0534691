"""Contract services: drafts, activation with number and references, lines, status changes, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from stdnum import iso11649

from abonent.contracts.models import ContractLine, ContractStatus
from abonent.contracts.services import (
    ContractError,
    contract_activate,
    contract_change,
    contract_create,
    contract_line_add,
    contract_line_change,
    contract_line_end,
    contract_resume,
    contract_suspend,
    contract_terminate,
    contracts_end_fixed_terms,
)
from abonent.contracts.tests.factories import NOW, ContractFactory, ProductFactory, active_contract, contract_series
from abonent.core.models import AuditEntry, DocumentSeries
from abonent.core.services import SeriesInactive
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_draft_has_no_number_until_it_is_activated():
    contract_series()
    contract = contract_create(by=None, party=PartyFactory(), currency="CZK", start_date=dt.date(2026, 1, 1), now=NOW)
    contract_line_add(by=None, contract=contract, product=ProductFactory(), now=NOW)
    assert contract.number == ""

    contract = contract_activate(by=None, contract=contract, now=NOW)

    assert (contract.number, contract.status) == ("C2026-000001", ContractStatus.ACTIVE)
    assert contract.variable_symbol == "2026000001"
    assert iso11649.is_valid(contract.creditor_reference) and contract.creditor_reference.endswith("C2026000001")


def test_numbers_follow_each_other_without_gaps_in_activation_order():
    first, second = active_contract(), active_contract()

    assert [first.number, second.number] == ["C2026-000001", "C2026-000002"]


def test_a_contract_without_products_cannot_be_activated():
    contract_series()
    contract = ContractFactory()

    with pytest.raises(ContractError, match="at least one product"):
        contract_activate(by=None, contract=contract, now=NOW)


def test_without_a_contract_series_activation_explains_what_is_missing():
    DocumentSeries.objects.filter(document_type="contract").delete()
    contract = ContractFactory()
    contract_line_add(by=None, contract=contract, product=ProductFactory(), now=NOW)

    with pytest.raises(SeriesInactive, match="document series"):
        contract_activate(by=None, contract=contract, now=NOW)


def test_a_line_takes_the_products_price_unless_given_and_refuses_another_currency():
    contract = ContractFactory()

    line = contract_line_add(by=None, contract=contract, product=ProductFactory(price=D("499.00")), now=NOW)

    assert line.unit_price == D("499.00")
    with pytest.raises(ContractError, match="priced in EUR"):
        contract_line_add(by=None, contract=contract, product=ProductFactory(currency="EUR"), now=NOW)


def test_changing_an_active_line_from_a_day_keeps_the_old_price_before_it():
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()

    contract_line_change(by=None, line=line, quantity=D(2), unit_price=D("310.00"), discount_percent=D(0),
                         active_from=dt.date(2026, 4, 1), now=NOW)

    periods = [(x.quantity, x.active_from, x.active_to) for x in ContractLine.objects.filter(contract=contract)
               .order_by("active_from")]
    assert periods == [(D(1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)), (D(2), dt.date(2026, 4, 1), None)]


def test_ending_a_drafts_line_removes_it():
    contract = ContractFactory()
    line = contract_line_add(by=None, contract=contract, product=ProductFactory(), now=NOW)

    contract_line_end(by=None, line=line, active_to=dt.date(2026, 1, 1), now=NOW)

    assert not contract.lines.exists()


def test_status_moves_draft_active_suspended_active_terminated():
    contract = active_contract()

    contract_suspend(by=None, contract=contract, reason="Unpaid", now=NOW)
    contract_resume(by=None, contract=contract, now=NOW)
    contract = contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 5, 1), reason="Moved", now=NOW)

    assert (contract.status, contract.end_date, contract.termination_reason) == ("terminated", dt.date(2026, 5, 1),
                                                                                 "Moved")
    actions = list(AuditEntry.objects.filter(subject_id=str(contract.party_id), action__startswith="abonent.contracts"
                                             ).values_list("action", flat=True).order_by("id"))
    assert actions[-3:] == ["abonent.contracts.contract.suspended", "abonent.contracts.contract.resumed",
                            "abonent.contracts.contract.terminated"]


def test_a_suspended_contract_can_be_terminated_but_not_suspended_again():
    contract = active_contract()
    contract_suspend(by=None, contract=contract, now=NOW)

    with pytest.raises(ContractError, match="cannot be suspended"):
        contract_suspend(by=None, contract=contract, now=NOW)
    contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 3, 1), reason="Unpaid", now=NOW)


def test_termination_needs_a_reason_and_happens_once():
    contract = active_contract()

    with pytest.raises(ContractError, match="Say why"):
        contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 3, 1), reason=" ", now=NOW)
    contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 3, 1), reason="Price", now=NOW)
    with pytest.raises(ContractError, match="already terminated"):
        contract_terminate(by=None, contract=contract, end_date=dt.date(2026, 3, 1), reason="Price", now=NOW)


def test_a_draft_can_be_terminated_without_a_number():
    contract = ContractFactory()

    contract = contract_terminate(by=None, contract=contract, end_date=contract.start_date, reason="Changed mind",
                                  now=NOW)

    assert (contract.status, contract.number) == (ContractStatus.TERMINATED, "")


def test_an_active_contracts_start_and_currency_are_fixed():
    contract = active_contract()

    with pytest.raises(ContractError, match="fixed"):
        contract_change(by=None, contract=contract, values={"start_date": dt.date(2026, 2, 1)}, now=NOW)
    contract_change(by=None, contract=contract, values={"payment_day": 20, "notes": "Gate code 1234"}, now=NOW)

    entry = AuditEntry.objects.filter(action="abonent.contracts.contract.changed").latest("id")
    assert entry.changes == {"payment_day": [15, 20], "notes": ["", "Gate code 1234"]}
    assert entry.subject_id == str(contract.party_id)


def test_the_minimum_term_ends_on_the_same_day_months_later():
    contract = ContractFactory(start_date=dt.date(2026, 1, 31), minimum_term_months=1)

    assert contract.minimum_term_end == dt.date(2026, 2, 28)


def test_a_node_that_pays_for_a_contract_cannot_be_deleted_and_the_refusal_says_why(db):
    from abonent.customers.hierarchy_services import HierarchyRefused, node_add, node_delete, structure_create

    structure = structure_create(by=None, name="Billing groups", kind="billing")
    payer = node_add(by=None, structure=structure, name="Head office")
    ContractFactory(payer=payer)

    with pytest.raises(HierarchyRefused, match="“Head office” is still used by contracts"):
        node_delete(by=None, node=payer)
    assert payer.__class__.objects.filter(pk=payer.pk).exists()


def test_fixed_term_contracts_terminate_by_the_system_on_their_until_day_once():
    ends_today = active_contract(end_date=dt.date(2026, 4, 1))
    ended_suspended = active_contract(end_date=dt.date(2026, 3, 15))
    contract_suspend(by=None, contract=ended_suspended, now=NOW)
    ends_tomorrow = active_contract(end_date=dt.date(2026, 4, 2))
    open_ended = active_contract()
    draft = ContractFactory(end_date=dt.date(2026, 2, 1))
    # 1 April, 00:30 in Prague (still 31 March in UTC): the first day ends_today no longer runs.
    after_midnight = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)

    assert contracts_end_fixed_terms(now=after_midnight) == 2
    assert contracts_end_fixed_terms(now=after_midnight) == 0

    for contract in (ends_today, ended_suspended, ends_tomorrow, open_ended, draft):
        contract.refresh_from_db()
    assert [c.status for c in (ends_today, ended_suspended, ends_tomorrow, open_ended, draft)] == [
        ContractStatus.TERMINATED, ContractStatus.TERMINATED, ContractStatus.ACTIVE, ContractStatus.ACTIVE,
        ContractStatus.DRAFT]
    assert (ends_today.end_date, ends_today.termination_reason) == (dt.date(2026, 4, 1), "End of the fixed term")
    entries = {e.target_id: e for e in AuditEntry.objects.filter(action="abonent.contracts.contract.terminated")}
    assert {pk: (e.actor, e.actor_label, e.channel, e.note) for pk, e in entries.items()} == {
        str(ends_today.pk): (None, "system", "system", "End of the fixed term"),
        str(ended_suspended.pk): (None, "system", "system", "End of the fixed term")}
    assert entries[str(ended_suspended.pk)].changes["status"] == ["suspended", "terminated"]
