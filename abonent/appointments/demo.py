"""Demo calendar: working hours for the demo reps and a week of meetings around today."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from abonent.accounts.models import User
from abonent.appointments.availability import holiday_name, zone
from abonent.appointments.models import Meeting, MeetingStatus, RepProfile, WorkingHours
from abonent.customers.models import Address, Node, Party

# Where the demo customers of each country live: around the capital (their street names are made up).
CAPITALS = {"CZ": (50.0755, 14.4378), "PL": (52.2297, 21.0122), "RO": (44.4268, 26.1025), "RU": (55.7558, 37.6173)}
DEMO_REPS = {
    # username: (time zone, country, region node name, base, hours)
    "rep": ("Europe/Prague", "CZ", "Czechia", CAPITALS["CZ"], (dt.time(8, 30), dt.time(17))),
    "rep2": ("Europe/Prague", "CZ", None, (50.10, 14.50), (dt.time(9), dt.time(18))),
}
PURPOSES = ["Fibre offer", "Contract renewal", "TV installation check", "Business line upgrade",
            "Mobile tariff review", "Complaint follow-up"]
SOURCE = "demo"


def _coordinates_for_addresses() -> int:
    """Give the demo addresses coordinates near their country's capital, so no geocoder is needed."""
    missing = list(Address.objects.filter(latitude__isnull=True, party__external_ref__startswith="demo-")
                   .only("id", "country")[:20000])
    for address in missing:
        rng = random.Random(address.pk)
        lat, lon = CAPITALS.get(address.country, CAPITALS["CZ"])
        address.latitude = Decimal(str(round(lat + rng.uniform(-0.12, 0.12), 6)))
        address.longitude = Decimal(str(round(lon + rng.uniform(-0.18, 0.18), 6)))
    Address.objects.bulk_update(missing, ["latitude", "longitude"], batch_size=1000)
    return len(missing)


def demo_appointments_load(*, now: dt.datetime) -> str:
    """Safe to run again: reps that already have working hours, and a calendar with demo meetings, are kept."""
    located = _coordinates_for_addresses()
    reps = {u.username: u for u in User.objects.filter(username__in=DEMO_REPS)}
    made = 0
    for username, (tz_name, country, region_name, base, (start, end)) in DEMO_REPS.items():
        rep = reps.get(username)
        if rep is None:
            continue
        with transaction.atomic():
            region = Node.objects.filter(structure__code="sales-organisation", name=region_name).first() \
                if region_name else None
            RepProfile.objects.get_or_create(rep=rep, defaults={
                "time_zone": tz_name, "country": country, "region": region, "buffer_minutes": 15,
                "max_meetings_per_day": 5, "home_latitude": Decimal(str(base[0])),
                "home_longitude": Decimal(str(base[1]))})
            if not WorkingHours.objects.filter(rep=rep).exists():
                WorkingHours.objects.bulk_create(WorkingHours(rep=rep, weekday=d, start=start, end=end)
                                                 for d in range(5))
            if not Meeting.objects.filter(rep=rep, source=SOURCE).exists():
                made += _week_of_meetings(rep, country=country, tz_name=tz_name, now=now)
    return f"{made} demo meetings, {located} addresses located"


def _week_of_meetings(rep: User, *, country: str, tz_name: str, now: dt.datetime) -> int:
    tz = zone(tz_name)
    rng = random.Random(rep.username)
    customers = list(Party.objects.active().filter(country=country, external_ref__startswith="demo-",
                                                   addresses__is_primary=True)
                     .prefetch_related("addresses").order_by("external_ref")[:200])
    if not customers:
        return 0
    today = now.astimezone(tz).date()
    meetings = []
    for offset in range(-4, 8):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5 or holiday_name(country, day):
            continue
        for hour in rng.sample([9, 11, 13, 15], k=rng.choice([2, 3, 3, 4])):
            start = dt.datetime.combine(day, dt.time(hour, rng.choice([0, 30])), tz)
            end = start + dt.timedelta(minutes=rng.choice([45, 60, 60, 90]))
            party = rng.choice(customers)
            address = next(a for a in party.addresses.all() if a.is_primary)
            if end <= now:
                status = MeetingStatus.NO_SHOW if rng.random() < 0.15 else MeetingStatus.DONE
            else:
                status = MeetingStatus.CONFIRMED if rng.random() < 0.5 else MeetingStatus.PLANNED
            meetings.append(Meeting(
                rep=rep, party=party, address=address, place=str(address), latitude=address.latitude,
                longitude=address.longitude, start=start, end=end, purpose=rng.choice(PURPOSES), status=status,
                outcome_note="Interested, sends the signed contract next week." if status == MeetingStatus.DONE
                else "", created_at=start - dt.timedelta(days=3), source=SOURCE,
            ))
    Meeting.objects.bulk_create(sorted(meetings, key=lambda m: m.start))
    return len(meetings)
