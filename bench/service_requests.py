"""Benchmark of issue 5: the service requests list on a big table, and gapless numbers under concurrency.

    .venv/bin/python bench/service_requests.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/x .venv/bin/python bench/service_requests.py

It builds its own database (SQLite: a file in the temporary directory; PostgreSQL: the database
`abonent_bench_requests` on the server of DATABASE_URL, dropped at the end), migrates it, loads C customers
(default 20,000, with bench/customer_list.py's generator) and N service requests (default 1,000,000) by the
database's bulk path (COPY / executemany, indexes built afterwards: bench/customer_list.py's Loader), then:

- times the main list filtered by status + priority + commercial zone (`list_p95_ms`), and the same list
  grouped by status (`group_by_status_p95_ms`), through Django's test client signed in as a manager (the whole
  stack: middleware, session, view, queries, template), one open status, priority and zone per request;
- starts 20 threads that each take requests through `request_create` (the number comes from the document
  series inside the transaction) at the same moment, and checks the numbers are unique and without gaps
  (`numbers_gapless`).

The last line printed is one JSON object with "database" and these keys; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
from bench.customer_list import Loader, analyze, create_staff, machine, timed  # noqa: E402
from bench.customer_list import load as load_customers  # noqa: E402

BENCH_DB = "abonent_bench_requests"
CHUNK = 100_000
ZONES = 40
TYPES = 8
TEAMS = 10
THREADS = 20
PER_THREAD = 10
# (status, weight): most requests of a few years are done.
STATUSES = [("finalised", 62), ("cancelled", 8), ("taken", 10), ("allocated", 10), ("confirmed", 10)]


def reference_data(reps: list[Any]) -> dict[str, list[int]]:
    """Zones, teams and request types (few rows, through the ORM)."""
    from abonent.accounts.models import Team
    from abonent.callcenter.models import CommercialZone, RequestType

    zones = CommercialZone.objects.bulk_create(CommercialZone(name=f"Zone {n:02d}") for n in range(ZONES))
    teams = Team.objects.bulk_create(Team(name=f"Field team {n}", leader=reps[n % len(reps)]) for n in range(TEAMS))
    types = RequestType.objects.bulk_create(
        RequestType(name=f"Request type {n}", team=teams[n % TEAMS]) for n in range(TYPES))
    return {"zones": [z.pk for z in zones], "teams": [t.pk for t in teams], "types": [t.pk for t in types]}


def generate(n: int, *, parties: int, ref: dict[str, list[int]], staff: list[int], seed: int):
    """Service requests in chunks, spread over the last four years; the same for the same seed."""
    rng = random.Random(seed)
    statuses, weights = zip(*STATUSES, strict=True)
    end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    span = 4 * 365 * 24 * 3600
    chunk: list[dict] = []
    for i in range(1, n + 1):
        created = end - dt.timedelta(seconds=rng.randrange(span))
        status = rng.choices(statuses, weights)[0]
        planned = status != "taken" or rng.random() < 0.3
        start = created + dt.timedelta(hours=rng.randrange(4, 96)) if planned else None
        finish = start + dt.timedelta(hours=rng.choice((1, 2, 4, 8))) if start else None
        type_index = rng.randrange(TYPES)
        chunk.append({
            "id": i, "number": f"IMP-{i:08d}", "document_date": created.date(),
            "party_id": rng.randrange(1, parties + 1), "request_type_id": ref["types"][type_index],
            "priority": rng.choices((1, 2, 3), (3, 5, 2))[0], "status": status,
            "confirmed": status in ("confirmed", "finalised"), "finalised": status == "finalised",
            "valid": status != "cancelled", "zone_id": rng.choice(ref["zones"]) if rng.random() < 0.95 else None,
            "team_id": ref["teams"][type_index % TEAMS], "taken_by_id": rng.choice(staff) if planned else None,
            "verifier_id": rng.choice(staff) if planned else None,
            "planned_start": start, "planned_finish": finish,
            "planned_start_on": start.date() if start else None, "planned_finish_on": finish.date() if finish else None,
            "service_object": rng.choice(("Router", "Fibre 500", "TV box", "Mobile 10 GB", "")),
            "address": f"Street {rng.randrange(1, 400)}", "locality": f"Town {rng.randrange(1, 300)}",
            "country": "CZ", "channel": "ui", "created_at": created, "touched_at": created,
            "finalised_at": created + dt.timedelta(days=3) if status == "finalised" else None,
            "cancelled_at": created + dt.timedelta(days=1) if status == "cancelled" else None,
        })
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load_requests(vendor: str, url: str, n: int, **kwargs: Any) -> None:
    from abonent.callcenter.models import ServiceRequest

    loader = Loader(vendor, url, [ServiceRequest])
    for rows in generate(n, **kwargs):
        loader.write(ServiceRequest, rows)
        print(f"  loaded {rows[-1]['id']:,} requests", file=sys.stderr, flush=True)
    print("  building indexes", file=sys.stderr, flush=True)
    loader.finish()


def measure_list(manager, *, requests: int, seed: int) -> dict[str, Any]:
    from django.test import Client

    from abonent.callcenter.models import CommercialZone

    client = Client()
    client.force_login(manager)
    rng = random.Random(seed)
    zones = list(CommercialZone.objects.values_list("pk", flat=True))
    # A supervisor's look at what is open: one open status, one priority, one zone, changing each time.
    filters = [f"status={rng.choice(('taken', 'allocated', 'confirmed'))}&priority={rng.choice((1, 2, 3))}"
               f"&zone={rng.choice(zones)}" for _ in range(requests + 10)]
    results: dict[str, Any] = {}
    for name, suffix in (("list", ""), ("group_by_status", "&group=status")):
        print(f"  {name}", file=sys.stderr, flush=True)
        figures = timed(client, lambda i, suffix=suffix: f"/callcenter/requests/?{filters[i]}{suffix}",
                        requests=requests, expect="<table")
        results[f"{name}_p50_ms"], results[f"{name}_p95_ms"] = figures["p50"], figures["p95"]
        results[f"{name}_db_p50_ms"] = database_ms(client, [f"/callcenter/requests/?{f}{suffix}" for f in filters[:9]])
    figures = timed(client, lambda i: "/callcenter/requests/?group=status", requests=requests, expect="<table")
    results["group_by_status_unfiltered_p50_ms"] = figures["p50"]
    results["group_by_status_unfiltered_p95_ms"] = figures["p95"]
    results["example_url"] = f"/callcenter/requests/?{filters[0]}&group=status"
    return results


def database_ms(client, urls: list[str]) -> float:
    """The median time the database took per page (the sum of its queries), to tell it from rendering."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spent = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        spent.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return round(statistics.median(spent), 1)


def concurrent_numbers(manager) -> dict[str, Any]:
    """20 threads take requests at the same moment; the numbers must be unique and without gaps."""
    from django.db import connection
    from django.utils import timezone

    from abonent.callcenter.models import RequestType
    from abonent.callcenter.request_services import request_create, request_series
    from abonent.customers.models import Party

    series = request_series()
    kind = RequestType.objects.order_by("pk").first()
    party_ids = list(Party.objects.order_by("pk").values_list("pk", flat=True)[:THREADS])
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[str] = []

    def work(worker: int) -> None:
        try:
            party = Party.objects.get(pk=party_ids[worker % len(party_ids)])
            barrier.wait()
            for _ in range(PER_THREAD):
                numbers.append(request_create(channel="ui", party=party, request_type=kind, by=manager,
                                              now=timezone.now()).number)
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors.append(f"{error.__class__.__name__}: {error}")
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    series.refresh_from_db()
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    gapless = not errors and len(set(numbers)) == len(numbers) == THREADS * PER_THREAD and \
        sequence == list(range(sequence[0], sequence[0] + len(sequence)))
    return {"numbers_gapless": gapless, "numbers_taken": len(numbers), "number_errors": errors[:3],
            "numbers_seconds": round(seconds, 2), "numbers_threads": THREADS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests-rows", type=int, default=1_000_000, help="service requests to load")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (after 3 warm-ups)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to look at plans)")
    args = parser.parse_args()

    started = time.perf_counter()
    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench-requests")
    os.environ.update({"DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir), "DEBUG": "0",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "abonent.settings"})
    os.environ.pop("ABONENT_TESTING", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from abonent.core.runtime import heap_freeze

    try:
        call_command("migrate", verbosity=0, interactive=False)
        manager, reps = create_staff()
        ref = reference_data(reps)
        connections.close_all()
        print(f"loading {args.customers:,} customers and {args.requests_rows:,} requests into {vendor}",
              file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        load_customers(vendor, url, args.customers, [r.pk for r in reps], seed=args.seed)
        load_requests(vendor, url, args.requests_rows, parties=args.customers, ref=ref,
                      staff=[r.pk for r in reps], seed=args.seed)
        load_seconds = round(time.perf_counter() - t0, 1)
        analyze(vendor, url)
        # As each web worker does once it has loaded (abonent/wsgi.py).
        heap_freeze()
        print("measuring", file=sys.stderr, flush=True)
        load_before = os.getloadavg()
        results = measure_list(manager, requests=args.requests, seed=args.seed)
        load_after = os.getloadavg()
        print("taking numbers in 20 threads", file=sys.stderr, flush=True)
        results.update(concurrent_numbers(manager))
        summary = {
            "rows": args.requests_rows, "customers": args.customers, **results, "requests": args.requests,
            "client": "django.test.Client, in process", "load_seconds": load_seconds,
            "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after],
            **machine(vendor), "total_seconds": round(time.perf_counter() - started, 1),
            "list_p95_ms": results["list_p95_ms"], "group_by_status_p95_ms": results["group_by_status_p95_ms"],
            "numbers_gapless": results["numbers_gapless"], "database": vendor,
        }
    finally:
        if not args.keep:
            drop_database(vendor, os.environ["DATABASE_URL"], data_dir, name=BENCH_DB)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
