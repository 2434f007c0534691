"""Booking a meeting: the rep's hours, holidays, absences, buffer, travel and daily limit decide."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from abonent.appointments.models import Absence, AbsenceKind, Meeting, MeetingStatus
from abonent.appointments.services import (
    AppointmentError,
    Place,
    RepUnavailableError,
    SlotTakenError,
    meeting_book,
    meeting_move,
    meeting_set_status,
)
from abonent.appointments.tests.factories import BRNO, PRAGUE, MeetingFactory, customer_at, rep_with_hours
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.notifications.models import Notification

PRG = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PRG)  # a Monday morning
TUESDAY = dt.date(2026, 12, 1)


def at(day: dt.date, hour: int, minute: int = 0, tz=PRG) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tz)


def book(rep, party, start, minutes=60, place=None, by=None, **kwargs):
    place = place or Place("Na Příkopě 1, Praha", *PRAGUE)
    return meeting_book(rep=rep, party=party, start=start, end=start + dt.timedelta(minutes=minutes), place=place,
                        purpose="Fibre offer", by=by, now=NOW, **kwargs)


@pytest.fixture
def rep(db):
    return rep_with_hours(first_name="Radek", last_name="Černý")


@pytest.fixture
def party(db):
    return customer_at(PRAGUE, first_name="Jana", last_name="Nováková")


def test_a_free_slot_is_booked_and_written_to_the_customers_history(rep, party, make_user):
    agent = make_user(Role.AGENT)

    meeting = book(rep, party, at(TUESDAY, 10), by=agent, source="call:17")

    assert (meeting.rep, meeting.party, meeting.status) == (rep, party, MeetingStatus.PLANNED)
    assert (meeting.start, meeting.end) == (at(TUESDAY, 10), at(TUESDAY, 11))
    assert (meeting.created_by, meeting.source) == (agent, "call:17")
    entry = AuditEntry.objects.get(action="abonent.appointments.meeting.booked")
    assert (entry.actor, entry.subject_id, entry.channel) == (agent, str(party.pk), "ui")


def test_the_rep_hears_of_a_meeting_an_agent_booked_for_them(rep, party, make_user):
    book(rep, party, at(TUESDAY, 10), by=make_user(Role.AGENT))

    [notification] = Notification.objects.filter(user=rep)
    assert notification.title.startswith("New meeting: Jana Nováková, 2026-12-01 10:00")


def test_a_slot_overlapping_another_meeting_is_refused_as_just_taken(rep, party):
    book(rep, party, at(TUESDAY, 10))

    with pytest.raises(SlotTakenError, match="This slot was just taken by another booking — pick another one."):
        book(rep, party, at(TUESDAY, 10, 30))
    assert Meeting.objects.count() == 1


def test_a_cancelled_meeting_frees_its_slot(rep, party):
    first = book(rep, party, at(TUESDAY, 10))
    meeting_set_status(meeting=first, status=MeetingStatus.CANCELLED, by=None, now=NOW)

    second = book(rep, party, at(TUESDAY, 10))

    assert second.pk != first.pk


def test_the_reps_buffer_between_meetings_is_kept(rep, party):
    book(rep, party, at(TUESDAY, 10))  # until 11:00; the rep's buffer is 15 minutes

    with pytest.raises(SlotTakenError, match="needs 15 minutes"):
        book(rep, party, at(TUESDAY, 11, 10))
    assert book(rep, party, at(TUESDAY, 11, 15)).start == at(TUESDAY, 11, 15)


def test_the_travel_time_from_the_previous_place_is_kept(rep, party):
    book(rep, party, at(TUESDAY, 9), place=Place("Brno", *BRNO))  # 185 km from Prague: ~4.6 hours at 40 km/h

    with pytest.raises(SlotTakenError, match="needs 279 minutes"):
        book(rep, party, at(TUESDAY, 12))
    assert book(rep, party, at(TUESDAY, 14, 45)).start == at(TUESDAY, 14, 45)


def test_a_time_outside_the_reps_working_hours_is_refused(rep, party):
    with pytest.raises(RepUnavailableError, match="outside the rep's working hours"):
        book(rep, party, at(TUESDAY, 16, 30))  # would end at 17:30; the rep works until 17:00
    with pytest.raises(RepUnavailableError, match="outside the rep's working hours"):
        book(rep, party, at(dt.date(2026, 12, 5), 10))  # a Saturday


def test_working_hours_are_the_reps_own_time_zone(db, party):
    moscow = rep_with_hours(time_zone="Europe/Moscow", country="RU")  # 9:00-17:00 Moscow = 7:00-15:00 Prague

    assert book(moscow, party, at(TUESDAY, 7)).start == at(TUESDAY, 9, tz=ZoneInfo("Europe/Moscow"))
    with pytest.raises(RepUnavailableError):
        book(moscow, party, at(TUESDAY, 14, 30))


def test_a_public_holiday_of_the_reps_country_is_refused(db, party):
    rep = rep_with_hours(country="CZ")
    christmas = dt.datetime(2026, 12, 24, 10, tzinfo=PRG)  # a Thursday, and Christmas Eve in Czechia

    with pytest.raises(RepUnavailableError, match="public holiday"):
        book(rep, party, christmas)


def test_a_time_when_the_rep_is_away_is_refused(rep, party):
    Absence.objects.create(rep=rep, kind=AbsenceKind.TRAINING, start=at(TUESDAY, 8), end=at(TUESDAY, 12))

    with pytest.raises(RepUnavailableError, match="away"):
        book(rep, party, at(TUESDAY, 11))
    assert book(rep, party, at(TUESDAY, 12)).start == at(TUESDAY, 12)


def test_the_reps_daily_maximum_is_kept(db, party):
    rep = rep_with_hours(max_meetings_per_day=2, buffer_minutes=0)
    book(rep, party, at(TUESDAY, 9))
    book(rep, party, at(TUESDAY, 10))

    with pytest.raises(RepUnavailableError, match="already has 2 meetings"):
        book(rep, party, at(TUESDAY, 14))


def test_a_time_that_has_passed_cannot_be_booked(rep, party):
    with pytest.raises(AppointmentError, match="already passed"):
        book(rep, party, at(dt.date(2026, 11, 30), 7))


def test_only_an_active_sales_rep_can_be_booked(party, make_user):
    with pytest.raises(AppointmentError, match="not an active sales rep"):
        book(make_user(Role.AGENT), party, at(TUESDAY, 10))


def test_a_meeting_moves_under_the_same_rules_and_the_move_is_audited(rep, party):
    first = book(rep, party, at(TUESDAY, 10))
    second = book(rep, party, at(TUESDAY, 14))

    with pytest.raises(SlotTakenError):
        meeting_move(meeting=second, start=at(TUESDAY, 10, 30), end=at(TUESDAY, 11, 30), by=None, now=NOW)
    moved = meeting_move(meeting=first, start=at(TUESDAY, 10, 30), end=at(TUESDAY, 11, 30), by=None, now=NOW)

    assert (moved.start, moved.end) == (at(TUESDAY, 10, 30), at(TUESDAY, 11, 30))
    entry = AuditEntry.objects.get(action="abonent.appointments.meeting.moved")
    assert set(entry.changes) == {"start", "end"}


def test_a_meeting_moves_to_another_rep(rep, party):
    other = rep_with_hours()
    meeting = book(rep, party, at(TUESDAY, 10))

    moved = meeting_move(meeting=meeting, start=at(TUESDAY, 10), end=at(TUESDAY, 11), rep=other, by=None, now=NOW)

    assert moved.rep == other


def test_a_meeting_is_done_only_once_it_has_started(rep, party):
    meeting = book(rep, party, at(TUESDAY, 10))

    with pytest.raises(AppointmentError, match="once it has started"):
        meeting_set_status(meeting=meeting, status=MeetingStatus.DONE, by=None, now=NOW)
    done = meeting_set_status(meeting=meeting, status=MeetingStatus.DONE, outcome_note="Signed", by=None,
                              now=at(TUESDAY, 11))

    assert (done.status, done.outcome_note) == (MeetingStatus.DONE, "Signed")
    assert AuditEntry.objects.filter(action="abonent.appointments.meeting.done").exists()


def test_a_cancelled_meeting_stays_cancelled(db):
    meeting = MeetingFactory(status=MeetingStatus.CANCELLED)

    with pytest.raises(AppointmentError, match="cannot become"):
        meeting_set_status(meeting=meeting, status=MeetingStatus.CONFIRMED, by=None, now=NOW)


def test_the_customer_gets_a_confirmation_in_their_language(rep, party, smtp_mailbox):
    from abonent.notifications.services import outbox_flush

    book(rep, party, at(TUESDAY, 10), send_confirmation=True)
    outbox_flush(now=NOW)

    [message] = smtp_mailbox.messages
    assert smtp_mailbox.recipients == [[party.email]]
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "01.12.2026" in text and "10:00" in text and "Na Příkopě 1" in text
