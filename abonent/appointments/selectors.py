"""Reads of the calendar: whose calendar a user may see, meetings in a range, a rep's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from abonent.accounts.models import User
from abonent.appointments.models import Meeting, MeetingStatus
from abonent.core.roles import Role


def sees_every_rep(user: User) -> bool:
    """Agents, managers and administrators see every rep's calendar; a rep sees their own."""
    return user.role != Role.SALES_REP


def visible_meetings(user: User) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    return meetings if sees_every_rep(user) else meetings.filter(rep=user)


def meeting_get(*, user: User, pk: int) -> Meeting:
    """A meeting the user may see; raises Meeting.DoesNotExist otherwise."""
    return visible_meetings(user).select_related("rep", "party", "created_by", "address").get(pk=pk)


def meetings_in_range(
    *, user: User, start: dt.datetime, end: dt.datetime, rep_ids: list[int] | None = None,
    include_cancelled: bool = False,
) -> QuerySet[Meeting]:
    """The meetings the user may see that share time with [start, end), by start."""
    meetings = visible_meetings(user).overlapping(start, end)
    if not include_cancelled:
        meetings = meetings.blocking()
    if rep_ids:
        meetings = meetings.filter(rep_id__in=rep_ids)
    return meetings.select_related("party", "rep").order_by("start", "id")


def party_meetings(*, user: User, party_id: int) -> QuerySet[Meeting]:
    return visible_meetings(user).filter(party_id=party_id).select_related("rep").order_by("-start", "-id")


def rep_day_meetings(*, rep: User, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """A rep's planned and confirmed meetings starting in [start, end): the morning agenda."""
    return list(
        Meeting.objects.filter(rep=rep, start__gte=start, start__lt=end,
                               status__in=(MeetingStatus.PLANNED, MeetingStatus.CONFIRMED))
        .select_related("party").order_by("start", "id")
    )


def initials(name: str) -> str:
    """"Jana Nováková" → "J. N.": what the agenda e-mail shows of a customer (privacy)."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return " ".join(f"{w[0].upper()}." for w in words[:3])


STATUS_COLOURS = {
    MeetingStatus.PLANNED: "#0d6efd", MeetingStatus.CONFIRMED: "#198754", MeetingStatus.DONE: "#6c757d",
    MeetingStatus.NO_SHOW: "#dc3545", MeetingStatus.CANCELLED: "#adb5bd",
}


def floating(moment: dt.datetime, tz) -> str:
    """The wall-clock time in a time zone without an offset: the calendar widget shows it as it is."""
    return moment.astimezone(tz).replace(tzinfo=None).isoformat(timespec="minutes")


def calendar_event(meeting: Meeting, *, tz, url: str, editable: bool) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "resourceId": meeting.rep_id,
        "start": floating(meeting.start, tz),
        "end": floating(meeting.end, tz),
        "title": f"{meeting.party.name} · {meeting.purpose}",
        "color": STATUS_COLOURS.get(meeting.status, "#0d6efd"),
        "editable": editable,
        "extendedProps": {"url": url, "status": meeting.get_status_display(), "place": meeting.place,
                          "kind": "meeting"},
    }
