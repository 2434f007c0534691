"""The payment page's allocation forms (a chosen item, or the oldest first) and the payments export."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from abonent.billing.models import Allocation, ExpectedPayment, ItemStatus
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import active_contract
from abonent.core.roles import Role

pytestmark = pytest.mark.django_db

D = Decimal


def item_of(contract, month: int) -> ExpectedPayment:
    return ExpectedPayment.objects.get(contract=contract, period_from=dt.date(2026, month, 1))


def test_an_administrator_allocates_part_of_a_payment_to_the_item_they_choose(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    payment = paid(contract.party, "500.00", allocate=False)
    march = item_of(contract, 3)

    response = client_as(Role.ADMINISTRATOR).post(f"/billing/payments/{payment.pk}/allocate/",
                                                  {"expected_payment": march.pk, "amount": "100.00"})

    assert response.status_code == 302 and response["Location"] == f"/billing/payments/{payment.pk}/"
    march.refresh_from_db()
    assert (march.paid_amount, march.status) == (D("100.00"), ItemStatus.PARTLY_PAID)
    assert item_of(contract, 1).paid_amount == D("0.00")  # not the oldest: the one chosen


def test_allocating_more_than_the_item_needs_is_explained_and_changes_nothing(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    payment = paid(contract.party, "500.00", allocate=False)
    client = client_as(Role.ADMINISTRATOR)

    page = client.post(f"/billing/payments/{payment.pk}/allocate/",
                       {"expected_payment": item_of(contract, 3).pk, "amount": "400.00"}, follow=True)

    assert "At most 310.00 can be allocated here." in page.content.decode()
    assert not Allocation.objects.exists()


def test_oldest_first_spreads_the_payment_over_the_oldest_items(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    payment = paid(contract.party, "500.00", allocate=False)

    page = client_as(Role.ADMINISTRATOR).post(f"/billing/payments/{payment.pk}/allocate/", {"oldest": "1"},
                                              follow=True).content.decode()

    assert "Allocated to 2 items." in page
    assert [(item_of(contract, m).paid_amount) for m in (1, 2, 3)] == [D("310.00"), D("190.00"), D("0.00")]
    payment.refresh_from_db()
    assert payment.unallocated == D("0.00")


def test_a_billing_reader_cannot_allocate(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    payment = paid(contract.party, "500.00", allocate=False)
    client = client_as(Role.MANAGER)

    chosen = client.post(f"/billing/payments/{payment.pk}/allocate/",
                         {"expected_payment": item_of(contract, 1).pk, "amount": "100.00"})
    oldest = client.post(f"/billing/payments/{payment.pk}/allocate/", {"oldest": "1"})

    assert (chosen.status_code, oldest.status_code) == (403, 403)
    assert not Allocation.objects.exists()


def test_the_payments_export_downloads_the_filtered_rows_as_csv_and_xlsx(client_as):
    contract = active_contract()
    paid(contract.party, "310.00", on=dt.date(2026, 1, 20))
    paid(contract.party, "155.50", on=dt.date(2026, 2, 20))
    paid(active_contract().party, "99.00", on=dt.date(2025, 12, 20))
    client = client_as(Role.MANAGER)

    response = client.get("/billing/payments/export.csv", {"received_from": "2026-01-01"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/billing/payments/export.xlsx",
                                               {"received_from": "2026-01-01"}).getvalue()))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["Received", "Customer", "Amount", "Currency"]
    assert [row[1:4] for row in rows[1:]] == [[contract.party.name, "155.50", "CZK"],
                                              [contract.party.name, "310.00", "CZK"]]
    sheet = book.active
    assert [sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)] == [155.5, 310]
