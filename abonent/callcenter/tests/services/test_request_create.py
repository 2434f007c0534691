"""Taking a new service request: its number, its date, what it inherits from the customer, its queue."""

import datetime as dt

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import RequestStatus, StatusChange
from abonent.callcenter.request_services import RequestError, request_create
from abonent.callcenter.tests.factories import (
    NOW,
    ClassificationFactory,
    RequestTypeFactory,
    service_request,
)
from abonent.core.models import AuditEntry, DocumentSeries
from abonent.core.services import PeriodClosedError, SeriesInactive
from abonent.core.tests.factories import ClosedPeriodFactory, DocumentSeriesFactory
from abonent.customers.models import Address
from abonent.customers.tests.factories import PartyFactory


def test_a_new_request_is_taken_numbered_from_the_service_request_series_and_recorded(make_user):
    agent = make_user()

    request = service_request(by=agent, service_object="Fibre 300")

    assert request.number == "SR2026-000001"
    assert (request.status, request.valid, request.confirmed, request.finalised) == (RequestStatus.TAKEN, True,
                                                                                    False, False)
    assert request.document_date == dt.date(2026, 3, 16)
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [("", "taken")]
    entry = AuditEntry.objects.get(action="abonent.callcenter.request.created")
    assert (entry.subject_id, entry.actor) == (str(request.party_id), agent)
    assert entry.changes["number"] == [None, "SR2026-000001"]


def test_numbers_follow_each_other_and_restart_every_year():
    first, second = service_request(), service_request()
    next_year = service_request(now=dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC))

    assert [first.number, second.number, next_year.number] == ["SR2026-000001", "SR2026-000002", "SR2027-000001"]


def test_an_administrators_own_default_series_is_used():
    DocumentSeriesFactory(document_type="service_request", is_default=True, prefix="T-", padding=3)

    assert service_request().number == "T-001"


def test_an_inactive_series_is_reported_not_replaced():
    DocumentSeriesFactory(document_type="service_request", is_default=True, active=False)

    with pytest.raises(SeriesInactive):
        service_request()
    assert DocumentSeries.objects.filter(document_type="service_request").count() == 1


def test_a_refused_request_gives_its_number_back():
    service_request()
    with pytest.raises(RequestError):
        service_request(planned_start=NOW, planned_finish=NOW - dt.timedelta(hours=1))

    assert service_request().number == "SR2026-000002"


def test_a_document_date_inside_a_closed_period_is_refused():
    ClosedPeriodFactory(active_from=dt.date(2026, 2, 1), active_to=dt.date(2026, 3, 1), domain="callcenter")
    party = PartyFactory()

    with pytest.raises(PeriodClosedError, match="closed"):
        request_create(channel="ui", party=party, request_type=RequestTypeFactory(), by=None, now=NOW,
                       document_date=dt.date(2026, 2, 27))
    request = request_create(channel="ui", party=party, request_type=RequestTypeFactory(), by=None, now=NOW,
                             document_date=dt.date(2026, 3, 1))

    assert request.number == "SR2026-000001"


def test_a_period_closed_for_another_module_does_not_matter():
    ClosedPeriodFactory(active_from=dt.date(2026, 3, 1), active_to=dt.date(2026, 4, 1), domain="billing")

    assert service_request().document_date == dt.date(2026, 3, 16)


def test_the_customers_contact_and_address_fill_what_is_not_given():
    party = PartyFactory(phone="+420601123456", email="jana@example.cz", country="CZ", city="Brno")
    Address.objects.create(party=party, street="Lidická 5", city="Brno", postal_code="60200", country="CZ",
                           is_primary=True)

    request = service_request(party=party, phone="+420777000111")

    assert (request.phone, request.email) == ("+420777000111", "jana@example.cz")
    assert (request.address, request.locality, request.country) == ("Lidická 5", "Brno", "CZ")
    assert request.contact_person == party.name


@pytest.mark.parametrize("channel", ["ui", "api", "portal", "email"])
def test_every_channel_takes_requests_the_same_way(channel):
    request = request_create(channel=channel, party=PartyFactory(), request_type=RequestTypeFactory(), by=None,
                             now=NOW)

    assert request.channel == channel
    entry = AuditEntry.objects.get(action="abonent.callcenter.request.created")
    assert entry.channel == ("system" if channel == "email" else channel)


def test_the_classification_is_chosen_level_by_level():
    internet = ClassificationFactory(name="Internet")
    fibre = ClassificationFactory(name="Fibre", parent=internet)
    tv = ClassificationFactory(name="TV")

    request = service_request(class_1=internet, class_2=fibre)
    assert (request.class_1, request.class_2, request.class_3) == (internet, fibre, None)
    with pytest.raises(RequestError, match="not under"):
        service_request(class_1=tv, class_2=fibre)
    with pytest.raises(RequestError, match="level by level"):
        service_request(class_2=fibre)


def test_a_new_request_lands_in_the_queue_of_its_types_team():
    team = TeamFactory()

    assert service_request(request_type=RequestTypeFactory(team=team)).team == team


def test_an_unused_type_is_refused():
    with pytest.raises(RequestError, match="no longer used"):
        service_request(request_type=RequestTypeFactory(active=False))


def test_an_unknown_channel_or_field_is_a_programming_error():
    with pytest.raises(ValueError, match="channel"):
        request_create(channel="fax", party=PartyFactory(), request_type=RequestTypeFactory(), by=None, now=NOW)
    with pytest.raises(TypeError, match="status"):
        service_request(status="finalised")
