"""The payments report: payments received over a period per currency, source and month, on screen and as files."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from abonent.accounts.models import RoleRight
from abonent.billing import downloads
from abonent.billing.models import PaymentSource
from abonent.billing.payment_summary import payment_summary
from abonent.billing.services import payment_allocate, payment_record, payment_refund
from abonent.contracts.tests.factories import active_contract
from abonent.core.roles import Access, Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

D = Decimal
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
FIRST_QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}


def received(party, amount: str, on: dt.date, *, source=PaymentSource.BANK, currency="CZK", allocate=False):
    payment = payment_record(party=party, amount=D(amount), currency=currency, received_on=on, source=source,
                             by=None, now=NOW)
    if allocate:
        payment_allocate(payment=payment, now=NOW)
        payment.refresh_from_db()
    return payment


@pytest.fixture
def first_quarter():
    """Payments in CZK and EUR from January to March 2026, one refund, and payments just outside the quarter."""
    contract = active_contract(start=dt.date(2026, 1, 1))  # 310 CZK a month, due on the 15th
    czk, eur = contract.party, PartyFactory(country="DE")
    received(czk, "310.00", dt.date(2026, 1, 1), allocate=True)  # the quarter's first day
    received(PartyFactory(), "500.00", dt.date(2026, 2, 14), allocate=True)  # nothing to pay: all credit
    cash = received(czk, "80.00", dt.date(2026, 2, 28), source=PaymentSource.CASH)
    received(czk, "45.50", dt.date(2026, 3, 31), source=PaymentSource.CARD)  # the quarter's last day
    payment_refund(payment=cash, amount=D("30.00"), by=None, now=NOW)  # paid back on 20 March
    received(eur, "19.90", dt.date(2026, 2, 3), source=PaymentSource.PORTAL, currency="EUR")
    received(eur, "24.90", dt.date(2026, 3, 3), source=PaymentSource.PORTAL, currency="EUR")
    received(czk, "999.00", dt.date(2025, 12, 31))  # the day before
    received(czk, "999.00", dt.date(2026, 4, 1))  # the day after
    return czk, eur


def test_the_totals_count_each_currency_apart_by_source_with_what_became_of_the_money(first_quarter):
    summary = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))

    czk, eur = summary.currencies
    assert (czk.currency, eur.currency) == ("CZK", "EUR")
    assert [(t.source, t.count, t.amount, t.allocated, t.refunded, t.unallocated) for t in czk.sources] == [
        ("bank", 2, D("810.00"), D("310.00"), D("0.00"), D("500.00")),
        ("cash", 1, D("80.00"), D("0.00"), D("30.00"), D("50.00")),
        ("card", 1, D("45.50"), D("0.00"), D("0.00"), D("45.50")),
        ("refund", 1, D("-30.00"), D("0.00"), D("0.00"), D("0.00")),
    ]
    assert (czk.received.count, czk.received.amount, czk.received.unallocated) == (4, D("935.50"), D("595.50"))
    assert (czk.refunds.amount, czk.net) == (D("-30.00"), D("905.50"))
    assert (eur.received.count, eur.received.amount, eur.net) == (2, D("44.80"), D("44.80"))


def test_the_months_split_the_sources_and_the_refund_counts_in_the_month_it_was_paid_back(first_quarter):
    summary = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))

    czk = summary.currencies[0]
    assert [m.month for m in czk.months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    cells = [[(t.count, t.amount) if t else None for t in m.cells] for m in czk.months]
    # columns: bank, cash, card, refund
    assert cells == [
        [(1, D("310.00")), None, None, None],
        [(1, D("500.00")), (1, D("80.00")), None, None],
        [None, None, (1, D("45.50")), (1, D("-30.00"))],
    ]
    assert [(m.received.amount, m.net) for m in czk.months] == [
        (D("310.00"), D("310.00")), (D("580.00"), D("580.00")), (D("45.50"), D("15.50"))]


def test_a_month_without_payments_is_a_row_of_its_own(first_quarter):
    summary = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), currency="EUR")

    (eur,) = summary.currencies
    assert [(m.month.month, m.received.count) for m in eur.months] == [(1, 0), (2, 1), (3, 1)]


def test_the_first_and_the_last_day_are_in_and_the_days_around_them_are_not(first_quarter):
    summary = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), currency="CZK")
    wider = payment_summary(start=dt.date(2025, 12, 31), end=dt.date(2026, 4, 1), currency="CZK")
    first_day = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1))

    assert summary.currencies[0].received.amount == D("935.50")
    assert wider.currencies[0].received.amount == D("2933.50")  # and the two 999s
    assert [m.month for m in wider.currencies[0].months][0] == dt.date(2025, 12, 1)
    assert first_day.currencies[0].received.amount == D("310.00")


def test_the_source_filter_keeps_one_source(first_quarter):
    summary = payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), source=PaymentSource.CASH)

    (czk,) = summary.currencies
    assert [(t.source, t.amount) for t in czk.sources] == [("cash", D("80.00"))]


def test_no_payments_make_an_empty_report():
    assert payment_summary(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)).currencies == []


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_this_month_by_default_with_the_presets(client_as, first_quarter):
    page = client_as(Role.AGENT).get("/billing/payments/summary/").content.decode()

    # March: the card payment and the refund
    assert 'value="2026-03-01"' in page and 'value="2026-03-31"' in page
    assert 'id="by-source-CZK"' in page and "CZK\xa045.50" in page and "-CZK\xa030.00" in page
    assert "CZK\xa0310.00" not in page and 'id="summary-EUR"' in page
    assert "?from=2026-02-01&amp;to=2026-02-28" in page  # last month
    assert "?from=2026-01-01&amp;to=2026-12-31" in page  # this year


@time_machine.travel(NOW, tick=False)
def test_the_page_takes_the_period_currency_and_source_from_the_address(client_as, first_quarter):
    client = client_as(Role.AGENT)

    page = client.get("/billing/payments/summary/", {**FIRST_QUARTER, "currency": "CZK"}).content.decode()
    reversed_dates = client.get("/billing/payments/summary/", {"from": "2026-03-31", "to": "2026-01-01"})
    nonsense = client.get("/billing/payments/summary/", {"from": "x", "currency": "XXX", "source": "gift"})

    assert "CZK\xa0935.50" in page and "CZK\xa0905.50" in page and 'id="summary-EUR"' not in page
    assert "CZK\xa0935.50" in reversed_dates.content.decode()
    assert nonsense.status_code == 200


def test_without_payments_the_page_says_so(client_as):
    page = client_as(Role.AGENT).get("/billing/payments/summary/", FIRST_QUARTER).content.decode()

    assert 'id="summary-empty"' in page


def test_the_csv_and_the_spreadsheet_have_a_row_per_currency_month_and_source(client_as, first_quarter):
    client = client_as(Role.MANAGER)

    response = client.get("/billing/payments/summary/export.csv", FIRST_QUARTER)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/billing/payments/summary/export.xlsx", FIRST_QUARTER).content))

    assert response["Content-Disposition"] == 'attachment; filename="payments-20260101-20260331.csv"'
    assert rows[0] == ["Currency", "Month", "Source", "Payments", "Amount", "Allocated", "Refunded", "Unallocated"]
    assert rows[1:] == [
        ["CZK", "2026-01", "Bank transfer", "1", "310.00", "310.00", "0.00", "0.00"],
        ["CZK", "2026-02", "Bank transfer", "1", "500.00", "0.00", "0.00", "500.00"],
        ["CZK", "2026-02", "Cash", "1", "80.00", "0.00", "30.00", "50.00"],
        ["CZK", "2026-03", "Card", "1", "45.50", "0.00", "0.00", "45.50"],
        ["CZK", "2026-03", "Refund", "1", "-30.00", "0.00", "0.00", "0.00"],
        ["EUR", "2026-02", "Customer portal", "1", "19.90", "0.00", "0.00", "19.90"],
        ["EUR", "2026-03", "Customer portal", "1", "24.90", "0.00", "0.00", "24.90"],
    ]
    assert [c.value for c in book.active[6]] == ["CZK", "2026-03", "Refund", 1, -30, 0, 0, 0]


def test_the_pdf_is_a_pdf_of_the_same_tables(client_as, first_quarter, monkeypatch):
    printed = []
    real = downloads.pdf_from_html
    monkeypatch.setattr(downloads, "pdf_from_html", lambda html: printed.append(html) or real(html))

    response = client_as(Role.AGENT).get("/billing/payments/summary/export.pdf", {**FIRST_QUARTER, "source": "cash"})

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert 'filename="payments-20260101-20260331.pdf"' in response["Content-Disposition"]
    (html,) = printed
    assert 'id="by-source-CZK"' in html and 'id="by-month-CZK"' in html and "CZK\xa080.00" in html
    assert "Bank transfer" not in html and "Cash" in html  # the source filter, in the header too
    assert "size: A4 landscape" in html


def test_the_payments_list_and_the_arrears_page_link_to_the_report(client_as):
    client = client_as(Role.AGENT)

    assert 'href="/billing/payments/summary/"' in client.get("/billing/payments/").content.decode()
    assert 'href="/billing/payments/summary/"' in client.get("/billing/arrears/").content.decode()


@pytest.mark.parametrize("path", ["/billing/payments/summary/", "/billing/payments/summary/export.pdf",
                                  "/billing/payments/summary/export.csv"])
def test_the_report_needs_the_right_to_read_billing(client_as, path):
    assert client_as(Role.CUSTOMER).get(path).status_code == 403
    RoleRight.objects.filter(role=Role.AGENT, module="billing").update(access=Access.NONE)
    assert client_as(Role.AGENT).get(path).status_code == 403
    RoleRight.objects.filter(role=Role.AGENT, module="billing").update(access=Access.READ)
    assert client_as(Role.AGENT).get(path).status_code == 200


def test_an_unknown_format_is_not_found(client_as):
    assert client_as(Role.AGENT).get("/billing/payments/summary/export.doc").status_code == 404


def test_the_report_is_one_query_grouped_in_the_database(first_quarter, django_assert_num_queries):
    with django_assert_num_queries(1):
        summary = payment_summary(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))

    assert sum(len([c for c in m.cells if c]) for c in summary.currencies for m in c.months) == 9
