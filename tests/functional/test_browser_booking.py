"""An agent books a meeting for a customer in a real Chromium, and the slot cannot be booked twice."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from abonent.accounts.tests.factories import UserFactory
from abonent.appointments.models import Meeting
from abonent.appointments.tests.factories import customer_at, rep_with_hours
from abonent.core.roles import Role
from tests.functional.conftest import RESULTS_DIR
from tests.functional.signing import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    agent = UserFactory(role=Role.AGENT, username="agent", first_name="Andrei", last_name="Popescu")
    rep = rep_with_hours(weekdays=range(7), start=dt.time(8), end=dt.time(18), username="rep", first_name="Radek",
                         last_name="Černý")
    customer = customer_at(first_name="Jana", last_name="Nováková", email="jana@example.cz")
    return agent, rep, customer


def test_an_agent_books_a_free_slot_the_rep_sees_it_and_the_same_slot_is_refused_later(browser, live_server,
                                                                                          people, page, shot):
    agent, rep, customer = people
    sign_in(page, "agent")

    page.goto(f"/calendar/book/?party={customer.pk}")
    expect(page.get_by_role("link", name="Jana Nováková")).to_be_visible()
    slots = page.locator("#free-slots tbody tr")
    expect(slots.first).to_be_visible()
    expect(slots.first).to_contain_text("Radek Černý")
    shot("free-slots")

    # A colleague opens the same slot at the same time, in another tab.
    first_slot = slots.first.get_by_role("link", name="Book").get_attribute("href")
    colleague = page.context.new_page()
    colleague.goto(first_slot)

    slots.first.get_by_role("link", name="Book").click()
    expect(page.locator("#confirm-rep")).to_have_text("Radek Černý")
    page.get_by_label("What the meeting is about").fill("Fibre offer")
    shot("confirm")
    page.get_by_role("button", name="Book the meeting").click()

    expect(page.get_by_role("status").filter(has_text="The meeting is booked")).to_be_visible()
    expect(page.locator("#meeting-status")).to_have_text("Planned")
    meeting = Meeting.objects.get()
    assert (meeting.rep, meeting.party, meeting.purpose, meeting.created_by) == (rep, customer, "Fibre offer", agent)
    shot("booked")

    colleague.get_by_label("What the meeting is about").fill("Another offer")
    colleague.get_by_role("button", name="Book the meeting").click()
    expect(colleague.get_by_role("alert")).to_contain_text(
        "This slot was just taken by another booking — pick another one.")
    assert Meeting.objects.count() == 1
    RESULTS_DIR.mkdir(exist_ok=True)
    colleague.screenshot(path=str(RESULTS_DIR / "booking-refused-to-the-colleague.png"), full_page=True)
    colleague.close()

    # The rep signs in and finds the meeting in their calendar.
    rep_context = page.context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800},
                                                   base_url=live_server.url)
    rep_page = rep_context.new_page()
    sign_in(rep_page, "rep")
    rep_page.goto(f"/calendar/?date={timezone.localdate(meeting.start).isoformat()}")
    expect(rep_page.locator("#calendar").get_by_text("Jana Nováková · Fibre offer")).to_be_visible()
    rep_page.screenshot(path=str(RESULTS_DIR / "booking-in-the-reps-calendar.png"), full_page=True)
    rep_context.close()
