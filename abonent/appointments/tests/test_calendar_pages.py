"""The calendar's pages and JSON: who sees which calendar, booking from the page, moving by dragging."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from abonent.appointments.models import CalendarPreference, Meeting, MeetingStatus, WorkingHours
from abonent.appointments.tests.factories import MeetingFactory, customer_at, rep_with_hours
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

PRG = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PRG)
TUESDAY = dt.date(2026, 12, 1)
WEEK = {"start": "2026-11-30T00:00:00", "end": "2026-12-07T00:00:00"}

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hour, minute=0, day=TUESDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), PRG)


def test_an_agent_sees_every_reps_meetings_and_a_rep_only_their_own(client, db, make_user):
    mine, other = rep_with_hours(), rep_with_hours()
    MeetingFactory(rep=mine, start=at(9), purpose="Mine")
    MeetingFactory(rep=other, start=at(9), purpose="Theirs")

    client.force_login(make_user(Role.AGENT))
    agent_view = client.get(reverse("appointments:events"), WEEK).json()
    client.force_login(mine)
    rep_view = client.get(reverse("appointments:events"), WEEK).json()

    assert {e["title"].split(" · ")[1] for e in agent_view} == {"Mine", "Theirs"}
    assert [e["title"].split(" · ")[1] for e in rep_view] == ["Mine"]
    assert rep_view[0]["start"] == "2026-12-01T09:00"


def test_a_rep_cannot_open_another_reps_meeting(client, db):
    mine, other = rep_with_hours(), rep_with_hours()
    theirs = MeetingFactory(rep=other, start=at(9))
    client.force_login(mine)

    assert client.get(reverse("appointments:meeting", args=[theirs.pk])).status_code == 404


def test_the_events_feed_refuses_a_range_it_cannot_read(client_as):
    client = client_as(Role.AGENT)

    response = client.get(reverse("appointments:events"), {"start": "yesterday", "end": "2026-12-07"})

    assert response.status_code == 400


def test_the_calendar_page_shows_reps_side_by_side_for_an_agent(client_as, db):
    rep_with_hours(first_name="Radek", last_name="Černý")
    client = client_as(Role.AGENT)

    response = client.get(reverse("appointments:calendar"))

    config = response.context["config"]
    assert config["resourceView"] is True
    assert [r["title"] for r in config["resources"]] == ["Radek Černý"]
    assert b"event-calendar.min.js" in response.content


def test_a_reps_calendar_opens_on_their_chosen_view_and_days(client, db):
    rep = rep_with_hours()
    client.force_login(rep)

    client.post(reverse("appointments:preferences"), {"view": "month", "days": 7})
    config = client.get(reverse("appointments:calendar")).context["config"]

    assert (config["resourceView"], config["view"], config["days"]) == (False, "month", 7)
    assert CalendarPreference.objects.get(user=rep).view == "month"


def test_free_time_for_a_customer_comes_as_background_events_with_each_slots_booking_address(client_as, db):
    rep = rep_with_hours(start=dt.time(9), end=dt.time(13))
    MeetingFactory(rep=rep, start=at(10, 30), end=at(11))  # 15 minutes of buffer on either side
    party = customer_at()
    client = client_as(Role.AGENT)

    runs = client.get(reverse("appointments:free_json"), {**WEEK, "party": party.pk}).json()

    tuesday = [r for r in runs if r["start"].startswith("2026-12-01")]
    assert [(r["start"], r["end"]) for r in tuesday] == [("2026-12-01T09:00", "2026-12-01T10:00"),
                                                          ("2026-12-01T11:30", "2026-12-01T13:00")]
    assert [o["start"] for o in tuesday[1]["extendedProps"]["slots"]] == ["2026-12-01T11:30", "2026-12-01T12:00"]
    assert {r["display"] for r in runs} == {"background"} and {r["resourceId"] for r in runs} == {rep.pk}
    assert f"party={party.pk}" in tuesday[0]["extendedProps"]["slots"][0]["bookUrl"]


def test_an_agent_books_a_slot_from_the_booking_page(client_as, db):
    rep = rep_with_hours(first_name="Radek", last_name="Černý")
    party = customer_at(first_name="Jana", last_name="Nováková")
    client = client_as(Role.AGENT)

    page = client.get(reverse("appointments:book"), {"party": party.pk})
    first = page.context["rows"][0]
    confirm = client.get(first["url"])
    form = confirm.context["form"]
    response = client.post(reverse("appointments:book"), {
        "party": party.pk, "rep": form["rep"].value(), "start": form["start"].value(), "duration": 60,
        "purpose": "Fibre offer", "address": form.fields["address"].initial, "note": "Ring twice",
    })

    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appointments:meeting",
                                                                            args=[meeting.pk])
    assert (meeting.rep, meeting.party, meeting.purpose, meeting.note) == (rep, party, "Fibre offer", "Ring twice")
    assert meeting.start == first["slot"].start
    assert meeting.created_by == client.user


def test_booking_a_slot_taken_meanwhile_shows_the_message_and_books_nothing(client_as, db):
    rep = rep_with_hours()
    party = customer_at()
    MeetingFactory(rep=rep, start=at(10), end=at(11))
    client = client_as(Role.AGENT)

    response = client.post(reverse("appointments:book"), {
        "party": party.pk, "rep": rep.pk, "start": at(10).isoformat(), "duration": 60, "purpose": "Offer",
        "address": party.addresses.get().pk,
    })

    assert response.status_code == 409
    assert "This slot was just taken by another booking — pick another one." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_the_booking_page_finds_a_customer_by_name(client_as, db):
    customer_at(first_name="Jana", last_name="Nováková")
    client = client_as(Role.AGENT)

    response = client.get(reverse("appointments:book"), {"q": "nováková"})

    assert [c.name for c in response.context["customers"]] == ["Jana Nováková"]


def test_a_rep_with_read_only_rights_cannot_book(client, db, make_user):
    from abonent.accounts.models import RoleRight

    RoleRight.objects.filter(role=Role.AGENT, module="appointments").update(access=1)
    client.force_login(make_user(Role.AGENT))

    assert client.get(reverse("appointments:book")).status_code == 403
    assert client.get(reverse("appointments:calendar")).status_code == 200


def test_dragging_a_meeting_moves_it_after_the_servers_check(client_as, db):
    rep = rep_with_hours()
    moving = MeetingFactory(rep=rep, start=at(9), end=at(10))
    MeetingFactory(rep=rep, start=at(14), end=at(15))
    client = client_as(Role.AGENT)
    url = reverse("appointments:meeting_move", args=[moving.pk])

    refused = client.post(url, json.dumps({"start": "2026-12-01T14:30:00", "end": "2026-12-01T15:30:00"}),
                          content_type="application/json")
    moved = client.post(url, json.dumps({"start": "2026-12-01T11:00:00", "end": "2026-12-01T12:00:00"}),
                        content_type="application/json")

    assert refused.status_code == 409 and "taken" in refused.json()["error"]
    assert moved.status_code == 200
    moving.refresh_from_db()
    assert moving.start == at(11)
    assert AuditEntry.objects.filter(action="abonent.appointments.meeting.moved").count() == 1


def test_the_rep_records_the_outcome_of_a_meeting(client, db):
    rep = rep_with_hours()
    meeting = MeetingFactory(rep=rep, start=at(9, day=dt.date(2026, 11, 27)), end=at(10, day=dt.date(2026, 11, 27)))
    client.force_login(rep)

    client.post(reverse("appointments:meeting_status", args=[meeting.pk]),
                {"status": "done", "outcome_note": "Signed for two years"})

    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome_note) == (MeetingStatus.DONE, "Signed for two years")


def test_a_rep_sets_their_working_hours_and_an_absence(client, db):
    rep = rep_with_hours(weekdays=[])
    client.force_login(rep)
    url = reverse("appointments:availability_save", args=[rep.pk])

    client.post(url, {"part": "hours", "start_0": "08:00", "end_0": "12:00", "start2_0": "13:00", "end2_0": "16:30",
                      "start_2": "09:00", "end_2": "17:00"})
    response = client.post(url, {"part": "absence", "kind": "training", "start": "2026-12-02T08:00",
                                 "end": "2026-12-02T12:00"}, follow=True)

    assert response.status_code == 200
    assert [str(h) for h in WorkingHours.objects.filter(rep=rep)] == [
        "Monday 08:00–12:00", "Monday 13:00–16:30", "Wednesday 09:00–17:00"]
    assert rep.absences.get().start == dt.datetime(2026, 12, 2, 8, tzinfo=PRG)


def test_an_agent_cannot_change_a_reps_working_hours(client_as, db):
    rep = rep_with_hours()
    client = client_as(Role.AGENT)

    response = client.post(reverse("appointments:availability_save", args=[rep.pk]),
                           {"part": "hours", "start_0": "08:00", "end_0": "09:00"})

    assert response.status_code == 404
    assert WorkingHours.objects.filter(rep=rep).count() == 5


def test_the_customer_page_has_a_meetings_tab_with_a_booking_button(client_as, db):
    party = customer_at()
    MeetingFactory(party=party, purpose="Fibre offer")
    client = client_as(Role.AGENT)

    response = client.get(reverse("customers:party_tab", args=[party.pk, "meetings"]), HTTP_HX_REQUEST="true")

    assert "Fibre offer" in response.content.decode()
    assert f"/calendar/book/?party={party.pk}" in response.content.decode()


def test_the_meetings_list_shows_a_rep_only_their_own(client, db):
    mine, other = rep_with_hours(), rep_with_hours()
    MeetingFactory(rep=mine, purpose="Mine")
    MeetingFactory(rep=other, purpose="Theirs")
    client.force_login(mine)

    content = client.get(reverse("appointments:list")).content.decode()

    assert "Mine" in content and "Theirs" not in content
