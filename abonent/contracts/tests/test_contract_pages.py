"""The contract pages: who may see and change what, and that each form does its one thing."""

import datetime as dt
from decimal import Decimal

import pytest

from abonent.contracts.models import Contract, ContractStatus, Product
from abonent.contracts.tests.factories import ContractFactory, ProductFactory, active_contract, contract_series
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_contracts_grouped_by_status(client_as):
    active_contract()
    ContractFactory()

    page = client_as(Role.AGENT).get("/contracts/", {"group": "status"}).content.decode()

    assert "2 contracts" in page
    assert "C2026-000001" in page and "draft" in page


def test_the_list_filters_by_main_product(client_as):
    fibre, tv = ProductFactory(), ProductFactory()
    active_contract(products=[fibre])
    active_contract(products=[tv])

    page = client_as(Role.AGENT).get("/contracts/", {"product": tv.pk}).content.decode()

    assert "1 contract" in page and "C2026-000002" in page and "C2026-000001" not in page


def test_a_rep_writes_a_draft_adds_a_product_and_activates_it(client_as):
    contract_series()
    party, product = PartyFactory(country="CZ"), ProductFactory(price=Decimal("499.00"))
    client = client_as(Role.SALES_REP)

    response = client.post(f"/contracts/new/?party={party.pk}", {
        "party": party.pk, "currency": "CZK", "billing_period": "monthly", "start_date": "2026-01-01",
        "minimum_term_months": 12, "payment_day": 15, "due_rule": "advance"})
    contract = Contract.objects.get(party=party)
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"

    client.post(f"/contracts/{contract.pk}/lines/add/", {"product": product.pk, "quantity": "1",
                                                          "discount_percent": "0"})
    client.post(f"/contracts/{contract.pk}/activate/")

    contract.refresh_from_db()
    assert (contract.status, contract.number) == (ContractStatus.ACTIVE, "C2026-000001")
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Payment schedule" in page and "Contract: activated" in page


def test_an_agent_reads_contracts_but_sees_no_controls_and_cannot_post(client_as):
    contract = active_contract()
    client = client_as(Role.AGENT)

    page = client.get(f"/contracts/{contract.pk}/").content.decode()

    assert 'id="contract-actions"' not in page and 'id="line-add"' not in page
    assert client.post(f"/contracts/{contract.pk}/terminate/", {"end_date": "2026-03-01", "reason": "x"}
                       ).status_code == 403
    assert client.get(f"/contracts/new/?party={contract.party_id}").status_code == 403


def test_terminating_without_a_reason_explains_it_on_the_page(client_as):
    contract = active_contract()

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/terminate/",
                                              {"end_date": "2026-03-01", "reason": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_an_error_from_the_service_is_shown_not_a_500(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))

    response = client_as(Role.SALES_REP).post(f"/contracts/{contract.pk}/terminate/",
                                              {"end_date": "2025-12-01", "reason": "Moved"})

    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()


def test_the_customer_page_has_a_contracts_tab(client_as):
    contract = active_contract()

    page = client_as(Role.AGENT).get(f"/customers/{contract.party_id}/", {"tab": "contracts"}).content.decode()

    assert contract.number in page and "New contract" not in page


def test_an_administrator_adds_a_product_with_names_in_five_languages(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post("/contracts/products/new/", {
        "code": "fibre-1000", "name_en": "Fibre 1000", "name_cs": "Optika 1000", "name_pl": "Światłowód 1000",
        "name_ro": "Fibră 1000", "name_ru": "Оптика 1000", "price": "899", "currency": "CZK",
        "billing_period": "monthly", "vat_rate": "21", "active": "on", "order": "0"})

    product = Product.objects.get(code="fibre-1000")
    assert product.name_in("pl") == "Światłowód 1000" and product.price == Decimal("899")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "cs"
    assert "Optika 1000" in client.get("/contracts/products/").content.decode()


def test_the_discounts_page_refuses_a_post_from_a_reader(client_as):
    assert client_as(Role.AGENT).post("/contracts/discounts/", {"name": "x"}).status_code == 403


def billing_nodes():
    from abonent.customers.hierarchy_services import node_add, structure_create

    structure = structure_create(by=None, name="Billing groups", kind="billing")
    head = node_add(by=None, structure=structure, name="Head office")
    branch = node_add(by=None, structure=structure, name="Brno branch", parent=head)
    return head, branch


def test_the_list_filters_and_groups_contracts_by_their_payer(client_as):
    head, branch = billing_nodes()
    paid_by_branch = active_contract(payer=branch)
    active_contract(payer=head)
    active_contract()
    client = client_as(Role.AGENT)

    filtered = client.get("/contracts/", {"payer": branch.pk, "cols": "number,payer"}).content.decode()
    grouped = client.get("/contracts/", {"group": "payer"}).content.decode()

    assert "1 contract" in filtered and paid_by_branch.number in filtered
    assert "Billing groups: Head office › Brno branch" in filtered
    assert "No payer" in grouped and "Billing groups: Head office" in grouped


def test_a_contract_is_written_with_a_payer_from_a_billing_structure_only(client_as):
    from abonent.customers.hierarchy_services import node_add, structure_create

    contract_series()
    _head, branch = billing_nodes()
    sales = node_add(by=None, structure=structure_create(by=None, name="Sales", kind="organisation"), name="North")
    party = PartyFactory(country="CZ")
    client = client_as(Role.ADMINISTRATOR)
    form = {"currency": "CZK", "billing_period": "monthly", "start_date": "2026-03-01", "minimum_term_months": 0,
            "payment_day": 15, "due_rule": "advance"}

    refused = client.post(f"/contracts/new/?party={party.pk}", {**form, "payer": sales.pk})
    client.post(f"/contracts/new/?party={party.pk}", {**form, "payer": branch.pk})

    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert Contract.objects.get(party=party).payer == branch
