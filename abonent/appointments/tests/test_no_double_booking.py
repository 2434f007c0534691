"""No double booking, ever: concurrent bookings of one slot give one meeting and clear refusals.

Real threads with their own database connections, on whichever database the tests run (SQLite by default,
PostgreSQL with DATABASE_URL); the last tests check the PostgreSQL exclusion constraint itself.
"""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, connections, transaction

from abonent.appointments.models import Meeting, MeetingStatus
from abonent.appointments.services import Place, SlotTakenError, _save_refusing_overlap, meeting_book
from abonent.appointments.tests.factories import PRAGUE, MeetingFactory, customer_at, rep_with_hours

PRG = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PRG)
TEN = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PRG)
THREADS = 8


def _race(rep, party, starts):
    """Book every start at once from its own thread; return the outcomes in order."""
    barrier = threading.Barrier(len(starts))
    outcomes = [None] * len(starts)

    def attempt(i: int, start: dt.datetime) -> None:
        try:
            barrier.wait(timeout=10)
            meeting = meeting_book(rep=rep, party=party, start=start, end=start + dt.timedelta(hours=1),
                                   place=Place("Na Příkopě 1, Praha", *PRAGUE), purpose=f"Offer {i}", by=None,
                                   now=NOW)
            outcomes[i] = meeting.pk
        except SlotTakenError as error:
            outcomes[i] = str(error)
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            outcomes[i] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, s)) for i, s in enumerate(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_agents_booking_the_same_slot_at_once_get_one_meeting_and_slot_taken_messages():
    rep, party = rep_with_hours(), customer_at()

    outcomes = _race(rep, party, [TEN] * THREADS)

    booked = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if not isinstance(o, int)]
    assert len(booked) == 1
    assert refused == ["This slot was just taken by another booking — pick another one."] * (THREADS - 1)
    assert Meeting.objects.filter(rep=rep).count() == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_slots_booked_at_once_never_overlap_in_the_calendar():
    rep, party = rep_with_hours(buffer_minutes=0), customer_at()
    starts = [TEN + dt.timedelta(minutes=15 * i) for i in range(THREADS)]  # 10:00, 10:15, ... each an hour long

    _race(rep, party, starts)

    meetings = list(Meeting.objects.filter(rep=rep).order_by("start"))
    assert meetings
    assert all(a.end <= b.start for a, b in zip(meetings, meetings[1:], strict=False))


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")


@postgres_only
def test_postgresql_refuses_an_overlapping_meeting_whatever_wrote_it(db):
    first = MeetingFactory(start=TEN, end=TEN + dt.timedelta(hours=1))

    with pytest.raises(IntegrityError, match="meeting_no_overlap"), transaction.atomic():
        MeetingFactory(rep=first.rep, start=TEN + dt.timedelta(minutes=30), end=TEN + dt.timedelta(minutes=90))


@postgres_only
def test_postgresql_lets_a_cancelled_meeting_overlap_and_the_constraint_becomes_slot_taken(db):
    cancelled = MeetingFactory(start=TEN, status=MeetingStatus.CANCELLED)
    live = MeetingFactory(rep=cancelled.rep, start=TEN)

    duplicate = Meeting(rep=live.rep, party=live.party, place="x", start=TEN, end=TEN + dt.timedelta(hours=1),
                        purpose="x", created_at=NOW)
    with pytest.raises(SlotTakenError):
        _save_refusing_overlap(duplicate)
