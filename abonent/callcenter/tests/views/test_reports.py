"""The call center's reports: pages and PDF files, for people who may read the call center only."""

import datetime as dt

import pytest

from abonent.callcenter.request_services import request_message_add
from abonent.callcenter.tests.factories import NOW, allocatable, service_request
from abonent.callcenter.workflow import request_transition
from abonent.contracts.tests.factories import ProductFactory, active_contract
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db
MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def requests_of_march():
    party = PartyFactory(name="Jana Nováková")
    contract = active_contract(party=party, products=[ProductFactory(name={"en": "Fibre 500"})])
    router = service_request(party=party, service_object="Router", serial="SN-1")
    fibre = service_request(party=party, contract=contract)
    february = service_request(service_object="Old modem", document_date=dt.date(2026, 2, 20))
    return router, fibre, february


def test_the_requests_of_a_period_are_listed_and_printed_as_pdf(client_as, requests_of_march):
    router, fibre, february = requests_of_march
    client = client_as(Role.SALES_REP)  # reads the call center

    page = client.get(f"/callcenter/reports/requests/?{MARCH}").content.decode()
    pdf = client.get(f"/callcenter/reports/requests/?{MARCH}&format=pdf")

    assert router.number in page and fibre.number in page and february.number not in page
    assert "Jana Nováková" in page and "format=pdf" in page
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_request_objects_in_summary_and_in_detail(client_as, requests_of_march):
    router, fibre, _february = requests_of_march
    client = client_as(Role.AGENT)

    summary = client.get(f"/callcenter/reports/objects/?{MARCH}").content.decode()
    detailed = client.get(f"/callcenter/reports/objects/?{MARCH}&mode=detailed").content.decode()

    assert "Router" in summary and "Fibre 500" in summary and "Old modem" not in summary
    assert router.number not in summary
    assert router.number in detailed and "SN-1" in detailed


def test_products_involved_come_from_the_requests_contracts(client_as, requests_of_march):
    page = client_as(Role.AGENT).get(f"/callcenter/reports/products/?{MARCH}").content.decode()

    assert "Fibre 500" in page
    assert "1 request of the period names no contract." in page


def test_the_evolution_sheet_tells_the_whole_story_and_the_intervention_form_prints(client_as, make_user):
    client = client_as(Role.MANAGER)
    request = service_request(**allocatable(verifier=client.user))
    request_transition(request=request, to="allocated", by=client.user, now=NOW, note="Technician booked")
    request_message_add(request=request, by=client.user, text="Customer home after 4 pm", now=NOW)

    sheet = client.get(f"/callcenter/requests/{request.pk}/evolution/").content.decode()
    form_pdf = client.get(f"/callcenter/requests/{request.pk}/intervention/?format=pdf")
    page = client.get(f"/callcenter/requests/{request.pk}/").content.decode()

    assert "Taken → Allocated" in sheet and "Technician booked" in sheet and "Customer home after 4 pm" in sheet
    assert form_pdf.content.startswith(b"%PDF-")
    assert f"/callcenter/requests/{request.pk}/intervention/" in page


def test_the_reports_page_links_each_report_for_the_period_chosen(client_as):
    page = client_as(Role.MANAGER).get(f"/callcenter/reports/?{MARCH}").content.decode()

    assert f"/callcenter/reports/requests/?{MARCH}".replace("&", "&amp;") in page
    assert 'value="2026-03-01"' in page


def test_people_without_the_call_center_get_no_report(client_as, agents_without_call_center):
    request = service_request()
    client = client_as(Role.AGENT)

    assert client.get("/callcenter/reports/").status_code == 403
    assert client.get("/callcenter/reports/requests/?format=pdf").status_code == 403
    assert client.get(f"/callcenter/requests/{request.pk}/evolution/").status_code == 403
