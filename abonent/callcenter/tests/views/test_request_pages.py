"""The request pages: take one for a customer, change it (never its status), move it, decide an approval."""

import datetime as dt

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import RequestSettings, RequestStatus, ServiceRequest
from abonent.callcenter.tests.factories import RequestTypeFactory, allocatable, service_request
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory


def form_data(**values):
    data = {"document_date": "2026-03-16", "priority": "2", "contact_person": "", "phone": "", "email": "",
            "service_object": "", "contract_number": "", "serial": "", "planned_start": "", "planned_finish": "",
            "address": "", "locality": "", "region": "", "country": "", "notes": ""}
    data.update(values)
    return data


def test_without_a_customer_the_new_request_page_finds_one_first(client_as):
    PartyFactory(name="Jana Nováková")

    page = client_as(Role.AGENT).get("/callcenter/requests/new/?q=Nov").content.decode()

    assert "Jana Nováková" in page and "?party=" in page


def test_an_agent_takes_a_request_for_a_customer(client_as):
    party, kind = PartyFactory(email="jana@example.cz"), RequestTypeFactory(name="Fault repair")
    client = client_as(Role.AGENT)

    form = client.get(f"/callcenter/requests/new/?party={party.pk}").content.decode()
    response = client.post(f"/callcenter/requests/new/?party={party.pk}", form_data(
        request_type=kind.pk, service_object="Router", email="jana@example.cz", priority="3"))

    request = ServiceRequest.objects.get()
    assert 'value="jana@example.cz"' in form  # the customer's contact is offered
    assert response.status_code == 302 and response["Location"] == f"/callcenter/requests/{request.pk}/"
    assert (request.party, request.request_type, request.priority, request.created_by) == (party, kind, 3,
                                                                                           client.user)
    assert request.status == RequestStatus.TAKEN


def test_the_form_keeps_what_was_typed_when_something_is_wrong(client_as):
    party = PartyFactory()

    page = client_as(Role.AGENT).post(f"/callcenter/requests/new/?party={party.pk}", form_data(
        request_type=RequestTypeFactory().pk, service_object="Set-top box", planned_start="2026-03-17T10:00",
        planned_finish="2026-03-17T09:00")).content.decode()

    assert "The planned finish must come after the planned start." in page
    assert 'value="Set-top box"' in page
    assert not ServiceRequest.objects.exists()


def test_the_status_cannot_be_changed_through_the_edit_form(client_as):
    request = service_request(service_object="Router")
    client = client_as(Role.AGENT)

    client.post(f"/callcenter/requests/{request.pk}/edit/", form_data(
        request_type=request.request_type_id, service_object="Modem", status="finalised", finalised="on",
        team=request.team_id))

    request.refresh_from_db()
    assert request.service_object == "Modem"
    assert (request.status, request.finalised) == (RequestStatus.TAKEN, False)


def test_the_page_offers_the_moves_the_user_may_make_and_makes_them(client_as, make_user):
    client = client_as(Role.AGENT)
    team = TeamFactory()
    team.members.add(client.user)
    request = service_request(**allocatable(team=team))

    before = client.get(f"/callcenter/requests/{request.pk}/").content.decode()
    client.post(f"/callcenter/requests/{request.pk}/move/", {"to": "allocated"})
    after = client.get(f"/callcenter/requests/{request.pk}/").content.decode()

    assert 'value="allocated"' in before and 'value="confirmed"' not in before
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED
    assert "The request is now allocated." in after and 'value="confirmed"' in after


def test_a_refused_move_is_explained_not_a_crash(client_as):
    request = service_request(request_type=RequestTypeFactory(team=None))
    client = client_as(Role.AGENT)

    response = client.post(f"/callcenter/requests/{request.pk}/move/", {"to": "allocated"}, follow=True)

    assert response.status_code == 200
    assert "Before allocating, set the planned start" in response.content.decode()


def test_the_verifier_approves_a_finalisation_from_the_page(client_as, make_user):
    settings = RequestSettings.load()
    settings.finalise_needs_approval = True
    settings.save()
    verifier = make_user(Role.MANAGER)
    client = client_as(Role.AGENT)
    team = TeamFactory()
    team.members.add(client.user)
    request = service_request(**allocatable(team=team, verifier=verifier))
    for step in ("allocated", "confirmed", "finalised"):
        client.post(f"/callcenter/requests/{request.pk}/move/", {"to": step})
    approval = request.approvals.get()

    client.force_login(verifier)
    page = client.get(f"/callcenter/requests/{request.pk}/").content.decode()
    client.post(f"/callcenter/requests/{request.pk}/approvals/{approval.pk}/", {"decision": "approve"})

    assert "Approve and finalise" in page
    request.refresh_from_db()
    assert request.status == RequestStatus.FINALISED


def test_someone_other_than_the_verifier_sees_no_decision_buttons(client_as, make_user):
    settings = RequestSettings.load()
    settings.finalise_needs_approval = True
    settings.save()
    client = client_as(Role.AGENT)
    team = TeamFactory()
    team.members.add(client.user)
    request = service_request(**allocatable(team=team))
    for step in ("allocated", "confirmed", "finalised"):
        client.post(f"/callcenter/requests/{request.pk}/move/", {"to": step})

    page = client.get(f"/callcenter/requests/{request.pk}/").content.decode()

    assert "waiting for the verifier" in page and "Approve and finalise" not in page


# --- read-only users -------------------------------------------------------------------------------


def test_a_read_only_user_sees_the_request_without_any_edit_control(client_as, read_only_agents):
    request = service_request()

    page = client_as(Role.AGENT).get(f"/callcenter/requests/{request.pk}/").content.decode()

    assert request.number in page
    for control in ('id="workflow"', 'id="message-form"', "/edit/", 'name="to"'):
        assert control not in page


@pytest.mark.parametrize(("path", "data"), [
    ("move/", {"to": "cancelled"}),
    ("messages/", {"text": "hello"}),
    ("edit/", {"service_object": "x"}),
])
def test_a_read_only_user_is_refused_every_post(client_as, read_only_agents, path, data):
    request = service_request()

    response = client_as(Role.AGENT).post(f"/callcenter/requests/{request.pk}/{path}", data)

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.TAKEN and not request.messages.exists()


def test_a_read_only_user_cannot_open_the_new_request_page(client_as, read_only_agents):
    party = PartyFactory()

    assert client_as(Role.AGENT).get(f"/callcenter/requests/new/?party={party.pk}").status_code == 403


def test_a_message_without_text_or_file_is_explained_with_the_registry_reference_kept(client_as):
    request = service_request()

    page = client_as(Role.AGENT).post(f"/callcenter/requests/{request.pk}/messages/", {
        "text": " ", "registry_ref": "REG-7"}).content.decode()

    assert "Write something or attach a file." in page and 'value="REG-7"' in page


def test_the_timeline_shows_messages_and_moves_in_order(client_as):
    request = service_request(now=dt.datetime(2026, 3, 16, 8, tzinfo=dt.UTC))
    client = client_as(Role.AGENT)
    client.post(f"/callcenter/requests/{request.pk}/messages/", {"text": "Customer called again"})

    page = client.get(f"/callcenter/requests/{request.pk}/").content.decode()

    timeline = page.split('id="timeline-entries"', 1)[1]
    assert timeline.index("Taken") < timeline.index("Customer called again")
