"""The arrears report as a PDF: the totals by currency and age, and every customer in arrears, not one page."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from abonent.accounts.models import RoleRight
from abonent.billing import arrears_views, downloads
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import ProductFactory, active_contract
from abonent.core.models import AuditEntry
from abonent.core.roles import Access, Role

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def printed(monkeypatch):
    """The HTML each PDF was made from (the PDF's text is not readable without a PDF library)."""
    pages = []
    real = downloads.pdf_from_html
    monkeypatch.setattr(downloads, "pdf_from_html", lambda html: pages.append(html) or real(html))
    return pages


@time_machine.travel(TODAY, tick=False)
def test_the_pdf_lists_every_customer_in_arrears_not_only_the_first_page(client_as, printed, monkeypatch):
    monkeypatch.setattr(arrears_views, "PAGE", 2)
    late = [active_contract(start=dt.date(2026, 1, 1)) for _ in range(3)]
    paid(late[0].party, "300.00")
    euro = active_contract(products=[ProductFactory(currency="EUR", price=Decimal("24.90"))], start=dt.date(2026, 3, 1))
    client = client_as(Role.MANAGER)

    page = client.get("/billing/arrears/").content.decode()
    response = client.get("/billing/arrears/export.pdf")

    assert 'id="arrears-next"' in page and 'href="/billing/arrears/export.pdf?"' in page
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'inline; filename="arrears-2026-04-20.pdf"'
    (html,) = printed
    assert all(contract.party.name in html for contract in [*late, euro])
    # 4 × 310 due by 15 April, 300 paid: 940; the others 1240; in euro, 15 March and 15 April
    assert "CZK\xa0940.00" in html and "CZK\xa03,420.00" in html and "€49.80" in html
    assert 'id="arrears-cut"' not in html
    assert AuditEntry.objects.filter(action="abonent.billing.arrears.exported", note__startswith="pdf 4 rows").exists()


@time_machine.travel(TODAY, tick=False)
def test_the_pdf_keeps_to_the_chosen_day_and_currency(client_as, printed):
    czk = active_contract(start=dt.date(2026, 1, 1))
    euro = active_contract(products=[ProductFactory(currency="EUR", price=Decimal("24.90"))], start=dt.date(2026, 3, 1))

    client_as(Role.MANAGER).get("/billing/arrears/export.pdf", {"on": "2026-02-01", "currency": "CZK"})

    (html,) = printed
    assert czk.party.name in html and euro.party.name not in html
    assert "CZK\xa0310.00" in html and "CZK\xa01,240.00" not in html  # only January was overdue on 1 February


@time_machine.travel(TODAY, tick=False)
def test_a_pdf_too_long_to_print_says_where_it_stops(client_as, printed, monkeypatch):
    monkeypatch.setattr(arrears_views, "PDF_LIMIT", 1)
    first, second = active_contract(start=dt.date(2026, 1, 1)), active_contract(start=dt.date(2026, 2, 1))

    client_as(Role.MANAGER).get("/billing/arrears/export.pdf")

    (html,) = printed
    assert first.party.name in html and second.party.name not in html
    assert 'id="arrears-cut"' in html and "the Excel and CSV exports hold them all" in html


def test_the_pdf_needs_the_right_to_read_billing(client_as, client):
    assert client_as(Role.CUSTOMER).get("/billing/arrears/export.pdf").status_code == 403
    client.logout()
    RoleRight.objects.filter(role=Role.AGENT, module="billing").update(access=Access.NONE)

    assert client_as(Role.AGENT).get("/billing/arrears/export.pdf").status_code == 403
