"""Booking a meeting from the call panel: free slots for the customer, booked and logged together."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from abonent.appointments.models import Meeting
from abonent.appointments.tests.factories import PRAGUE, MeetingFactory, customer_at, rep_with_hours
from abonent.callcenter.models import Call
from abonent.callcenter.tests.factories import OutcomeFactory
from abonent.core.roles import Role
from abonent.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db
PRG = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PRG)  # a Monday morning
TUESDAY_9 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=PRG)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setting():
    rep = rep_with_hours(first_name="Radek", last_name="Černý", weekdays=[1], start=dt.time(9), end=dt.time(11))
    party = customer_at(PRAGUE, name="Jana Nováková", country="CZ", email="jana@example.cz")
    outcome = OutcomeFactory(code="meeting", meeting_booked=True, label={"en": "Meeting booked"})
    return rep, party, outcome


def book(client, party, rep, start, **extra):
    data = {"rep": rep.pk, "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat(),
            "purpose": "Fibre offer", "call-note": "Wants fibre, prefers mornings", "call-duration": "95", **extra}
    return client.post(f"/callcenter/customers/{party.pk}/meeting/book/", data, **HTMX)


def test_the_panel_offers_the_customers_free_slots(client_as, setting):
    rep, party, _outcome = setting
    client = client_as(Role.AGENT)

    tab = client.get(f"/customers/{party.pk}/tab/calls/", **HTMX).content.decode()
    slots = client.get(f"/callcenter/customers/{party.pk}/meeting/", **HTMX).content.decode()

    assert "Book a meeting" in tab
    assert "Radek Černý" in slots and 'value="2026-12-01T09:00:00+01:00"' in slots


def test_choosing_a_slot_books_the_meeting_and_logs_the_call_linked_to_it(client_as, setting):
    rep, party, outcome = setting
    client = client_as(Role.AGENT)

    response = book(client, party, rep, TUESDAY_9, confirm="on")

    meeting = Meeting.objects.get()
    call = Call.objects.get()
    assert (meeting.rep, meeting.party, meeting.start, meeting.purpose) == (rep, party, TUESDAY_9, "Fibre offer")
    assert (call.outcome, call.meeting, call.note, call.duration) == (outcome, meeting,
                                                                      "Wants fibre, prefers mornings", 95)
    assert "Meeting booked with Radek Černý" in response.content.decode()
    confirmation = OutboundEmail.objects.get(to=["jana@example.cz"])
    assert confirmation.template == "appointments/email/confirmation" and confirmation.language == "cs"


def test_a_slot_just_taken_says_so_and_offers_fresh_slots_without_logging_the_call(client_as, setting):
    rep, party, _outcome = setting
    MeetingFactory(rep=rep, start=TUESDAY_9, end=TUESDAY_9 + dt.timedelta(hours=1))  # booked by a colleague
    client = client_as(Role.AGENT)

    response = book(client, party, rep, TUESDAY_9)

    page = response.content.decode()
    assert response["HX-Retarget"] == "#meeting-slots"
    assert 'id="meeting-error"' in page and "Here are the free slots now." in page
    assert 'value="2026-12-01T09:00:00+01:00"' not in page  # the taken slot is no longer offered
    assert not Call.objects.exists() and Meeting.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_without_a_meeting_outcome_nothing_is_booked(client_as, setting):
    rep, party, outcome = setting
    outcome.meeting_booked = False
    outcome.save()
    client = client_as(Role.AGENT)

    page = book(client, party, rep, TUESDAY_9).content.decode()

    assert "No call outcome means" in page
    assert not Meeting.objects.exists() and not Call.objects.exists()


def test_a_sales_rep_with_read_only_call_center_cannot_book_from_the_panel(client_as, setting):
    rep, party, _outcome = setting
    client = client_as(Role.SALES_REP)

    assert client.get(f"/callcenter/customers/{party.pk}/meeting/", **HTMX).status_code == 403
    assert book(client, party, rep, TUESDAY_9).status_code == 403
    assert not Meeting.objects.exists()
