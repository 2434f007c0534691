"""The calendar's demo step: working hours for the demo reps and a week of meetings around today."""

import datetime as dt
from zoneinfo import ZoneInfo

from abonent.appointments.demo import demo_appointments_load
from abonent.appointments.models import Meeting, MeetingStatus, RepProfile, WorkingHours
from abonent.customers.demo import demo_load
from abonent.customers.models import Address

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Prague"))  # a Wednesday


def test_the_demo_reps_get_hours_and_a_week_of_meetings_that_never_overlap(db):
    demo_load(customers=40)

    summary = demo_appointments_load(now=NOW)

    assert RepProfile.objects.filter(rep__username__in=["rep", "rep2"]).count() == 2
    assert WorkingHours.objects.filter(rep__username="rep").count() == 5
    meetings = list(Meeting.objects.order_by("rep_id", "start"))
    assert len(meetings) >= 20 and summary.startswith(f"{len(meetings)} demo meetings")
    assert {m.start.date() for m in meetings} >= {NOW.date() - dt.timedelta(days=1), NOW.date() + dt.timedelta(days=1)}
    same_rep = [(a, b) for a, b in zip(meetings, meetings[1:], strict=False) if a.rep_id == b.rep_id]
    assert all(a.end <= b.start for a, b in same_rep)
    assert {m.status for m in meetings if m.end <= NOW} <= {MeetingStatus.DONE, MeetingStatus.NO_SHOW}
    assert {m.status for m in meetings if m.start > NOW} <= {MeetingStatus.PLANNED, MeetingStatus.CONFIRMED}
    assert all(m.has_coordinates for m in meetings)
    assert not Address.objects.filter(latitude__isnull=True).exists()


def test_loading_the_demo_again_adds_nothing(db):
    demo_load(customers=40)
    demo_appointments_load(now=NOW)
    count = Meeting.objects.count()

    assert demo_appointments_load(now=NOW).startswith("0 demo meetings")
    assert Meeting.objects.count() == count
