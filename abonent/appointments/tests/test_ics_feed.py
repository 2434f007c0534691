"""The private ICS feed: parses with icalendar, carries the rep's VTIMEZONE, and stops when revoked."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from abonent.appointments.availability_services import calendar_feed_create, calendar_feed_revoke
from abonent.appointments.models import CalendarFeed, MeetingStatus
from abonent.appointments.tests.factories import MeetingFactory, customer_at, rep_with_hours

PRG = ZoneInfo("Europe/Prague")


def test_the_feed_parses_with_its_time_zone_and_the_reps_meetings(client, db):
    rep = rep_with_hours(time_zone="Europe/Warsaw", country="PL")
    soon = timezone.now().astimezone(PRG).replace(microsecond=0, second=0) + dt.timedelta(days=2)
    meeting = MeetingFactory(rep=rep, party=customer_at(first_name="Jana", last_name="Nováková"), start=soon,
                             end=soon + dt.timedelta(hours=1), purpose="Fibre offer", place="Na Příkopě 1, Praha")
    MeetingFactory(rep=rep, start=soon + dt.timedelta(hours=3), status=MeetingStatus.CANCELLED)
    MeetingFactory(start=soon)  # someone else's
    _feed, secret = calendar_feed_create(rep=rep, by=rep, now=timezone.now())

    response = client.get(reverse("appointments:ics", args=[secret]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Warsaw"
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    first = next(e for e in events if str(e["UID"]).startswith(f"meeting-{meeting.pk}@"))
    start = first.decoded("DTSTART")
    assert start == meeting.start and str(start.tzinfo) == "Europe/Warsaw"
    assert first["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert str(first["SUMMARY"]) == "Fibre offer – J. N."
    assert str(first["LOCATION"]) == "Na Příkopě 1, Praha"
    assert str(first["STATUS"]) == "TENTATIVE"
    assert {str(e["STATUS"]) for e in events} == {"TENTATIVE", "CANCELLED"}
    assert b"Nov\xc3\xa1kov\xc3\xa1" not in response.content


def test_a_revoked_or_replaced_feed_address_no_longer_answers(client, db):
    rep = rep_with_hours()
    feed, secret = calendar_feed_create(rep=rep, by=rep, now=timezone.now())
    _new, new_secret = calendar_feed_create(rep=rep, by=rep, now=timezone.now())

    assert client.get(reverse("appointments:ics", args=[secret])).status_code == 404
    assert client.get(reverse("appointments:ics", args=[new_secret])).status_code == 200
    calendar_feed_revoke(feed=CalendarFeed.objects.get(revoked_at__isnull=True), by=rep, now=timezone.now())
    assert client.get(reverse("appointments:ics", args=[new_secret])).status_code == 404
    assert client.get(reverse("appointments:ics", args=["cal_guess"])).status_code == 404


def test_only_the_digest_of_the_secret_is_stored(db):
    rep = rep_with_hours()

    feed, secret = calendar_feed_create(rep=rep, by=rep, now=timezone.now())

    assert secret not in (feed.digest, feed.prefix)
    assert feed.digest == CalendarFeed.digest_of(secret)


def test_a_rep_makes_their_feed_address_on_the_feed_page(client, db):
    rep = rep_with_hours()
    client.force_login(rep)

    response = client.post(reverse("appointments:feed_create"), follow=True)

    assert response.status_code == 200
    address = response.context["address"]
    assert "/calendar/feed/cal_" in address and address.endswith(".ics")
    assert client.get(reverse("appointments:feed")).context["address"] == ""  # shown once
