"""The agent's day in a real Chromium: the call queue, a customer, a call with a callback, a service request
taken and moved through the whole workflow."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from abonent.accounts.tests.factories import TeamFactory, UserFactory
from abonent.callcenter.call_services import call_log
from abonent.callcenter.models import Call, RequestStatus, ServiceRequest
from abonent.callcenter.tests.factories import OutcomeFactory, RequestTypeFactory
from abonent.core.roles import Role
from abonent.customers.models import Task
from abonent.customers.tests.factories import CallCenterStatusFactory, PartyFactory
from tests.functional.signing import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def day(transactional_db):
    """An agent in a team, outcomes, and a customer who asked to be called back this morning."""
    agent = UserFactory(role=Role.AGENT, username="agent", first_name="Andrei", last_name="Popescu")
    verifier = UserFactory(role=Role.MANAGER, username="manager", first_name="Magda", last_name="Kowalska")
    team = TeamFactory(name="Technicians", leader=verifier)
    team.members.add(agent)
    call_back = CallCenterStatusFactory(name="Call back")
    OutcomeFactory(code="reached", label={"en": "Reached"}, order=1, reached=True)
    callback = OutcomeFactory(code="callback", label={"en": "Call back"}, order=2, needs_callback=True,
                              sets_status=call_back)
    RequestTypeFactory(name="Fault repair", team=team)
    party = PartyFactory(name="Eva Volná", phone="+420601123456")
    now = timezone.now()
    call_log(party=party, agent=agent, outcome=callback, note="Busy at work", duration=30,
             callback_at=now + dt.timedelta(minutes=1), now=now - dt.timedelta(hours=3))
    PartyFactory(name="Karel Nevolaný")
    return {"party": party, "agent": agent, "verifier": verifier}


def test_an_agent_calls_back_logs_the_call_and_works_a_service_request_to_the_end(page, shot, day):
    party = day["party"]
    sign_in(page, "agent")

    # the call queue opens on the callbacks due today
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Call queue").click()
    expect(page).to_have_url(re.compile(r"/callcenter/queue/list/\?callback=due"))
    rows = page.locator("#grid-table tbody")
    expect(rows).to_contain_text("Eva Volná")
    expect(rows).not_to_contain_text("Karel Nevolaný")
    shot("call-queue")

    # the customer opens on the call panel, the outcome list focused
    page.get_by_role("link", name="Eva Volná").click()
    expect(page).to_have_url(re.compile(rf"/customers/{party.pk}/\?tab=calls"))
    outcome = page.locator("#id_call-outcome")
    expect(outcome).to_be_focused()
    page.wait_for_timeout(1200)  # the timer runs while the agent talks
    expect(page.locator("[data-call-timer]")).not_to_have_text("0:00")

    # from the keyboard: 2 picks "Call back", the note, the callback time, Enter saves
    page.keyboard.press("2")
    expect(outcome).to_have_value(str(party.calls.first().outcome_id))
    page.keyboard.press("Tab")  # duration
    page.keyboard.press("Tab")  # note
    page.keyboard.type("Interested in fibre, call back tomorrow afternoon.")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.locator("#id_call-callback_at").fill(f"{tomorrow}T15:30")
    shot("call-panel-filled")
    page.locator("#id_call-note").press("Enter")

    expect(page.locator("#tab-pane")).to_contain_text("Call logged.")
    expect(page.locator("#party-calls")).to_contain_text("Interested in fibre")
    expect(page.locator("#id_call-note")).to_have_value("")
    shot("call-logged")
    call = Call.objects.latest("id")
    assert call.note == "Interested in fibre, call back tomorrow afternoon."
    assert call.duration >= 1
    assert Task.objects.filter(party=party, due_on=dt.date.fromisoformat(tomorrow), done_at__isnull=True).exists()

    # a service request for the same customer
    page.get_by_role("link", name="New service request").click()
    page.get_by_label("Request type").select_option(label="Fault repair")
    page.get_by_label("Object", exact=True).fill("Fibre 300")
    page.get_by_label("Planned start").fill(f"{tomorrow}T09:00")
    page.get_by_label("Planned finish").fill(f"{tomorrow}T11:00")
    page.get_by_label("Verifier").select_option(label="Magda Kowalska")
    shot("request-form")
    page.get_by_role("button", name="Take the request").click()

    expect(page.locator("#sr-status")).to_have_text("Taken")
    request = ServiceRequest.objects.get()
    expect(page.locator("h1")).to_contain_text(request.number)

    # through the workflow
    for button, status in (("Allocate", "Allocated"), ("Confirm for the team", "Allocated and confirmed")):
        page.get_by_role("button", name=button).click()
        expect(page.locator("#sr-status")).to_have_text(status)
    page.get_by_placeholder("What was done?").fill("Replaced the router")
    page.get_by_role("button", name="Finalise").click()
    expect(page.locator("#sr-status")).to_have_text("Finalised")
    expect(page.locator("#timeline-entries")).to_contain_text("Replaced the router")
    expect(page.locator("#workflow")).to_have_count(0)
    shot("request-finalised")

    request.refresh_from_db()
    assert (request.status, request.finalised) == (RequestStatus.FINALISED, True)


def test_a_note_typed_in_the_panel_survives_a_reload(page, shot, day):
    party = day["party"]
    sign_in(page, "agent")
    page.goto(f"/customers/{party.pk}/?tab=calls")

    page.locator("#id_call-note").fill("Half-written note")
    questions = []

    def stay(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("#party-tabs").get_by_role("tab", name="Notes").click()  # leaving the panel asks first
    expect(page.locator("#id_call-note")).to_have_value("Half-written note")
    assert questions == ["The call note is not saved. Leave it anyway?"]

    page.once("dialog", lambda dialog: dialog.accept())  # the browser's "leave the page?" question
    page.reload()

    expect(page.locator("#id_call-note")).to_have_value("Half-written note")
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    shot("note-restored")


def test_an_agent_books_a_meeting_from_the_call_panel(page, shot, day):
    from abonent.appointments.models import Meeting
    from abonent.appointments.tests.factories import customer_at, rep_with_hours

    rep_with_hours(first_name="Radek", last_name="Černý", weekdays=range(7), start=dt.time(0), end=dt.time(23, 30))
    OutcomeFactory(code="meeting", label={"en": "Meeting booked"}, order=3, meeting_booked=True)
    party = customer_at(name="Jana Nováková", country="CZ", email="jana@example.cz")
    sign_in(page, "agent")
    page.goto(f"/customers/{party.pk}/?tab=calls")

    page.locator("#id_call-note").fill("Wants to see the fibre offer")
    page.locator("#meeting-open").click()
    slots = page.locator("#meeting-slot-list")
    expect(slots).to_contain_text("Radek Černý")
    page.locator("#meeting-purpose").fill("Fibre offer")
    shot("meeting-slots")
    slots.get_by_role("button", name="Book").first.click()

    expect(page.locator("#tab-pane")).to_contain_text("Meeting booked with Radek Černý")
    expect(page.locator("#party-calls")).to_contain_text("Wants to see the fibre offer")
    shot("meeting-booked")
    call = Call.objects.get(party=party)
    assert call.meeting == Meeting.objects.get(party=party) and call.outcome.meeting_booked
