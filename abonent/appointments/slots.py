"""The free-slot search agents use on the phone: bookable times across reps, the most travel-friendly first."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from dataclasses import dataclass

from django.db.models import QuerySet

from abonent.accounts.models import Team, User
from abonent.appointments.availability import RepDays, rep_days_load
from abonent.appointments.services import Place, party_place
from abonent.appointments.travel import Point, TravelEstimator, travel_estimator
from abonent.core.roles import Role
from abonent.customers.models import Node, NodeMembership, Party

DEFAULT_STEP = dt.timedelta(minutes=30)
NO_SCORE = float("inf")


@dataclass(frozen=True)
class RepLoad:
    booked: int  # meetings in the searched days
    capacity: int  # the most the rep takes in those days (daily maximum × working days)

    @property
    def share(self) -> float:
        return self.booked / self.capacity if self.capacity else 1.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class Slot:
    rep_id: int
    rep_name: str
    start: dt.datetime
    end: dt.datetime
    # Minutes of travel from the previous meeting (or the rep's base) and to the next one; None: not known.
    travel_before: int | None
    travel_after: int | None
    # Kilometres the slot adds to the rep's day (0 when it sits on the way); None when it cannot be told.
    detour_km: float | None
    load: RepLoad

    @property
    def sort_key(self) -> tuple:
        return (NO_SCORE if self.detour_km is None else round(self.detour_km), self.load.share, self.start,
                self.rep_id)


def _whole_days(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of date_from to the end of date_to in every time zone (UTC-12 to UTC+14)."""
    return (dt.datetime.combine(date_from, dt.time.min, dt.UTC) - dt.timedelta(hours=14),
            dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, dt.UTC) + dt.timedelta(hours=12))


def calendar_reps() -> QuerySet[User]:
    """The people whose calendars agents book: active sales reps."""
    return User.objects.filter(role=Role.SALES_REP, is_active=True).order_by("first_name", "last_name", "username")


def _regions_meet(a: str, b: str) -> bool:
    """Two nodes of one tree meet when one lies inside the other (materialized paths)."""
    return a.startswith(b) or b.startswith(a)


def _party_paths(party: Party, on: dt.date) -> dict[int, str]:
    """The node the customer sits in, per structure, on a day."""
    rows = NodeMembership.objects.filter(party=party, active_from__lte=on).exclude(active_to__lte=on)
    return dict(rows.values_list("structure_id", "node__path"))


def free_slots(
    *, party: Party | None = None, place: Place | None = None, date_from: dt.date, date_to: dt.date,
    team: Team | None = None, region: Node | None = None, rep: User | None = None,
    duration: dt.timedelta = dt.timedelta(hours=1), now: dt.datetime, step: dt.timedelta = DEFAULT_STEP,
    limit: int | None = None,
) -> list[Slot]:
    """Bookable slots from date_from to date_to (both included, in each rep's time zone), best first.

    For a customer (their primary address is the place) or any place. Reps are filtered by team, by region
    (a customer hierarchy node: reps whose region lies inside it or contains it) and by the customer's own
    region; a slot must leave the rep the buffer or the travel time, whichever is longer, from the previous
    meeting and to the next one. Slots that add the fewest kilometres to the rep's day come first, then
    those of the least loaded reps, then the earliest.
    """
    if place is None and party is not None:
        place = party_place(party=party, now=now)
    reps = calendar_reps().filter(working_hours__isnull=False).distinct()
    if rep is not None:
        reps = reps.filter(pk=rep.pk)
    if team is not None:
        reps = reps.filter(teams=team)
    rep_list = list(reps.only("id", "first_name", "last_name", "username"))
    start_bound, end_bound = _whole_days(date_from, date_to)
    all_days = rep_days_load(rep_ids=[r.pk for r in rep_list], start=start_bound, end=end_bound,
                             margin=dt.timedelta(0))
    party_paths = _party_paths(party, date_from) if party is not None else {}
    point = place.point if place is not None else None
    travel = travel_estimator()
    days = [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    found: list[Slot] = []
    for person in rep_list:
        rep_days = all_days[person.pk]
        if not _in_region(rep_days, region, party_paths):
            continue
        load = RepLoad(booked=sum(len(rep_days.meetings_on(d)) for d in days), capacity=rep_days.capacity(days))
        name = person.get_full_name() or person.get_username()
        for day in days:
            found.extend(_day_slots(rep_days, day, person.pk, name, load, point, duration, step, now, travel))
    if limit is not None:
        return heapq.nsmallest(limit, found, key=lambda s: s.sort_key)
    found.sort(key=lambda s: s.sort_key)
    return found


def _in_region(rep_days: RepDays, region: Node | None, party_paths: dict[int, str]) -> bool:
    """A region the agent chose overrides the customer's own."""
    if region is not None:
        return rep_days.region_path is not None and _regions_meet(rep_days.region_path, region.path)
    if rep_days.region_path is None or rep_days.region_structure_id not in party_paths:
        return True  # a rep without a region serves everyone; a customer outside that tree, any rep
    return _regions_meet(rep_days.region_path, party_paths[rep_days.region_structure_id])


def _day_slots(
    rep_days: RepDays, day: dt.date, rep_id: int, name: str, load: RepLoad, point: Point | None,
    duration: dt.timedelta, step: dt.timedelta, now: dt.datetime, travel: TravelEstimator,
) -> list[Slot]:
    """The day's free slots, gap by gap between the booked meetings.

    Between two neighbouring meetings every candidate has the same travel before and after and the same detour,
    so they are worked out once per gap; the candidates themselves are counted in epoch seconds (comparing
    aware datetimes of different time zones costs a time-zone lookup each time).
    """
    booked = rep_days.meetings_on(day)
    if len(booked) >= rep_days.max_per_day:
        return []
    intervals = rep_days.working_intervals(day)
    if not intervals:
        return []
    length, stride = duration.total_seconds(), step.total_seconds()
    buffer, now_ts, tz = rep_days.buffer.total_seconds(), now.timestamp(), rep_days.tz
    windows = [(_first_step(i_start, step).timestamp(), i_end.timestamp()) for i_start, i_end in intervals]
    # Kilometres and minutes between a booked place and this one, worked out once and only for the meetings
    # next to a gap wide enough to matter (most gaps in a busy day are not).
    legs: dict[int, tuple[float | None, float | None]] = {}

    def leg(meeting) -> tuple[float | None, float | None]:
        if meeting.id not in legs:
            legs[meeting.id] = _leg(travel, meeting.point, point)
        return legs[meeting.id]

    slots = []
    for previous, following in zip([None, *booked], [*booked, None], strict=True):
        if previous and following and following.start_ts - previous.end_ts < length + 2 * buffer:
            continue
        km_before, before = leg(previous) if previous else (None, None)
        km_after, after = leg(following) if following else (None, None)
        earliest = previous.end_ts + max(buffer, (before or 0) * 60) if previous else -math.inf
        latest_end = following.start_ts - max(buffer, (after or 0) * 60) if following else math.inf
        if latest_end - max(earliest, now_ts) < length:
            continue
        if previous is None and rep_days.home is not None and point is not None:
            km_before, before = _leg(travel, rep_days.home, point)
        detour = _detour(km_before, km_after, previous.point if previous else rep_days.home,
                         following.point if following else None, travel)
        shown_before = None if before is None else round(before)
        shown_after = None if after is None else round(after)
        lower = max(earliest, now_ts)
        for first, window_end in windows:
            moment = first if first >= lower else first + math.ceil((lower - first) / stride) * stride
            last_end = min(window_end, latest_end)
            while moment + length <= last_end:
                slots.append(Slot(rep_id, name, dt.datetime.fromtimestamp(moment, tz),
                                  dt.datetime.fromtimestamp(moment + length, tz), shown_before, shown_after, detour,
                                  load))
                moment += stride
    return slots


def _first_step(start: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """The first candidate at or after `start` on the step's grid of the local hour (9:00, 9:30, …)."""
    minutes = int(step.total_seconds() // 60) or 30
    local_minute = start.minute + start.hour * 60
    offset = (-local_minute) % minutes
    if offset == 0 and (start.second or start.microsecond):
        offset = minutes
    return start + dt.timedelta(minutes=offset) - dt.timedelta(seconds=start.second, microseconds=start.microsecond)


def _leg(travel: TravelEstimator, a: Point | None, b: Point | None) -> tuple[float | None, float | None]:
    """(kilometres, minutes) from a to b; (None, None) when either place is not located."""
    if a is None or b is None:
        return None, None
    leg = getattr(travel, "leg", None)  # an adapter may answer both at once
    return leg(a, b) if leg is not None else (travel.km(a, b), travel.minutes(a, b))


def _detour(
    to_here: float | None, from_here: float | None, origin: Point | None, destination: Point | None,
    travel: TravelEstimator,
) -> float | None:
    """The kilometres the slot adds to the day: from the previous place (or the base) to here to the next place,
    less the way from the previous to the next that the rep drives anyway."""
    if to_here is None and from_here is None:
        return None
    if to_here is not None and from_here is not None and origin is not None and destination is not None:
        return max(0.0, to_here + from_here - travel.km(origin, destination))
    return to_here if to_here is not None else from_here


def rep_loads(*, reps: list[User], date_from: dt.date, date_to: dt.date) -> dict[int, RepLoad]:
    """Each rep's booked meetings against the most they take, over the days (both included)."""
    start_bound, end_bound = _whole_days(date_from, date_to)
    all_days = rep_days_load(rep_ids=[r.pk for r in reps], start=start_bound, end=end_bound,
                             margin=dt.timedelta(0))
    days = [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    return {
        rep_id: RepLoad(booked=sum(len(rd.meetings_on(d)) for d in days), capacity=rd.capacity(days))
        for rep_id, rd in all_days.items()
    }
