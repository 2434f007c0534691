"""The back office's money day in a real Chromium: a contract and its schedule, a real bank statement
imported and matched (automatically and by hand), the customer's payment order with its QR code and
their arrears statement."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from abonent.accounts.tests.factories import UserFactory
from abonent.banking.models import BankStatementLine, MatchState
from abonent.banking.parsing.base import counterparty_iban
from abonent.banking.tests.samples import SAMPLES
from abonent.billing.models import ExpectedPayment, Payment
from abonent.contracts.models import Contract
from abonent.contracts.tests.factories import ProductFactory, active_contract
from abonent.core.roles import Role
from abonent.customers.models import BankAccount
from abonent.customers.tests.factories import PartyFactory
from tests.functional.signing import sign_in

pytestmark = pytest.mark.browser

# A real statement of Raiffeisenbank CZ (camt.053): two payments in, from 861828109/0800 ("Wágner Dugová
# Alena", 4,994,775 CZK) and from a mortgage bank for "Kateřina Ptačovská" (3,575,287 CZK).
STATEMENT = SAMPLES / "camt" / "spojenet_rb_cz_problem.xml"


@pytest.fixture
def office(transactional_db):
    """An administrator; Alena, whose account is on her record; Kateřina, who owes on an older contract."""
    UserFactory(role=Role.ADMINISTRATOR, username="admin", first_name="Adam", last_name="Dvořák")
    alena = PartyFactory(name="Alena Wágner Dugová", country="CZ")
    BankAccount.objects.create(party=alena, iban=counterparty_iban("861828109", "0800"), is_primary=True)
    katerina = PartyFactory(name="Kateřina Ptačovská", country="CZ")
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=100)
    older = active_contract(party=katerina, start=start.replace(day=1), payment_day=15)
    fibre = ProductFactory(code="fibre", name={"en": "Fibre 300"}, price=Decimal("499.00"))
    return {"alena": alena, "katerina": katerina, "older": older, "fibre": fibre}


def test_an_administrator_bills_a_customer_imports_a_bank_statement_and_matches_it(page, shot, office):
    alena, katerina = office["alena"], office["katerina"]
    sign_in(page, "admin")

    # a contract from the customer's Contracts tab: a draft, a product, activated
    page.goto(f"/customers/{alena.pk}/?tab=contracts")
    page.get_by_role("link", name="New contract").click()
    page.get_by_label("Currency").select_option("CZK")
    page.get_by_label("Start").fill(timezone.localdate().replace(day=1).isoformat())
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_text("A draft has no payment schedule")).to_be_visible()
    page.get_by_label("Product", exact=True).select_option(str(office["fibre"].pk))
    page.get_by_role("button", name="Add product").click()
    page.get_by_role("button", name="Activate").click()
    contract = Contract.objects.get(party=alena)
    expect(page.locator("h1")).to_contain_text(contract.number)
    schedule = page.locator("#schedule")
    expect(schedule).to_contain_text("499.00")
    expect(schedule).to_contain_text(contract.variable_symbol)
    shot("contract-and-schedule")

    # her payment order with the QR code, on screen and as PDF
    page.goto(f"/customers/{alena.pk}/?tab=billing")
    page.get_by_role("link", name="Payment order").click()
    document = page.locator("body")
    expect(document).to_contain_text(contract.variable_symbol)
    expect(page.get_by_label("Amount")).to_have_value(re.compile(r"^[1-9]"))
    expect(page.get_by_role("img", name=re.compile("QR"))).to_be_visible()
    shot("payment-order")
    pdf = page.request.get(page.url + ("&" if "?" in page.url else "?") + "format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # Kateřina's statement of arrears: three months overdue
    page.goto(f"/customers/{katerina.pk}/?tab=billing")
    page.get_by_role("link", name="Arrears statement").click()
    expect(page.locator("body")).to_contain_text("Kateřina Ptačovská")
    expect(page.locator("body")).to_contain_text(office["older"].number)
    shot("arrears-statement")

    # a real statement: Alena's payment is matched by her account, Kateřina's waits for a person
    page.go_back()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Import a statement").click()
    page.get_by_label("File").set_input_files(str(STATEMENT))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("main")).to_contain_text("2 new lines")
    shot("statement-imported")
    alenas = BankStatementLine.objects.get(counterparty_account="861828109")
    assert (alenas.state, alenas.party) == (MatchState.MATCHED, alena)

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Matching").click()
    rows = page.locator("#grid-table tbody")
    expect(rows).to_contain_text("3,575,287.00")
    expect(rows).not_to_contain_text("4,994,775.00")
    shot("matching")
    page.get_by_role("link", name="22/01/2025").click()
    page.get_by_placeholder(re.compile("Variable symbol")).fill("Ptačovská")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text(office["older"].number)
    shot("matching-by-hand")
    page.get_by_role("button", name="Whole line here").first.click()
    expect(page.locator("main")).to_contain_text("The payment is recorded for Kateřina Ptačovská")
    hers = BankStatementLine.objects.get(counterparty_account="82904811")
    assert (hers.state, hers.party) == (MatchState.MATCHED, katerina)
    assert Payment.objects.get(party=katerina).amount == Decimal("3575287.00")
    assert not ExpectedPayment.objects.filter(party=katerina, due_date__lt=timezone.localdate(),
                                              status="open").exists()


    # her arrears are paid; the rest is her credit
    page.goto(f"/customers/{katerina.pk}/?tab=billing")
    expect(page.locator("main")).to_contain_text("Nothing is due now.")
    expect(page.locator("main")).to_contain_text("credit: CZK\xa03,572,807.00")
    shot("paid-customer")
