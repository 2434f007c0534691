"""The morning agenda: at ABONENT_AGENDA_HOUR in each rep's time zone, the day's meetings by e-mail,
with a map of the places in the order of the day (or without it, when the tile server cannot be reached)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from abonent.accounts.models import User
from abonent.appointments.availability import rep_zone
from abonent.appointments.geocoding import geocode
from abonent.appointments.maps import day_map_render
from abonent.appointments.models import AgendaSent, Meeting
from abonent.appointments.selectors import initials, rep_day_meetings
from abonent.appointments.slots import calendar_reps
from abonent.appointments.travel import Point
from abonent.notifications.services import EmailAttachment, email_queue

log = logging.getLogger(__name__)
MAP_CID = "agenda-map"
# A worker that was down at the hour still sends the agenda if it comes back within this long.
CATCH_UP_HOURS = 3


def _meeting_point(meeting: Meeting, *, now: dt.datetime) -> Point | None:
    if meeting.has_coordinates:
        return Point(float(meeting.latitude), float(meeting.longitude))
    return geocode(query=meeting.place, now=now)


def agenda_send(*, rep: User, day: dt.date, now: dt.datetime) -> AgendaSent | None:
    """E-mail the rep their meetings of a local day, once; None when there is nothing to send or it went already."""
    tz = rep_zone(rep)
    start = dt.datetime.combine(day, dt.time.min, tz)
    meetings = rep_day_meetings(rep=rep, start=start, end=start + dt.timedelta(days=1))
    if not meetings or not rep.email or AgendaSent.objects.filter(rep=rep, day=day).exists():
        return None
    points = [(n, p) for n, p in ((n, _meeting_point(m, now=now)) for n, m in enumerate(meetings, 1)) if p]
    day_map = day_map_render([p for _n, p in points])
    rows = [{
        "number": number, "start": m.start.astimezone(tz), "end": m.end.astimezone(tz),
        "initials": initials(m.party.name), "place": m.place, "purpose": m.purpose,
        "url": f"{settings.SITE_URL}{reverse('appointments:meeting', args=[m.pk])}",
    } for number, m in enumerate(meetings, 1)]
    attachments = [EmailAttachment("agenda-map.png", day_map.png, "image/png", cid=MAP_CID)] if day_map else []
    try:
        with transaction.atomic():
            sent = AgendaSent.objects.create(rep=rep, day=day, sent_at=now, meetings=len(meetings),
                                             with_map=day_map is not None)
            email_queue(
                to=rep.email, template="appointments/email/agenda", language=rep.language or settings.LANGUAGE_CODE,
                attachments=attachments, now=now,
                context={"name": rep.get_short_name() or rep.get_username(), "day": day, "meetings": rows,
                         "map_cid": MAP_CID if day_map else "", "calendar_url": f"{settings.SITE_URL}"
                         f"{reverse('appointments:calendar')}"},
            )
    except IntegrityError:
        return None  # another worker sent it a moment ago
    return sent


def agendas_send_due(*, now: dt.datetime) -> int:
    """Send every rep whose local time has reached the agenda hour today their agenda; return how many went."""
    hour = settings.ABONENT_AGENDA_HOUR
    sent = 0
    for rep in calendar_reps().exclude(email=""):
        local = now.astimezone(rep_zone(rep))
        if not hour <= local.hour < hour + CATCH_UP_HOURS:
            continue
        if agenda_send(rep=rep, day=local.date(), now=now) is not None:
            sent += 1
    return sent
