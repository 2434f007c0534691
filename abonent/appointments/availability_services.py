"""Writes about when reps work (profile, weekly hours, absences), calendar preferences and ICS feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.db import transaction
from django.utils.translation import gettext as _

from abonent.accounts.models import User
from abonent.appointments.models import (
    Absence,
    AbsenceKind,
    CalendarFeed,
    CalendarPreference,
    CalendarView,
    RepProfile,
    WorkingHours,
)
from abonent.appointments.services import AppointmentError
from abonent.core.models import Channel
from abonent.core.services import audit_record, changed_fields
from abonent.customers.models import Node

PROFILE_FIELDS = ("time_zone", "country", "region", "buffer_minutes", "max_meetings_per_day", "home_latitude",
                  "home_longitude")


def rep_profile_get(*, rep: User) -> RepProfile:
    """The rep's calendar settings (the defaults, unsaved, when they have none yet)."""
    return RepProfile.objects.filter(rep=rep).select_related("region").first() or RepProfile(rep=rep)


def rep_profile_save(
    *, rep: User, by: User | None, values: dict, channel: str = Channel.UI, now: dt.datetime,
) -> RepProfile:
    """Change a rep's time zone, country, region, buffer, daily maximum or base, and audit it."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"rep_profile_save cannot change {sorted(unknown)}")
    if "time_zone" in values:
        try:
            ZoneInfo(values["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise AppointmentError(_("“%(zone)s” is not a time zone.") % {"zone": values["time_zone"]}) from None
    if "country" in values:
        values["country"] = (values["country"] or "").upper()
        if values["country"] not in holidays.list_supported_countries():
            raise AppointmentError(_("Public holidays of “%(country)s” are not known.") % {
                "country": values["country"]})
    if "region" in values and values["region"] is not None and not isinstance(values["region"], Node):
        raise ValueError("region must be a Node")
    if values.get("max_meetings_per_day", 1) < 1:
        raise AppointmentError(_("A rep takes at least one meeting a day."))
    with transaction.atomic():
        profile, created = RepProfile.objects.select_for_update().get_or_create(rep=rep)
        changes = changed_fields(profile, values)
        if not changes:
            return profile
        for field, (_old, new) in changes.items():
            setattr(profile, field, new)
        profile.save()
        audit_record(actor=by, action="abonent.appointments.rep_profile.changed", target=profile, channel=channel,
                     now=now, changes=changes)
    return profile


def working_hours_set(
    *, rep: User, by: User | None, hours: Sequence[tuple[int, dt.time, dt.time]], channel: str = Channel.UI,
    now: dt.datetime,
) -> list[WorkingHours]:
    """Replace the rep's weekly hours with (weekday, from, until) stretches; stretches of a day may not overlap."""
    clean = sorted(hours)
    for weekday, start, end in clean:
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday {weekday}")
        if end <= start:
            raise AppointmentError(_("Working hours must end after they start."))
    for (day_a, _start_a, end_a), (day_b, start_b, _end_b) in zip(clean, clean[1:], strict=False):
        if day_a == day_b and start_b < end_a:
            raise AppointmentError(_("Two stretches of working hours on one day overlap."))
    before = [str(h) for h in WorkingHours.objects.filter(rep=rep)]
    with transaction.atomic():
        WorkingHours.objects.filter(rep=rep).delete()
        rows = WorkingHours.objects.bulk_create(WorkingHours(rep=rep, weekday=d, start=s, end=e) for d, s, e in clean)
        after = [str(h) for h in rows]
        if before != after:
            audit_record(actor=by, action="abonent.appointments.working_hours.changed", target=rep, channel=channel,
                         now=now, changes={"working_hours": (before, after)})
    return rows


def absence_add(
    *, rep: User, by: User | None, kind: str, start: dt.datetime, end: dt.datetime, note: str = "",
    channel: str = Channel.UI, now: dt.datetime,
) -> Absence:
    """Mark the rep away; meetings already booked then stay (the rep or an agent moves them)."""
    if kind not in AbsenceKind.values:
        raise AppointmentError(_("“%(kind)s” is not a kind of absence.") % {"kind": kind})
    if end <= start:
        raise AppointmentError(_("An absence must end after it starts."))
    with transaction.atomic():
        absence = Absence.objects.create(rep=rep, kind=kind, start=start, end=end, note=note[:200])
        audit_record(actor=by, action="abonent.appointments.absence.added", target=absence, channel=channel, now=now,
                     changes={"rep": (None, rep), "kind": (None, kind), "start": (None, start), "end": (None, end)})
    return absence


def absence_remove(*, absence: Absence, by: User | None, channel: str = Channel.UI, now: dt.datetime) -> None:
    with transaction.atomic():
        audit_record(actor=by, action="abonent.appointments.absence.removed", target=absence, channel=channel,
                     now=now, changes={"start": (absence.start, None), "end": (absence.end, None)})
        absence.delete()


def calendar_preference_get(*, user: User) -> CalendarPreference:
    return CalendarPreference.objects.filter(user=user).first() or CalendarPreference(user=user)


def calendar_preference_save(*, user: User, view: str, days: int) -> CalendarPreference:
    """Remember how the user likes the calendar to open (their own setting: not audited)."""
    if view not in CalendarView.values:
        raise AppointmentError(_("“%(view)s” is not a calendar view.") % {"view": view})
    if not 1 <= days <= 14:
        raise AppointmentError(_("Show between 1 and 14 days."))
    preference, _created = CalendarPreference.objects.update_or_create(user=user, defaults={"view": view,
                                                                                              "days": days})
    return preference


# --- ICS feeds ---------------------------------------------------------------------------------------


def calendar_feed_create(*, rep: User, by: User, now: dt.datetime) -> tuple[CalendarFeed, str]:
    """Give the rep a new private feed address (revoking the previous one); return it with its secret."""
    secret = CalendarFeed.new_secret()
    with transaction.atomic():
        CalendarFeed.objects.filter(rep=rep, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(rep=rep, prefix=secret[:12], digest=CalendarFeed.digest_of(secret),
                                           created_at=now)
        audit_record(actor=by, action="abonent.appointments.feed.created", target=feed, now=now)
    return feed, secret


def calendar_feed_revoke(*, feed: CalendarFeed, by: User, now: dt.datetime) -> None:
    with transaction.atomic():
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="abonent.appointments.feed.revoked", target=feed, now=now)


def calendar_feed_authenticate(*, secret: str, now: dt.datetime) -> User | None:
    """The active rep a live feed secret belongs to, or None."""
    if not secret.startswith("cal_"):
        return None
    feed = (CalendarFeed.objects.select_related("rep")
            .filter(digest=CalendarFeed.digest_of(secret), revoked_at__isnull=True, rep__is_active=True).first())
    if feed is None:
        return None
    # Calendar apps poll every few minutes; an hour's precision is enough and spares the writes.
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.rep
