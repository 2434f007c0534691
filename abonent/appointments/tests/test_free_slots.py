"""The free-slot search: working time less bookings, travel-feasible, nearest first, filtered by team/region/rep."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.appointments.models import Absence, AbsenceKind, RepProfile
from abonent.appointments.services import Place
from abonent.appointments.slots import free_slots
from abonent.appointments.tests.factories import BRNO, PRAGUE, MeetingFactory, customer_at, rep_with_hours
from abonent.customers.hierarchy_services import node_add, party_place, structure_create

PRG = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PRG)
TUESDAY = dt.date(2026, 12, 1)
HOUR = dt.timedelta(hours=1)


def at(hour, minute=0, day=TUESDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), PRG)


def search(**kwargs):
    defaults = {"date_from": TUESDAY, "date_to": TUESDAY, "duration": HOUR, "now": NOW}
    return free_slots(**(defaults | kwargs))


def test_a_free_day_offers_every_half_hour_that_fits_the_working_hours(db):
    rep_with_hours(start=dt.time(9), end=dt.time(12))

    slots = search(place=Place("Praha", *PRAGUE))

    assert [s.start for s in sorted(slots, key=lambda s: s.start)] == [at(9), at(9, 30), at(10), at(10, 30),
                                                                        at(11)]


def test_booked_time_with_its_buffer_is_not_offered(db):
    rep = rep_with_hours(start=dt.time(9), end=dt.time(13), buffer_minutes=30)
    MeetingFactory(rep=rep, start=at(10), end=at(11))

    starts = sorted(s.start for s in search(place=Place("Praha", *PRAGUE)))

    assert starts == [at(11, 30), at(12)]  # 9:00 would end at 10:00 with no buffer before the meeting


def test_a_slot_the_rep_cannot_reach_in_time_is_not_offered(db):
    rep = rep_with_hours(start=dt.time(9), end=dt.time(17))
    MeetingFactory(rep=rep, start=at(9), end=at(10), latitude=BRNO[0], longitude=BRNO[1])

    starts = sorted(s.start for s in search(place=Place("Praha", *PRAGUE)))

    assert starts[0] == at(15)  # Brno → Prague is about 4.6 hours at 40 km/h


def test_a_slot_near_the_reps_other_meetings_ranks_first(db):
    near = rep_with_hours(first_name="Near")
    far = rep_with_hours(first_name="Far")
    MeetingFactory(rep=near, start=at(9), end=at(10), latitude=PRAGUE[0] + 0.01, longitude=PRAGUE[1])
    MeetingFactory(rep=far, start=at(9), end=at(10), latitude=PRAGUE[0] + 0.5, longitude=PRAGUE[1])

    slots = search(place=Place("Praha", *PRAGUE))

    assert slots[0].rep_id == near.pk
    assert slots[0].detour_km < 2
    assert slots[0].travel_before is not None
    far_best = next(s for s in slots if s.rep_id == far.pk)
    assert far_best.detour_km > 50


def test_each_slot_carries_the_reps_load(db):
    rep = rep_with_hours(max_meetings_per_day=4)
    MeetingFactory(rep=rep, start=at(9), end=at(10))

    slot = search(place=Place("Praha", *PRAGUE))[0]

    assert (slot.load.booked, slot.load.capacity, slot.load.percent) == (1, 4, 25)


def test_a_full_day_a_holiday_and_an_absence_offer_nothing(db):
    full = rep_with_hours(max_meetings_per_day=1)
    MeetingFactory(rep=full, start=at(9), end=at(10))
    away = rep_with_hours()
    Absence.objects.create(rep=away, kind=AbsenceKind.SICK, start=at(0), end=at(23))

    assert search(place=Place("Praha", *PRAGUE)) == []
    christmas = dt.date(2026, 12, 24)
    assert search(place=Place("Praha", *PRAGUE), date_from=christmas, date_to=christmas) == []


def test_times_that_have_passed_are_not_offered(db):
    rep_with_hours(start=dt.time(9), end=dt.time(12))

    slots = search(place=Place("Praha", *PRAGUE), now=at(10, 15))

    assert sorted(s.start for s in slots) == [at(10, 30), at(11)]


def test_reps_are_filtered_by_rep_and_team(db):
    one, two = rep_with_hours(), rep_with_hours()
    team = TeamFactory()
    team.members.add(two)

    assert {s.rep_id for s in search(place=Place("Praha", *PRAGUE), rep=one)} == {one.pk}
    assert {s.rep_id for s in search(place=Place("Praha", *PRAGUE), team=team)} == {two.pk}


@pytest.fixture
def regions(db):
    structure = structure_create(by=None, name="Sales", kind="organisation")
    company = node_add(by=None, structure=structure, name="Company")
    czechia = node_add(by=None, structure=structure, name="Czechia", parent=company)
    prague = node_add(by=None, structure=structure, name="Prague", parent=czechia)
    poland = node_add(by=None, structure=structure, name="Poland", parent=company)
    return structure, czechia, prague, poland


def test_a_customer_is_offered_the_reps_of_their_region_and_reps_without_one(regions):
    structure, czechia, prague, poland = regions
    czech, polish, everywhere = rep_with_hours(), rep_with_hours(), rep_with_hours()
    RepProfile.objects.filter(rep=czech).update(region=czechia)
    RepProfile.objects.filter(rep=polish).update(region=poland)
    party = customer_at(PRAGUE)
    party_place(party=party, node=prague, active_from=dt.date(2026, 1, 1), by=None)

    assert {s.rep_id for s in search(party=party)} == {czech.pk, everywhere.pk}
    assert {s.rep_id for s in search(party=party, region=poland)} == {polish.pk}


def test_a_customer_without_coordinates_still_gets_slots_by_time(db):
    rep_with_hours(start=dt.time(9), end=dt.time(11))

    slots = search(place=Place("Somewhere unknown"))

    assert [s.start for s in slots] == [at(9), at(9, 30), at(10)]
    assert all(s.detour_km is None for s in slots)
