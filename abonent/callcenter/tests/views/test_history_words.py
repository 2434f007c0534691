"""The customer's History tab names the call center's entries in words."""

import pytest

from abonent.callcenter.call_services import call_log
from abonent.callcenter.tests.factories import NOW, OutcomeFactory, service_request
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def test_a_logged_call_and_a_taken_request_read_as_words_on_the_history_tab(client_as):
    client = client_as(Role.MANAGER)
    party = PartyFactory()
    call_log(party=party, agent=client.user, outcome=OutcomeFactory(), note="Asked about fibre", duration=60,
             now=NOW)
    service_request(party=party, by=client.user)

    page = client.get(f"/customers/{party.pk}/?tab=history").content.decode()

    assert "Call: logged" in page
    assert "Service request: created" in page
    assert "abonent.callcenter." not in page
