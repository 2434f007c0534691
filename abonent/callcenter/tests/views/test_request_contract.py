"""A request can be about one of the customer's contracts; customers without contracts keep the typed number."""

import pytest

from abonent.callcenter.models import ServiceRequest
from abonent.callcenter.request_services import RequestError, request_update
from abonent.callcenter.tests.factories import NOW, RequestTypeFactory, service_request
from abonent.callcenter.tests.views.test_request_pages import form_data
from abonent.contracts.tests.factories import ProductFactory, active_contract
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_customers_contracts_and_takes_the_number_and_product_from_the_one_chosen(client_as):
    party = PartyFactory(country="GB")
    contract = active_contract(party=party, products=[ProductFactory(name={"en": "Fibre 500"})])
    someone_elses = active_contract()
    client = client_as(Role.AGENT)

    form = client.get(f"/callcenter/requests/new/?party={party.pk}").content.decode()
    client.post(f"/callcenter/requests/new/?party={party.pk}", form_data(
        request_type=RequestTypeFactory().pk, contract=contract.pk))

    assert contract.number in form and "Fibre 500" in form
    assert someone_elses.number not in form
    assert 'name="contract_number"' not in form  # the contract replaces the typed number
    request = ServiceRequest.objects.get()
    assert (request.contract, request.contract_number, request.service_object) == (
        contract, contract.number, "Fibre 500")
    page = client.get(f"/callcenter/requests/{request.pk}/").content.decode()
    assert f'href="/contracts/{contract.pk}/"' in page


def test_a_customer_without_contracts_keeps_the_free_text_object_and_number(client_as):
    party = PartyFactory()
    client = client_as(Role.AGENT)

    form = client.get(f"/callcenter/requests/new/?party={party.pk}").content.decode()
    client.post(f"/callcenter/requests/new/?party={party.pk}", form_data(
        request_type=RequestTypeFactory().pk, service_object="Old router", contract_number="EXT-77"))

    assert 'name="contract"' not in form and 'name="contract_number"' in form
    request = ServiceRequest.objects.get()
    assert (request.contract, request.contract_number, request.service_object) == (None, "EXT-77", "Old router")


def test_another_customers_contract_is_refused():
    request = service_request()

    with pytest.raises(RequestError, match="belongs to another customer"):
        request_update(request=request, values={"contract": active_contract()}, by=None, now=NOW)


def test_the_list_filters_by_contract_number_and_can_show_it(client_as):
    contract = active_contract()
    mine = service_request(party=contract.party, contract=contract)
    other = service_request()
    client = client_as(Role.AGENT)

    page = client.get(f"/callcenter/requests/?contract={contract.number}&cols=number,contract_number").content.decode()

    assert mine.number in page and other.number not in page
