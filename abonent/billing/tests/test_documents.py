"""Payment orders with QR codes, statements and arrears statements, on screen and as PDF."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from abonent.billing.documents import PayeeAccount, epc, payment_order, spayd, st00012
from abonent.billing.statements import party_statement
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import ProductFactory, active_contract
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
CZK_ACCOUNT = PayeeAccount(currency="CZK", name="Abonent Telecom s.r.o.", iban="CZ6508000000192000145399",
                           bic="GIBACZPX")


def test_spayd_carries_account_amount_currency_and_variable_symbol():
    text = spayd(account=CZK_ACCOUNT, amount=D("1240.5"), variable_symbol="2026000001", message="Contract C*1")

    assert text == ("SPD*1.0*ACC:CZ6508000000192000145399+GIBACZPX*AM:1240.50*CC:CZK*X-VS:2026000001"
                    "*MSG:Contract C 1*RN:Abonent Telecom s.r.o.")


def test_the_russian_qr_gives_the_sum_in_kopecks():
    account = PayeeAccount(currency="RUB", name="Абонент", account="40702810900000012345", bic="044525225",
                           bank="ПАО Сбербанк", correspondent="30101810400000000225")

    text = st00012(account=account, amount=D("790.50"), purpose="Договор C2026-000001")

    assert text.startswith("ST00012|Name=Абонент|PersonalAcc=40702810900000012345|BankName=ПАО Сбербанк|")
    assert "|Sum=79050|Purpose=Договор C2026-000001" in text


@time_machine.travel(TODAY, tick=False)
def test_a_czech_customers_order_asks_for_what_is_due_with_the_variable_symbol_and_a_spayd_code():
    contract = active_contract(party=PartyFactory(country="CZ"), start=dt.date(2026, 1, 1))
    paid(contract.party, "100.00")

    order = payment_order(party=contract.party, on=dt.date(2026, 3, 20))

    # January to April (due within a month): 1240 − 100
    assert (order.amount, order.reference, order.qr_kind) == (D("1140.00"), contract.variable_symbol, "spayd")
    assert order.qr_svg.startswith("data:image/svg+xml")


@time_machine.travel(TODAY, tick=False)
def test_a_sepa_order_in_euro_uses_the_creditor_reference_and_the_epc_code():
    product = ProductFactory(currency="EUR", price=D("24.90"))
    contract = active_contract(party=PartyFactory(country="RO"), products=[product], start=dt.date(2026, 3, 1))

    order = payment_order(party=contract.party, amount=D("10.00"), on=dt.date(2026, 3, 20))

    assert (order.amount, order.reference, order.qr_kind) == (D("10.00"), contract.creditor_reference, "epc")


def test_the_epc_code_carries_each_field_on_its_line_with_the_creditor_reference_as_structured_remittance():
    account = PayeeAccount(currency="EUR", name="Abonent Telecom s.r.o.", iban="AT611904300234573201",
                           bic="BKAUATWW")

    text = epc(account=account, amount=D("24.9"), reference="RF74C2026000001", message="Contract C2026-000001")

    assert text.split("\n") == [
        "BCD",  # service tag
        "002",  # version: the BIC may be left out inside the EEA
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        "BKAUATWW",
        "Abonent Telecom s.r.o.",
        "AT611904300234573201",
        "EUR24.90",
        "",  # purpose: none
        "RF74C2026000001",  # structured remittance; then no unstructured text
    ]


def test_the_epc_code_without_a_creditor_reference_sends_the_message_as_unstructured_text():
    account = PayeeAccount(currency="EUR", name="Abonent\nTelecom", iban="AT611904300234573201")

    lines = epc(account=account, amount=D("10"), reference="", message="Contract C2026-000001").split("\n")

    assert lines[4:] == ["", "Abonent Telecom", "AT611904300234573201", "EUR10.00", "", "",
                         "Contract C2026-000001"]


SK_EUR = {"EUR": {"iban": "SK3112000000198742637541", "bic": "SUBASKBX"}}
AT_EUR = {"EUR": {"iban": "AT611904300234573201", "bic": "BKAUATWW"}}


@time_machine.travel(TODAY, tick=False)
@override_settings(BILLING_PAYEE_ACCOUNTS=AT_EUR)
def test_a_slovak_customer_paying_euro_into_a_sepa_account_is_asked_for_the_reference_the_epc_code_carries():
    product = ProductFactory(currency="EUR", price=D("24.90"))
    contract = active_contract(party=PartyFactory(country="SK"), products=[product], start=dt.date(2026, 3, 1))

    order = payment_order(party=contract.party, on=dt.date(2026, 3, 20))

    lines = order.qr_text.split("\n")
    assert (order.qr_kind, lines[0], lines[6], lines[7]) == ("epc", "BCD", "AT611904300234573201", "EUR49.80")
    assert order.reference == lines[-1] == lines[9] == contract.creditor_reference


@time_machine.travel(TODAY, tick=False)
@override_settings(BILLING_PAYEE_ACCOUNTS=SK_EUR)
def test_a_euro_account_in_slovakia_gets_a_spayd_code_with_the_variable_symbol():
    product = ProductFactory(currency="EUR", price=D("24.90"))
    contract = active_contract(party=PartyFactory(country="SK"), products=[product], start=dt.date(2026, 3, 1))

    order = payment_order(party=contract.party, amount=D("24.90"), on=dt.date(2026, 3, 20))

    header, version, *fields = order.qr_text.split("*")
    values = dict(field.split(":", 1) for field in fields)
    assert (order.qr_kind, header, version) == ("spayd", "SPD", "1.0")
    assert values == {"ACC": "SK3112000000198742637541+SUBASKBX", "AM": "24.90", "CC": "EUR",
                      "X-VS": contract.variable_symbol, "MSG": f"Contract {contract.number}",
                      "RN": "Abonent Telecom s.r.o."}
    assert order.reference == contract.variable_symbol


@time_machine.travel(TODAY, tick=False)
def test_the_payment_order_page_and_pdf(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    client = client_as(Role.AGENT)

    page = client.get(f"/billing/customers/{contract.party_id}/payment-order/").content.decode()
    pdf = client.get(f"/billing/customers/{contract.party_id}/payment-order/", {"format": "pdf", "amount": "50"})

    assert 'id="order-qr"' in page and contract.variable_symbol in page
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@time_machine.travel(TODAY, tick=False)
def test_a_customer_with_nothing_due_gets_an_order_for_the_amount_they_choose(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "5000.00", on=dt.date(2026, 3, 1))
    client = client_as(Role.AGENT)
    url = f"/billing/customers/{contract.party_id}/payment-order/"

    asked = client.get(url)
    ordered = client.get(url, {"amount": "600", "currency": "CZK"})

    assert asked.status_code == 400
    page = asked.content.decode()
    assert "has nothing to pay in CZK now" in page and 'id="order-amount"' in page
    assert 'name="currency" value="CZK"' in page
    assert ordered.status_code == 200
    order = ordered.content.decode()
    assert 'id="order-qr"' in order and contract.variable_symbol in order and "CZK\xa0600.00" in order


@override_settings(BILLING_PAYEE_ACCOUNTS={})
def test_an_order_without_an_account_for_the_currency_says_so(client_as):
    contract = active_contract()

    response = client_as(Role.AGENT).get(f"/billing/customers/{contract.party_id}/payment-order/")

    assert response.status_code == 400 and "No account for payments in CZK" in response.content.decode()


def test_a_statement_runs_the_balance_from_the_opening_one():
    contract = active_contract(start=dt.date(2026, 1, 1))
    paid(contract.party, "500.00", on=dt.date(2026, 2, 3))

    statement = party_statement(party=contract.party, currency="CZK", start=dt.date(2026, 2, 1),
                                end=dt.date(2026, 4, 1))

    assert statement.opening == D("-310.00")  # January fell due before
    assert [(line.day, line.balance) for line in statement.lines] == [
        (dt.date(2026, 2, 3), D("190.00")), (dt.date(2026, 2, 15), D("-120.00")), (dt.date(2026, 3, 15), D("-430.00"))]
    assert statement.closing == D("-430.00")


@time_machine.travel(TODAY, tick=False)
def test_the_statement_and_the_arrears_statement_as_pages_and_pdf(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    client = client_as(Role.AGENT)

    statement = client.get(f"/billing/customers/{contract.party_id}/statement/").content.decode()
    arrears = client.get(f"/billing/customers/{contract.party_id}/arrears/").content.decode()
    pdf = client.get(f"/billing/customers/{contract.party_id}/arrears/", {"format": "pdf"})

    assert 'id="closing"' in statement and "-CZK\xa0930.00" in statement
    assert "Days overdue" in arrears and "64" in arrears  # 15 January to 20 March
    assert pdf.content.startswith(b"%PDF")


def test_documents_need_billing_rights(client_as):
    contract = active_contract()

    assert client_as(Role.CUSTOMER).get(f"/billing/customers/{contract.party_id}/statement/").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_a_customer_never_billed_gets_an_empty_statement_and_arrears_statement_not_a_404(client_as):
    party = PartyFactory(country="PL")
    client = client_as(Role.AGENT)

    statement = client.get(f"/billing/customers/{party.pk}/statement/")
    arrears = client.get(f"/billing/customers/{party.pk}/arrears/")
    pdf = client.get(f"/billing/customers/{party.pk}/statement/", {"format": "pdf"})

    assert statement.status_code == 200
    page = statement.content.decode()
    assert 'id="statement-empty"' in page and "in PLN" in page
    assert '<td class="num" id="closing">PLN\xa00.00</td>' in page
    assert arrears.status_code == 200 and "Nothing is overdue." in arrears.content.decode()
    assert pdf.content.startswith(b"%PDF")


@time_machine.travel(TODAY, tick=False)
def test_the_billing_tab_of_a_customer_never_billed_disables_the_payment_order_and_says_why(client_as):
    party = PartyFactory()
    client = client_as(Role.AGENT)

    tab = client.get(f"/customers/{party.pk}/", {"tab": "billing"}).content.decode()

    assert 'id="order-unavailable"' in tab and "there is nothing to pay" in tab
    assert f"/billing/customers/{party.pk}/payment-order/" not in tab
    assert f"/billing/customers/{party.pk}/statement/" in tab
    billed = active_contract(start=dt.date(2026, 1, 1))
    tab = client.get(f"/customers/{billed.party_id}/", {"tab": "billing"}).content.decode()
    assert f"/billing/customers/{billed.party_id}/payment-order/" in tab and 'id="order-unavailable"' not in tab
