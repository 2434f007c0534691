"""Benchmark of issue 6: the free-slot search on a busy calendar, and concurrent bookings of one rep's time.

    .venv/bin/python bench/free_slots.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres .venv/bin/python bench/free_slots.py

It builds its own database (SQLite: a file in the temporary directory; PostgreSQL: the database
`abonent_bench_free_slots` on the server of DATABASE_URL, dropped at the end), migrates it and loads 200 reps
(Mon–Fri 8:00–17:00, Europe/Prague, 15 minutes of buffer, at most 6 meetings a day), 2,000 customers with
located addresses around eight Czech cities and 20,000 meetings over 30 days (45 minutes at whole hours, each
rep with customers around one city). Then:

- `free_slots_p95_ms`: `free_slots()` for one customer (a different one each time) over 5 working days across
  all 200 reps, every slot ranked, as the booking page asks it; 3 warm-ups, then 30 timed calls
  (`free_slots_cpu_p95_ms`: the process's CPU time for the same calls, which other load on the machine does not
  inflate as much; the load average before and after is printed too).
- `book_page_p95_ms`: the "Book a meeting" page for a customer through Django's test client, signed in as an
  agent (the same search, plus the page): the whole stack without a network hop.
- `double_bookings`: 50 threads, each with its own database connection, book the same rep at 10:00, 10:05,
  … 14:05 (an hour each) at the same moment; afterwards the number of pairs of that rep's meetings that
  overlap. `booked` and `refused` say how the 50 attempts ended.

The last line printed is one JSON object; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import drop_database, prepare_database  # noqa: E402

BENCH_DB = "abonent_bench_free_slots"
CITIES = [(50.0755, 14.4378), (49.1951, 16.6068), (49.8209, 18.2625), (49.7384, 13.3736), (50.7663, 15.0543),
          (49.5938, 17.2509), (48.9747, 14.4743), (50.2092, 15.8328)]


def working_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def load(*, reps: int, customers: int, meetings: int, days: int, first_day: dt.date, seed: int) -> dict[str, Any]:
    """Reps, customers with located addresses and non-overlapping meetings, written in bulk."""
    from zoneinfo import ZoneInfo

    from django.db import transaction
    from django.utils import timezone

    from abonent.accounts.models import User
    from abonent.appointments.models import Meeting, RepProfile, WorkingHours
    from abonent.core.roles import Role
    from abonent.customers.models import Address, Party

    rng = random.Random(seed)
    tz = ZoneInfo("Europe/Prague")
    now = timezone.now()
    with transaction.atomic():
        agent = User.objects.create_user("bench-agent", password="bench-password-1", role=Role.AGENT)
        users = User.objects.bulk_create(
            User(username=f"rep{i:03d}", first_name=f"Rep{i:03d}", last_name="Bench", role=Role.SALES_REP,
                 email=f"rep{i:03d}@bench.test", password="!") for i in range(reps))
        home = {u.pk: i % len(CITIES) for i, u in enumerate(users)}  # each rep works around one city
        RepProfile.objects.bulk_create(RepProfile(rep=u, time_zone="Europe/Prague", country="CZ", buffer_minutes=15,
                                                  max_meetings_per_day=6) for u in users)
        WorkingHours.objects.bulk_create(WorkingHours(rep=u, weekday=d, start=dt.time(8), end=dt.time(17))
                                         for u in users for d in range(5))
        parties = Party.objects.bulk_create(
            Party(name=f"Customer {i}", first_name="Customer", last_name=str(i), country="CZ", created_at=now,
                  email=f"c{i}@bench.test") for i in range(customers))
        points, by_city = {}, {}
        for n, party in enumerate(parties):
            lat, lon = CITIES[n % len(CITIES)]
            points[party.pk] = (round(lat + rng.uniform(-0.1, 0.1), 6), round(lon + rng.uniform(-0.15, 0.15), 6))
            by_city.setdefault(n % len(CITIES), []).append(party.pk)
        Address.objects.bulk_create(Address(party=p, street=f"Street {p.pk}", city="City", country="CZ",
                                            latitude=points[p.pk][0], longitude=points[p.pk][1], is_primary=True)
                                    for p in parties)
    calendar_days = [first_day + dt.timedelta(days=n) for n in range(days)]
    rep_days = [(u, d) for u in users for d in calendar_days if d.weekday() < 5]
    rng.shuffle(rep_days)
    per_day = {}
    remaining = meetings
    # Spread the meetings over the rep-days (at most 6 each), at whole hours, 45 minutes long: never overlapping.
    while remaining:
        for user, day in rep_days:
            if remaining == 0:
                break
            if per_day.get((user.pk, day), 0) < 6 and rng.random() < 0.9:
                per_day[(user.pk, day)] = per_day.get((user.pk, day), 0) + 1
                remaining -= 1
    rows = []
    party_ids = [p.pk for p in parties]
    for (rep_id, day), count in per_day.items():
        for hour in sorted(rng.sample(range(8, 17), count)):
            start = dt.datetime.combine(day, dt.time(hour), tz)
            party_id = rng.choice(by_city[home[rep_id]])  # the rep's customers live around the rep's city
            lat, lon = points[party_id]
            rows.append(Meeting(rep_id=rep_id, party_id=party_id, place=f"Street {party_id}", latitude=lat,
                                longitude=lon, start=start, end=start + dt.timedelta(minutes=45),
                                purpose="Bench visit", created_at=now))
    Meeting.objects.bulk_create(rows, batch_size=2000)
    return {"agent": agent, "reps": users, "party_ids": party_ids, "home": home}


def analyze(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(samples), 1), "p95": round(percentile(samples, 95), 1)}


def measure_search(party_ids: list[int], days: list[dt.date], *, requests: int, seed: int) -> tuple[dict, int]:
    from django.utils import timezone

    from abonent.appointments.slots import free_slots
    from abonent.customers.models import Party

    rng = random.Random(seed)
    now = timezone.now()
    samples, cpu, found = [], [], 0
    for i in range(requests + 3):
        party = Party.objects.get(pk=rng.choice(party_ids))
        start, start_cpu = time.perf_counter(), time.process_time()
        slots = free_slots(party=party, date_from=days[0], date_to=days[-1], duration=dt.timedelta(hours=1), now=now)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= 3:
            samples.append(elapsed)
            cpu.append((time.process_time() - start_cpu) * 1000)
            found = len(slots)
    return {**summary(samples), "cpu_p95": round(percentile(cpu, 95), 1)}, found


def profile_search(party_id: int, days: list[dt.date]) -> None:
    import cProfile
    import pstats

    from django.utils import timezone

    from abonent.appointments.slots import free_slots
    from abonent.customers.models import Party

    party = Party.objects.get(pk=party_id)
    search = {"party": party, "date_from": days[0], "date_to": days[-1], "duration": dt.timedelta(hours=1)}
    free_slots(**search, now=timezone.now())  # warm: imports, caches
    with cProfile.Profile() as profile:
        for _ in range(5):
            free_slots(**search, now=timezone.now())
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


def measure_page(agent, party_ids: list[int], days: list[dt.date], *, requests: int, seed: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(agent)
    rng = random.Random(seed + 1)
    samples = []
    for i in range(requests + 3):
        url = (f"/calendar/book/?party={rng.choice(party_ids)}&date_from={days[0]}&date_to={days[-1]}"
               f"&duration=60")
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if i >= 3:
            samples.append(elapsed)
    return summary(samples)


def concurrent_bookings(rep, party_id: int, day: dt.date, *, attempts: int) -> dict[str, int]:
    """`attempts` threads book overlapping hours of one rep at the same moment; count what overlaps after."""
    from zoneinfo import ZoneInfo

    from django.db import connections
    from django.utils import timezone

    from abonent.appointments.models import Meeting
    from abonent.appointments.services import Place, SlotTakenError, meeting_book
    from abonent.customers.models import Party

    tz = ZoneInfo("Europe/Prague")
    party = Party.objects.get(pk=party_id)
    Meeting.objects.filter(rep=rep, start__date=day).delete()
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        start = dt.datetime.combine(day, dt.time(10), tz) + dt.timedelta(minutes=5 * i)
        try:
            barrier.wait(timeout=30)
            meeting_book(rep=rep, party=party, start=start, end=start + dt.timedelta(hours=1),
                         place=Place("Bench street 1", 50.08, 14.43), purpose=f"Race {i}", by=None,
                         now=timezone.now())
            result = "booked"
        except SlotTakenError:
            result = "refused"
        except Exception as error:  # noqa: BLE001 - reported in the JSON
            result = f"error: {error.__class__.__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    booked = list(Meeting.objects.blocking().filter(rep=rep, start__date=day).order_by("start"))
    overlaps = sum(1 for a in booked for b in booked if a.pk < b.pk and a.start < b.end and b.start < a.end)
    errors = [o for o in outcomes if o.startswith("error")]
    return {"double_bookings": overlaps, "booked": outcomes.count("booked"), "refused": outcomes.count("refused"),
            "errors": len(errors), "first_error": errors[0] if errors else ""}


def machine(vendor: str) -> dict[str, Any]:
    from django.db import connection

    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
        info["database_version"] = cursor.fetchone()[0]
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--profile", action="store_true", help="print a profile of five warm searches to stderr")
    args = parser.parse_args()

    started = time.perf_counter()
    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench-slots")
    os.environ.update({"DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir), "DEBUG": "0",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "abonent.settings",
                       "ABONENT_GEOCODER_URL": "", "ABONENT_TILE_URL": ""})
    os.environ.pop("ABONENT_TESTING", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from abonent.appointments.models import Meeting
    from abonent.core.runtime import heap_freeze

    try:
        call_command("migrate", verbosity=0, interactive=False)
        # The calendar starts on the Monday after next, so every loaded meeting is still ahead.
        today = timezone.localdate()
        first_day = today + dt.timedelta(days=7 - today.weekday() + 7)
        t0 = time.perf_counter()
        print(f"loading {args.reps} reps and {args.meetings:,} meetings into {vendor}", file=sys.stderr, flush=True)
        data = load(reps=args.reps, customers=args.customers, meetings=args.meetings, days=args.days,
                    first_day=first_day, seed=args.seed)
        load_seconds = round(time.perf_counter() - t0, 1)
        load_before = os.getloadavg()
        analyze(vendor)
        connections.close_all()
        search_days = working_days(first_day + dt.timedelta(days=7), 5)
        if args.profile:
            profile_search(data["party_ids"][0], working_days(first_day + dt.timedelta(days=7), 5))
        # As each web worker does once it has loaded (abonent/wsgi.py): what is alive now is frozen out of the
        # garbage collector's full passes.
        heap_freeze()
        print("measuring the search", file=sys.stderr, flush=True)
        search, slots_found = measure_search(data["party_ids"], search_days, requests=args.requests, seed=args.seed)
        page = measure_page(data["agent"], data["party_ids"], search_days, requests=args.requests, seed=args.seed)
        print(f"{args.concurrent} concurrent bookings", file=sys.stderr, flush=True)
        race_day = working_days(first_day + dt.timedelta(days=args.days), 1)[0]
        race = concurrent_bookings(data["reps"][0], data["party_ids"][0], race_day, attempts=args.concurrent)
        result = {
            "database": vendor, "reps": args.reps, "meetings": Meeting.objects.count(), "days": args.days,
            "free_slots_p50_ms": search["p50"], "free_slots_p95_ms": search["p95"],
            "free_slots_cpu_p95_ms": search["cpu_p95"],
            "slots_found": slots_found, "book_page_p50_ms": page["p50"], "book_page_p95_ms": page["p95"],
            "concurrent_bookings": args.concurrent, **race, "requests": args.requests,
            "load_seconds": load_seconds, "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()], **machine(vendor),
            "total_seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        drop_database(vendor, os.environ["DATABASE_URL"], data_dir, name=BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
