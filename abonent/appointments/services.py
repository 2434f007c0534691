"""Writes about meetings: book one, move it, confirm, record its outcome, cancel it.

No double booking, ever. Booking takes the rep's row lock (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's
transactions begin IMMEDIATE, which serialises every writer), then checks the rep's hours, holidays,
absences, daily limit and the buffer or travel time to the neighbouring meetings, and only then inserts.
On PostgreSQL the exclusion constraint `meeting_no_overlap` also refuses an overlapping row whatever wrote
it; its violation comes back to the caller as the same SlotTakenError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.accounts.models import User
from abonent.appointments.availability import RepDays, holiday_name, rep_days_load, rep_zone
from abonent.appointments.geocoding import geocode
from abonent.appointments.models import Meeting, MeetingStatus
from abonent.appointments.travel import Point, travel_estimator
from abonent.core.models import Channel
from abonent.core.roles import Role
from abonent.core.services import AbonentError, audit_record
from abonent.customers.models import Address, Party
from abonent.notifications.services import email_queue, notify

EXCLUSION_CONSTRAINT = "meeting_no_overlap"
LANGUAGE_OF_COUNTRY = {"CZ": "cs", "PL": "pl", "RO": "ro", "RU": "ru"}


class AppointmentError(AbonentError):
    """A meeting that cannot be booked or changed, said so a person understands why."""


class SlotTakenError(AppointmentError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This slot was just taken by another booking — pick another one."))


class RepUnavailableError(AppointmentError):
    pass


@dataclass(frozen=True)
class Place:
    """Where a meeting happens: a customer's address, or any text; with coordinates when they are known."""

    text: str
    latitude: float | None = None
    longitude: float | None = None
    address: Address | None = None

    @classmethod
    def of_address(cls, address: Address) -> Place:
        return cls(
            text=str(address), address=address,
            latitude=float(address.latitude) if address.latitude is not None else None,
            longitude=float(address.longitude) if address.longitude is not None else None,
        )

    @property
    def point(self) -> Point | None:
        if self.latitude is None or self.longitude is None:
            return None
        return Point(self.latitude, self.longitude)

    def located(self, *, now: dt.datetime) -> Place:
        """The same place with coordinates from the geocoder (cached) when it has none."""
        if self.point is not None or not self.text.strip():
            return self
        point = geocode(query=self.text, now=now)
        if point is None:
            return self
        return Place(text=self.text, latitude=point.latitude, longitude=point.longitude, address=self.address)


def party_place(*, party: Party, now: dt.datetime) -> Place | None:
    """Where to meet a customer by default: their primary address (else their first), geocoded if needed."""
    address = party.addresses.order_by("-is_primary", "id").first()
    if address is None:
        return None
    return Place.of_address(address).located(now=now)


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


def _when(moment: dt.datetime, tz) -> str:
    return formats.date_format(moment.astimezone(tz), "DATETIME_FORMAT")


# --- the rules of a rep's day ------------------------------------------------------------------------


def slot_assert_bookable(
    *, days: RepDays, start: dt.datetime, end: dt.datetime, point: Point | None, exclude_id: int | None = None,
) -> None:
    """Raise the reason a rep cannot meet at [start, end), or return when they can."""
    day = days.local_day(start)
    if days.local_day(end - dt.timedelta(microseconds=1)) != day:
        raise RepUnavailableError(_("A meeting must start and end on the same day."))
    holiday = holiday_name(days.country, day)
    if holiday:
        raise RepUnavailableError(_("%(day)s is a public holiday (%(name)s).") % {
            "day": formats.date_format(day, "SHORT_DATE_FORMAT"), "name": holiday})
    for away_start, away_end in days.absences:
        if away_start < end and away_end > start:
            raise RepUnavailableError(_("The rep is away at that time."))
    if not any(i_start <= start and end <= i_end for i_start, i_end in days.working_intervals(day)):
        raise RepUnavailableError(_("That time is outside the rep's working hours."))
    booked = days.meetings_on(day, exclude_id=exclude_id)
    if any(m.start < end and m.end > start for m in booked):
        raise SlotTakenError()
    if len(booked) >= days.max_per_day:
        raise RepUnavailableError(
            _("The rep already has %(count)s meetings that day, the most they take.") % {"count": len(booked)})
    travel = travel_estimator()
    for meeting in booked:
        if meeting.end <= start:
            gap, needed = start - meeting.end, _needed_gap(days, travel, meeting.point, point)
        elif meeting.start >= end:
            gap, needed = meeting.start - end, _needed_gap(days, travel, point, meeting.point)
        else:  # pragma: no cover - overlaps were refused above
            continue
        if gap < needed:
            raise SlotTakenError(_(
                "The rep needs %(minutes)s minutes between this meeting and the one at %(time)s — pick another "
                "time."
            ) % {"minutes": round(needed.total_seconds() / 60),
                 "time": formats.time_format(meeting.start.astimezone(days.tz), "TIME_FORMAT")})


def _needed_gap(days: RepDays, travel, a: Point | None, b: Point | None) -> dt.timedelta:
    if a is None or b is None:
        return days.buffer
    return max(days.buffer, dt.timedelta(minutes=round(travel.minutes(a, b))))


def _lock_rep(rep: User) -> User:
    """Serialise the bookings of one rep: the rep's row is the lock (every rep has one)."""
    return User.objects.select_for_update().get(pk=rep.pk)


def _assert_rep(rep: User) -> None:
    if not rep.is_active or rep.role != Role.SALES_REP:
        raise AppointmentError(_("%(name)s is not an active sales rep.") % {"name": rep})


def _assert_times(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("meeting times must be aware datetimes")
    if end <= start:
        raise AppointmentError(_("A meeting must end after it starts."))
    if start < now:
        raise AppointmentError(_("That time has already passed."))


def _save_refusing_overlap(meeting: Meeting, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            meeting.save(**kwargs)
    except IntegrityError as error:
        if EXCLUSION_CONSTRAINT in str(error):
            raise SlotTakenError() from error
        raise


# --- booking -----------------------------------------------------------------------------------------


def meeting_book(
    *, rep: User, party: Party, start: dt.datetime, end: dt.datetime, place: Place, purpose: str, by: User | None,
    channel: str = Channel.UI, note: str = "", source: str = "", send_confirmation: bool = False,
    now: dt.datetime,
) -> Meeting:
    """Book a meeting of a rep with a customer, or raise SlotTakenError / another AppointmentError."""
    purpose = " ".join(purpose.split())[:200]
    if not purpose:
        raise AppointmentError(_("Say what the meeting is about."))
    if party.merged_into_id:
        raise AppointmentError(_("This customer was merged into another record; book on that one."))
    _assert_rep(rep)
    _assert_times(start, end, now)
    place = place.located(now=now)  # before the lock: the geocoder may take a moment
    if not place.text.strip():
        raise AppointmentError(_("Say where the meeting takes place."))
    with transaction.atomic():
        _lock_rep(rep)
        days = rep_days_load(rep_ids=[rep.pk], start=start, end=end)[rep.pk]
        slot_assert_bookable(days=days, start=start, end=end, point=place.point)
        meeting = Meeting(
            rep=rep, party=party, address=place.address, place=place.text[:300],
            latitude=_coordinate(place.latitude), longitude=_coordinate(place.longitude), start=start, end=end,
            purpose=purpose, note=note, created_by=by, created_at=now, source=source[:200],
        )
        _save_refusing_overlap(meeting)
        audit_record(
            actor=by, action="abonent.appointments.meeting.booked", target=meeting, subject=party, channel=channel,
            now=now, changes={"rep": (None, rep), "start": (None, start), "end": (None, end),
                              "place": (None, meeting.place), "purpose": (None, purpose)},
        )
        if by is None or by.pk != rep.pk:
            _tell_rep(meeting, now=now)
        if send_confirmation and party.email:
            meeting_confirmation_send(meeting=meeting, now=now)
    return meeting


def _tell_rep(meeting: Meeting, *, now: dt.datetime, moved: bool = False) -> None:
    tz = rep_zone(meeting.rep)
    when = meeting.start.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    title = (gettext_lazy("Meeting moved: {customer}, {when}") if moved
             else gettext_lazy("New meeting: {customer}, {when}"))
    notify(user=meeting.rep, title=format_lazy(title, customer=meeting.party.name, when=when),
           body=meeting.purpose, url=reverse("appointments:meeting", args=[meeting.pk]), now=now)


def meeting_confirmation_send(*, meeting: Meeting, now: dt.datetime) -> None:
    """E-mail the customer the time and place, in their country's language."""
    party = meeting.party
    language = LANGUAGE_OF_COUNTRY.get(party.country, settings.LANGUAGE_CODE)
    tz = rep_zone(meeting.rep)
    email_queue(
        to=party.email, template="appointments/email/confirmation", language=language, now=now,
        context={"meeting": meeting, "name": party.name, "rep": str(meeting.rep),
                 "start": meeting.start.astimezone(tz), "end": meeting.end.astimezone(tz)},
    )


# --- changes -----------------------------------------------------------------------------------------

MOVABLE = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED)


def meeting_move(
    *, meeting: Meeting, start: dt.datetime, end: dt.datetime, rep: User | None = None, by: User | None,
    channel: str = Channel.UI, now: dt.datetime,
) -> Meeting:
    """Move a planned or confirmed meeting to another time (and rep), with the same checks as booking."""
    rep = rep or meeting.rep
    if meeting.status not in MOVABLE:
        raise AppointmentError(_("Only a planned or confirmed meeting can be moved."))
    _assert_rep(rep)
    _assert_times(start, end, now)
    old = {"rep": meeting.rep, "start": meeting.start, "end": meeting.end}
    with transaction.atomic():
        for locked in sorted({rep.pk, meeting.rep_id}):  # in primary-key order: two moves never deadlock
            _lock_rep(User(pk=locked))
        meeting = Meeting.objects.select_for_update().select_related("party", "rep").get(pk=meeting.pk)
        if meeting.status not in MOVABLE:
            raise AppointmentError(_("Only a planned or confirmed meeting can be moved."))
        days = rep_days_load(rep_ids=[rep.pk], start=start, end=end, exclude_meeting_id=meeting.pk)[rep.pk]
        point = Point(float(meeting.latitude), float(meeting.longitude)) if meeting.has_coordinates else None
        slot_assert_bookable(days=days, start=start, end=end, point=point)
        meeting.rep, meeting.start, meeting.end = rep, start, end
        _save_refusing_overlap(meeting, update_fields=["rep", "start", "end"])
        new = {"rep": rep, "start": start, "end": end}
        audit_record(
            actor=by, action="abonent.appointments.meeting.moved", target=meeting, subject=meeting.party,
            channel=channel, now=now, changes={k: (old[k], new[k]) for k in old if old[k] != new[k]},
        )
        if by is None or by.pk != rep.pk:
            _tell_rep(meeting, now=now, moved=True)
    return meeting


# Which status may follow which; cancelled is final, done and no-show may be corrected into each other.
NEXT_STATUSES = {
    MeetingStatus.PLANNED: {MeetingStatus.CONFIRMED, MeetingStatus.DONE, MeetingStatus.NO_SHOW,
                            MeetingStatus.CANCELLED},
    MeetingStatus.CONFIRMED: {MeetingStatus.PLANNED, MeetingStatus.DONE, MeetingStatus.NO_SHOW,
                              MeetingStatus.CANCELLED},
    MeetingStatus.DONE: {MeetingStatus.NO_SHOW},
    MeetingStatus.NO_SHOW: {MeetingStatus.DONE},
    MeetingStatus.CANCELLED: set(),
}


def meeting_set_status(
    *, meeting: Meeting, status: str, by: User | None, outcome_note: str | None = None,
    channel: str = Channel.UI, now: dt.datetime,
) -> Meeting:
    """Confirm, record as done or no-show (with the outcome), or cancel a meeting."""
    if status not in MeetingStatus.values:
        raise AppointmentError(_("“%(status)s” is not a meeting status.") % {"status": status})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("party").get(pk=meeting.pk)
        changes: dict[str, tuple[Any, Any]] = {}
        if status != meeting.status:
            if status not in NEXT_STATUSES[MeetingStatus(meeting.status)]:
                raise AppointmentError(_("A meeting that is %(old)s cannot become %(new)s.") % {
                    "old": MeetingStatus(meeting.status).label.lower(), "new": MeetingStatus(status).label.lower()})
            if status in (MeetingStatus.DONE, MeetingStatus.NO_SHOW) and meeting.start > now:
                raise AppointmentError(_("A meeting can be recorded as done or no-show once it has started."))
            changes["status"] = (meeting.get_status_display(), MeetingStatus(status).label)
            meeting.status = status
        if outcome_note is not None and outcome_note != meeting.outcome_note:
            changes["outcome_note"] = (meeting.outcome_note, outcome_note)
            meeting.outcome_note = outcome_note
        if not changes:
            return meeting
        meeting.save(update_fields=["status", "outcome_note"])
        verb = status if "status" in changes else "outcome_noted"
        audit_record(actor=by, action=f"abonent.appointments.meeting.{verb}", target=meeting,
                     subject=meeting.party, channel=channel, now=now, changes=changes)
    return meeting


def meetings_move_to_survivor(*, survivor: Party, merged: Party) -> int:
    """A merged duplicate's meetings belong to the record it was merged into."""
    return Meeting.objects.filter(party=merged).update(party=survivor)

