"""Billing pages: the tab, manual payments, unmatching and refunds, arrears with exports; who may do what."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from abonent.billing.models import Allocation, Payment, PaymentSource
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import active_contract
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
def test_the_billing_tab_shows_balance_aging_open_items_and_payments(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "400.00")

    page = client_as(Role.AGENT).get(f"/customers/{contract.party_id}/", {"tab": "billing"}).content.decode()

    # January to April are due (1240), 400 paid
    assert "-CZK\xa0840.00" in page
    assert 'id="open-items"' in page and "Partly paid" in page and "Overdue" in page
    assert "Record a payment" not in page  # agents read billing only
    assert 'id="fact-balance"' in page


@time_machine.travel(TODAY, tick=False)
def test_an_administrator_records_a_cash_payment_that_pays_the_oldest_items(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    client = client_as(Role.ADMINISTRATOR)

    response = client.post(f"/billing/payments/new/?party={contract.party_id}", {
        "party": contract.party_id, "amount": "620.00", "currency": "CZK", "received_on": "2026-04-20",
        "source": "cash", "note": "Receipt 17", "allocate": "on"})

    assert response.status_code == 302
    payment = Payment.objects.get(party=contract.party)
    assert (payment.source, payment.allocated_amount, payment.created_by) == ("cash", D("620.00"), client.user)


def test_a_sales_rep_cannot_record_payments(client_as):
    contract = active_contract()

    client = client_as(Role.SALES_REP)

    assert client.get(f"/billing/payments/new/?party={contract.party_id}").status_code == 403
    assert client.post(f"/billing/payments/new/?party={contract.party_id}", {"amount": "1"}).status_code == 403


def test_a_payment_in_a_closed_period_is_explained_not_a_500(client_as):
    from abonent.core.models import ClosedPeriod

    contract = active_contract()
    ClosedPeriod.objects.create(active_from=dt.date(2026, 1, 1), active_to=dt.date(2026, 2, 1), closed_at=TODAY)

    response = client_as(Role.ADMINISTRATOR).post(f"/billing/payments/new/?party={contract.party_id}", {
        "party": contract.party_id, "amount": "10", "currency": "CZK", "received_on": "2026-01-10", "source": "cash"})

    assert response.status_code == 200 and "is closed" in response.content.decode()
    assert not Payment.objects.exists()


def test_unmatching_and_refunding_from_the_payment_page(client_as):
    contract = active_contract()
    payment = paid(contract.party, "310.00")
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/billing/allocations/{Allocation.objects.get(payment=payment).pk}/remove/", {"reason": "Wrong"})
    client.post(f"/billing/payments/{payment.pk}/refund/", {"amount": "310.00", "note": "Sent back"})

    payment.refresh_from_db()
    assert (payment.allocated_amount, payment.refunded_amount) == (D("0.00"), D("310.00"))
    assert Payment.objects.get(source=PaymentSource.REFUND).amount == D("-310.00")
    assert AuditEntry.objects.filter(action="abonent.billing.allocation.removed", actor=client.user).exists()
    page = client.get(f"/billing/payments/{payment.pk}/").content.decode()
    assert "Sent back" in page


def test_a_reader_sees_no_unmatch_button_and_cannot_post_one(client_as):
    contract = active_contract()
    payment = paid(contract.party, "310.00")
    client = client_as(Role.MANAGER)

    page = client.get(f"/billing/payments/{payment.pk}/").content.decode()

    assert "Unmatch" not in page
    assert client.post(f"/billing/allocations/{Allocation.objects.get().pk}/remove/").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_the_arrears_page_and_its_exports_list_customers_by_age(client_as):
    late = active_contract(start=dt.date(2026, 1, 1))
    on_time = active_contract(start=dt.date(2026, 1, 1))
    paid(on_time.party, "1240.00")
    client = client_as(Role.MANAGER)

    page = client.get("/billing/arrears/").content.decode()
    assert late.party.name in page and on_time.party.name not in page

    rows = list(csv.reader(io.StringIO(client.get("/billing/arrears/export.csv").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Customer", "Customer number", "Currency"]
    # due 15 Jan (95 days), 15 Feb (64), 15 Mar (36), 15 Apr (5)
    assert rows[1][2:] == ["CZK", "0.00", "310.00", "310.00", "310.00", "310.00", "1240.00", "1240.00"]

    book = load_workbook(io.BytesIO(client.get("/billing/arrears/export.xlsx").content))
    sheet = book.active
    assert sheet.cell(2, 1).value == late.party.name and sheet.cell(2, 9).value == 1240


@time_machine.travel(TODAY, tick=False)
def test_the_arrears_of_contracts_a_billing_node_pays_for_with_the_nodes_below_it(client_as):
    from abonent.customers.hierarchy_services import node_add, structure_create

    structure = structure_create(by=None, name="Billing groups", kind="billing")
    head = node_add(by=None, structure=structure, name="Head office")
    branch = node_add(by=None, structure=structure, name="Brno branch", parent=head)
    other = node_add(by=None, structure=structure, name="Another group")
    by_branch = active_contract(start=dt.date(2026, 1, 1), payer=branch)
    by_head = active_contract(start=dt.date(2026, 1, 1), payer=head)
    by_other = active_contract(start=dt.date(2026, 1, 1), payer=other)
    alone = active_contract(start=dt.date(2026, 1, 1))
    client = client_as(Role.MANAGER)

    page = client.get("/billing/arrears/", {"payer": head.pk}).content.decode()
    rows = list(csv.reader(io.StringIO(
        client.get("/billing/arrears/export.csv", {"payer": branch.pk}).content.decode("utf-8-sig"))))
    pdf = client.get("/billing/arrears/export.pdf", {"payer": head.pk})

    assert by_branch.party.name in page and by_head.party.name in page
    assert by_other.party.name not in page and alone.party.name not in page
    assert "CZK\xa02,480.00" in page  # in total: two customers, 4 × 310 each
    assert "Billing groups: Head office › Brno branch" in page
    assert [row[0] for row in rows[1:]] == [by_branch.party.name]
    assert pdf["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="abonent.billing.arrears.exported",
                                     note__endswith=f"paid by node {branch.pk}").exists()


def test_the_payments_list_filters_by_source(client_as):
    contract = active_contract()
    paid(contract.party, "310.00")

    page = client_as(Role.MANAGER).get("/billing/payments/", {"source": "cash"}).content.decode()

    assert "0 payments" in page or "No payments match." in page
