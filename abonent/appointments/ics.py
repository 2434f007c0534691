"""A rep's meetings as an iCalendar feed (RFC 5545) that calendar apps subscribe to, with its VTIMEZONE."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from abonent.accounts.models import User
from abonent.appointments.availability import rep_zone
from abonent.appointments.models import Meeting, MeetingStatus
from abonent.appointments.selectors import initials

PAST = dt.timedelta(days=60)
FUTURE = dt.timedelta(days=366)
ICS_STATUS = {MeetingStatus.PLANNED: "TENTATIVE", MeetingStatus.CONFIRMED: "CONFIRMED",
              MeetingStatus.DONE: "CONFIRMED", MeetingStatus.NO_SHOW: "CONFIRMED",
              MeetingStatus.CANCELLED: "CANCELLED"}


def rep_feed_ics(*, rep: User, now: dt.datetime) -> bytes:
    """The rep's meetings from two months back to a year ahead; cancelled ones stay, marked, so apps drop them.

    Customers appear by their initials, as in the morning e-mail: the feed lands on calendar services outside
    the company. The meeting's link opens it in Abonent for the rest.
    """
    tz = rep_zone(rep)
    host = urlsplit(settings.SITE_URL).hostname or "abonent"
    calendar = Calendar()
    calendar.add("prodid", "-//Abonent//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Abonent – {rep.get_full_name() or rep.get_username()}")
    calendar.add("x-wr-timezone", str(tz))
    meetings = (Meeting.objects.filter(rep=rep, start__gte=now - PAST, start__lt=now + FUTURE)
                .select_related("party").order_by("start", "id"))
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", meeting.start.astimezone(tz))
        event.add("dtend", meeting.end.astimezone(tz))
        event.add("summary", f"{meeting.purpose} – {initials(meeting.party.name)}")
        event.add("location", meeting.place)
        url = f"{settings.SITE_URL}{reverse('appointments:meeting', args=[meeting.pk])}"
        event.add("url", url)
        event.add("description", url)
        event.add("status", ICS_STATUS[MeetingStatus(meeting.status)])
        if meeting.has_coordinates:
            event.add("geo", (float(meeting.latitude), float(meeting.longitude)))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
