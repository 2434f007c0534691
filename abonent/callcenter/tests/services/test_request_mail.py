"""E-mails about requests: to the customer on allocation and finalisation, to the staff on every change."""

import datetime as dt
from email.header import decode_header, make_header

import pytest
from django.db import transaction

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import RequestSettings, RequestStatus
from abonent.callcenter.request_services import request_message_add, request_update
from abonent.callcenter.tests.factories import NOW, allocatable, service_request
from abonent.callcenter.workflow import request_transition
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory
from abonent.notifications.models import OutboundEmail
from abonent.notifications.services import outbox_flush

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=1)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.fixture
def options():
    def set_options(**values):
        RequestSettings.objects.filter(pk=RequestSettings.load().pk).update(**values)
    return set_options


@pytest.fixture
def people(make_user):
    member = make_user(Role.AGENT, email="member@abonent.test", language="cs")
    verifier = make_user(Role.MANAGER, email="verifier@abonent.test", language="en")
    lead = make_user(Role.MANAGER, email="lead@abonent.test", language="pl")
    quiet = make_user(Role.AGENT, email="")
    team = TeamFactory(leader=lead)
    team.members.add(member, quiet)
    return {"member": member, "verifier": verifier, "lead": lead, "team": team}


def test_the_customer_gets_an_e_mail_when_the_request_is_allocated_and_when_it_is_finalised(
        smtp_mailbox, options, people):
    options(mail_client_on_allocation=True, mail_client_on_finalisation=True)
    party = PartyFactory(country="CZ", email="jana@example.cz", name="Jana Nováková")
    request = service_request(party=party, **allocatable(team=people["team"], verifier=people["verifier"]))

    request_transition(request=request, to=RequestStatus.ALLOCATED, by=people["member"], now=NOW)
    request_transition(request=request, to=RequestStatus.CONFIRMED, by=people["member"], now=NOW)
    request_transition(request=request, to=RequestStatus.FINALISED, by=people["member"], now=LATER)
    outbox_flush(now=LATER)

    to_customer = [m for m in smtp_mailbox.messages if m["To"] == "jana@example.cz"]
    assert [subject(m) for m in to_customer] == [f"Váš požadavek {request.number} je naplánován",
                                                 f"Váš požadavek {request.number} je vyřízen"]
    assert request.number in body(to_customer[0]) and "17" in body(to_customer[0])  # the planned day
    assert set(OutboundEmail.objects.filter(to=["jana@example.cz"]).values_list("language", flat=True)) == {"cs"}


def test_no_e_mail_goes_to_the_customer_when_the_options_are_off_or_there_is_no_address(options, people):
    request = service_request(party=PartyFactory(email="jana@example.cz"),
                              **allocatable(team=people["team"], verifier=people["verifier"]))
    request_transition(request=request, to=RequestStatus.ALLOCATED, by=people["member"], now=NOW)
    assert not OutboundEmail.objects.exists()

    options(mail_client_on_allocation=True)
    silent = service_request(party=PartyFactory(email=""), email="",
                             **allocatable(team=people["team"], verifier=people["verifier"]))
    request_transition(request=silent, to=RequestStatus.ALLOCATED, by=people["member"], now=NOW)
    assert not OutboundEmail.objects.exists()


def test_the_request_address_is_used_before_the_customers(options, people):
    options(mail_client_on_allocation=True)
    request = service_request(party=PartyFactory(email="office@example.cz"), email="site@example.cz",
                              **allocatable(team=people["team"], verifier=people["verifier"]))

    request_transition(request=request, to=RequestStatus.ALLOCATED, by=people["member"], now=NOW)

    assert OutboundEmail.objects.get().to == ["site@example.cz"]


def test_the_staff_handling_a_request_hear_of_every_change_in_their_language_but_not_the_one_who_made_it(
        smtp_mailbox, options, people, make_user):
    options(mail_staff_on_change=True)
    taker = make_user(Role.AGENT, email="taker@abonent.test")
    request = service_request(taken_by=taker, **allocatable(team=people["team"], verifier=people["verifier"]))
    OutboundEmail.objects.all().delete()

    request_update(request=request, values={"priority": 3, "serial": "SN-42"}, by=people["member"], now=LATER)
    outbox_flush(now=LATER)

    received = {m["To"]: m for m in smtp_mailbox.messages}
    assert set(received) == {"taker@abonent.test", "verifier@abonent.test", "lead@abonent.test"}
    text = body(received["verifier@abonent.test"])
    assert "Priority: Medium → High" in text
    assert "Serial / lot: — → SN-42" in text
    assert str(people["member"]) in text
    assert f"/callcenter/requests/{request.pk}/" in text
    assert subject(received["verifier@abonent.test"]) == f"{request.number}: The request was changed"
    languages = {tuple(to): language for to, language in OutboundEmail.objects.values_list("to", "language")}
    assert languages == {("taker@abonent.test",): "en", ("verifier@abonent.test",): "en",
                         ("lead@abonent.test",): "pl"}


def test_staff_e_mails_say_what_happened_on_moves_and_messages(options, people, make_user):
    options(mail_staff_on_change=True)
    request = service_request(**allocatable(team=people["team"], verifier=people["verifier"]))
    OutboundEmail.objects.all().delete()

    request_transition(request=request, to=RequestStatus.ALLOCATED, by=people["verifier"], now=NOW,
                       note="Technician booked")
    request_message_add(request=request, by=people["verifier"], text="Customer will be at home", now=LATER)

    to_lead = OutboundEmail.objects.filter(to=["lead@abonent.test"]).order_by("id")
    assert [e.subject for e in to_lead][0].startswith(f"{request.number}: ")
    assert len(to_lead) == 2
    assert OutboundEmail.objects.filter(to=["member@abonent.test"]).count() == 2
    assert not OutboundEmail.objects.filter(to=["verifier@abonent.test"]).exists()  # the one who did it


def test_a_change_that_is_rolled_back_queues_no_e_mail(options, people):
    options(mail_staff_on_change=True)
    request = service_request(**allocatable(team=people["team"], verifier=people["verifier"]))
    OutboundEmail.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        request_update(request=request, values={"priority": 3}, by=people["member"], now=LATER)
        raise RuntimeError("something later failed")

    assert not OutboundEmail.objects.exists()


def test_staff_e_mails_are_off_by_default(people):
    request = service_request(**allocatable(team=people["team"], verifier=people["verifier"]))
    request_update(request=request, values={"priority": 3}, by=people["member"], now=LATER)
    assert not OutboundEmail.objects.exists()
