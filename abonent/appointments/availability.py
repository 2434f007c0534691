"""When a rep can meet customers: weekly hours in the rep's time zone, less public holidays and absences,
with a buffer (or the travel time, when longer) between meetings and a daily maximum.

Loaded in bulk for many reps at once (`rep_days_load`), so the free-slot search makes a fixed number of
queries whatever the number of reps and days; the booking service judges one slot with the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.conf import settings
from django.db import connections
from django.db.models import FloatField, Func
from django.db.models.functions import Cast

from abonent.appointments.models import Absence, Meeting, RepProfile, WorkingHours
from abonent.appointments.travel import Point

DEFAULT_PROFILE = RepProfile()  # the defaults of a rep who never opened their calendar settings


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> dict[dt.date, str]:
    """The country's public holidays in a year, from the `holidays` package (none for an unknown country)."""
    try:
        return dict(holidays.country_holidays(country.upper(), years=year, language="en_US"))
    except NotImplementedError:
        return {}


def holiday_name(country: str, day: dt.date) -> str:
    return public_holidays(country, day.year).get(day, "")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def rep_zone(rep) -> ZoneInfo:
    """The time zone a rep's calendar is kept in."""
    profile = RepProfile.objects.filter(rep=rep).only("time_zone").first()
    return zone((profile or DEFAULT_PROFILE).time_zone)


class BookedMeeting(NamedTuple):
    """A meeting holding a rep's time; its times in epoch seconds, which the slot search compares fast."""

    id: int
    start_ts: float
    end_ts: float
    point: Point | None

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.start_ts, dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.end_ts, dt.UTC)


@dataclass
class RepDays:
    """One rep's calendar rules and bookings over a range of days."""

    rep_id: int
    tz: ZoneInfo
    country: str
    buffer: dt.timedelta
    max_per_day: int
    home: Point | None
    region_path: str | None
    region_structure_id: int | None
    hours: dict[int, list[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    absences: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    meetings: list[BookedMeeting] = field(default_factory=list)
    _by_day: dict[dt.date, list[BookedMeeting]] | None = field(default=None, repr=False)
    _intervals: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict, repr=False)

    def local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def working_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The rep's working time on a local day, less holidays and absences, as aware datetimes."""
        if day not in self._intervals:
            self._intervals[day] = self._working_intervals(day)
        return self._intervals[day]

    def _working_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if holiday_name(self.country, day):
            return []
        intervals = []
        for start, end in self.hours.get(day.weekday(), ()):
            # fold=0 and a wall-clock time that does not exist on a DST day are resolved by zoneinfo.
            intervals.append((dt.datetime.combine(day, start, self.tz), dt.datetime.combine(day, end, self.tz)))
        for away_start, away_end in self.absences:
            intervals = _subtract(intervals, away_start.astimezone(self.tz), away_end.astimezone(self.tz))
        return intervals

    def meetings_on(self, day: dt.date, *, exclude_id: int | None = None) -> list[BookedMeeting]:
        """The day's meetings in order of start (the list is grouped by local day once)."""
        if self._by_day is None:
            self._by_day = defaultdict(list)
            for meeting in self.meetings:
                self._by_day[dt.datetime.fromtimestamp(meeting.start_ts, self.tz).date()].append(meeting)
        meetings = self._by_day.get(day, [])
        return meetings if exclude_id is None else [m for m in meetings if m.id != exclude_id]

    def capacity(self, days: Iterable[dt.date]) -> int:
        return sum(self.max_per_day for day in days if self.working_intervals(day))


def _subtract(
    intervals: list[tuple[dt.datetime, dt.datetime]], cut_start: dt.datetime, cut_end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    result = []
    for start, end in intervals:
        if cut_end <= start or cut_start >= end:
            result.append((start, end))
            continue
        if start < cut_start:
            result.append((start, cut_start))
        if cut_end < end:
            result.append((cut_end, end))
    return result


def _point(latitude, longitude) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))


def rep_days_load(
    *, rep_ids: Sequence[int], start: dt.datetime, end: dt.datetime, exclude_meeting_id: int | None = None,
    margin: dt.timedelta = dt.timedelta(days=1),
) -> dict[int, RepDays]:
    """Everything needed to judge the reps' days between two moments: four queries in all.

    A day is judged whole: the range is widened by `margin` each side so every local day in it is complete
    (callers that pass whole days in every time zone pass no margin).
    """
    profiles = {p.rep_id: p for p in RepProfile.objects.filter(rep_id__in=rep_ids).select_related("region")}
    days: dict[int, RepDays] = {}
    for rep_id in rep_ids:
        profile = profiles.get(rep_id, DEFAULT_PROFILE)
        days[rep_id] = RepDays(
            rep_id=rep_id, tz=zone(profile.time_zone), country=profile.country,
            buffer=dt.timedelta(minutes=profile.buffer_minutes), max_per_day=profile.max_meetings_per_day,
            home=_point(profile.home_latitude, profile.home_longitude),
            region_path=profile.region.path if profile.region_id else None,
            region_structure_id=profile.region.structure_id if profile.region_id else None,
        )
    hours: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for rep_id, weekday, from_, until in (
        WorkingHours.objects.filter(rep_id__in=rep_ids).order_by("start").values_list("rep_id", "weekday", "start",
                                                                                      "end")
    ):
        hours[rep_id][weekday].append((from_, until))
    for rep_id, by_day in hours.items():
        days[rep_id].hours = dict(by_day)
    wide_start, wide_end = start - margin, end + margin
    for rep_id, away_start, away_end in Absence.objects.filter(
        rep_id__in=rep_ids, start__lt=wide_end, end__gt=wide_start
    ).values_list("rep_id", "start", "end"):
        days[rep_id].absences.append((away_start, away_end))
    # A meeting starts and ends on one day: the lower bound on `start` lets the (rep, start) index read a range.
    meetings = Meeting.objects.blocking().filter(rep_id__in=rep_ids, start__lt=wide_end, end__gt=wide_start,
                                                 start__gt=wide_start - dt.timedelta(days=1))
    if exclude_meeting_id is not None:
        meetings = meetings.exclude(pk=exclude_meeting_id)
    # Epoch seconds and floats straight from the database: converting thousands of datetimes and decimals in
    # Python (on SQLite, Django parses each datetime as text) cost more than the query itself.
    rows = meetings.order_by("rep_id", "start").values_list(
        "pk", "rep_id", Epoch("start"), Epoch("end"), Cast("latitude", FloatField()), Cast("longitude", FloatField()),
    )
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        for pk, rep_id, start_ts, end_ts, lat, lon in cursor.fetchall():
            days[rep_id].meetings.append(BookedMeeting(pk, round(start_ts), round(end_ts), _point(lat, lon)))
    return days


class Epoch(Func):
    """Seconds since 1970-01-01 UTC of a datetime column."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() avoids strftime('%s'), whose percent sign the query's placeholders would swallow.
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8", **extra)

