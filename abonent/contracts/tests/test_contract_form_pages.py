"""The contract's forms after activation: edit, change and end a line, suspend and resume, and the exports.

What the changes do to the payment schedule is billing's to test (abonent/billing/tests/test_schedule.py).
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from abonent.contracts.models import ContractLine, ContractStatus
from abonent.contracts.services import contract_suspend, contract_terminate
from abonent.contracts.tests.factories import NOW, active_contract
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
HEADER = {"currency": "CZK", "billing_period": "monthly", "start_date": "2026-01-01", "minimum_term_months": "12",
          "payment_day": "15", "due_rule": "advance"}


@time_machine.travel(TODAY, tick=False)
def test_a_rep_edits_an_active_contract_whose_start_and_currency_stay_fixed(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    client = client_as(Role.SALES_REP)

    form = client.get(f"/contracts/{contract.pk}/edit/").content.decode()
    response = client.post(f"/contracts/{contract.pk}/edit/", {
        **HEADER, "currency": "EUR", "start_date": "2025-06-01", "payment_day": "25", "notes": "Call first"})

    assert "Fixed once the contract is active." in form
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"
    contract.refresh_from_db()
    assert (contract.currency, contract.start_date, contract.payment_day, contract.notes) == (
        "CZK", dt.date(2026, 1, 1), 25, "Call first")
    entry = AuditEntry.objects.get(action="abonent.contracts.contract.changed", actor=client.user)
    assert entry.changes["payment_day"] == [15, 25]


@time_machine.travel(TODAY, tick=False)
def test_an_edit_that_cannot_be_made_is_explained_on_the_form(client_as):
    contract = active_contract(start=dt.date(2026, 3, 1))

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/edit/", {
        **HEADER, "start_date": "2026-03-01", "end_date": "2026-02-01"})

    assert response.status_code == 200 and "cannot end before it starts" in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_date is None


@time_machine.travel(TODAY, tick=False)
def test_changing_a_line_from_a_day_keeps_the_old_price_before_it(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()
    client = client_as(Role.SALES_REP)

    form = client.get(f"/contracts/{contract.pk}/lines/{line.pk}/change/")
    response = client.post(f"/contracts/{contract.pk}/lines/{line.pk}/change/", {
        "quantity": "2", "unit_price": "310.00", "discount_percent": "0", "active_from": "2026-04-01"})

    assert form.status_code == 200 and 'value="2026-03-20"' in form.content.decode()  # today by default
    assert response.status_code == 302
    lines = list(ContractLine.objects.filter(contract=contract).order_by("active_from"))
    assert [(x.quantity, x.active_from, x.active_to) for x in lines] == [
        (D("1.00"), dt.date(2026, 1, 1), dt.date(2026, 4, 1)), (D("2.00"), dt.date(2026, 4, 1), None)]
    assert AuditEntry.objects.filter(action="abonent.contracts.line.changed", target_id=str(lines[1].pk)).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_line_change_with_a_bad_value_is_shown_again_with_the_error(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/lines/{line.pk}/change/", {
        "quantity": "0", "unit_price": "310.00", "discount_percent": "0", "active_from": "2026-04-01"})

    assert response.status_code == 400
    assert ContractLine.objects.filter(contract=contract).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_ending_a_line_stops_billing_it_from_that_day(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/lines/{line.pk}/end/",
                                              {"active_to": "2026-05-01"})

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.active_to == dt.date(2026, 5, 1)
    assert AuditEntry.objects.get(action="abonent.contracts.line.ended").changes["active_to"] == [None, "2026-05-01"]


@time_machine.travel(TODAY, tick=False)
def test_ending_a_line_without_a_day_asks_for_it(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    line = contract.lines.get()

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/lines/{line.pk}/end/", {"active_to": ""})

    assert response.status_code == 400
    line.refresh_from_db()
    assert line.active_to is None


@time_machine.travel(TODAY, tick=False)
def test_a_manager_suspends_a_contract_with_a_reason_and_resumes_it(client_as):
    contract = active_contract()
    client = client_as(Role.MANAGER)

    client.post(f"/contracts/{contract.pk}/suspend/", {"reason": "Unpaid for three months"})
    contract.refresh_from_db()
    suspended = contract.status
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    client.post(f"/contracts/{contract.pk}/resume/")
    contract.refresh_from_db()

    assert (suspended, contract.status) == (ContractStatus.SUSPENDED, ContractStatus.ACTIVE)
    assert "Unpaid for three months" in page
    assert AuditEntry.objects.filter(action="abonent.contracts.contract.resumed", actor=client.user).exists()


@time_machine.travel(TODAY, tick=False)
def test_resuming_a_running_contract_is_explained_not_a_500(client_as):
    contract = active_contract()
    client = client_as(Role.MANAGER)

    response = client.post(f"/contracts/{contract.pk}/resume/", follow=True)

    assert response.status_code == 200 and "cannot be resumed" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_an_agent_cannot_post_any_contract_change(client_as):
    contract = active_contract()
    line = contract.lines.get()
    client = client_as(Role.AGENT)

    posts = {
        f"/contracts/{contract.pk}/edit/": {**HEADER, "payment_day": "25"},
        f"/contracts/{contract.pk}/lines/{line.pk}/change/": {
            "quantity": "2", "unit_price": "310.00", "discount_percent": "0", "active_from": "2026-04-01"},
        f"/contracts/{contract.pk}/lines/{line.pk}/end/": {"active_to": "2026-05-01"},
        f"/contracts/{contract.pk}/suspend/": {"reason": "x"},
        f"/contracts/{contract.pk}/resume/": {},
    }

    assert {url: client.post(url, data).status_code for url, data in posts.items()} == dict.fromkeys(posts, 403)
    contract.refresh_from_db()
    line.refresh_from_db()
    assert (contract.payment_day, contract.status, line.quantity, line.active_to) == (
        15, ContractStatus.ACTIVE, D("1.00"), None)


def test_the_contracts_export_downloads_the_filtered_rows_as_csv_and_xlsx(client_as):
    kept, suspended, ended = active_contract(), active_contract(), active_contract()
    contract_suspend(by=None, contract=suspended, now=NOW)
    contract_terminate(by=None, contract=ended, end_date=dt.date(2026, 3, 1), reason="Moved", now=NOW)
    client = client_as(Role.AGENT)

    response = client.get("/contracts/export.csv", {"status": "active"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/contracts/export.xlsx", {"status": "terminated"}).getvalue()))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["Number", "Customer", "Status"]
    assert rows[1:] and all(row[0] == kept.number and row[1] == kept.party.name for row in rows[1:])
    assert len(rows) == 2
    sheet = book.active
    assert (sheet.max_row, sheet.cell(2, 1).value, sheet.cell(2, 2).value) == (2, ended.number, ended.party.name)
