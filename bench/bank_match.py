"""Benchmark of issue 7: importing and matching a 10,000-line bank statement against 50,000 customers.

    .venv/bin/python bench/bank_match.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/x .venv/bin/python bench/bank_match.py

It builds its own database (SQLite: a file in the temporary directory; PostgreSQL: the database
`abonent_bench_bank` on the server of DATABASE_URL, dropped at the end), migrates it, bulk-creates N
customers (default 50,000), each with an active contract (its variable symbol), one open expected payment
and a bank account (IBAN), then writes a camt.053 statement of L lines (default 10,000):

  90 % quote the right variable symbol, paid from the customer's account;
   5 % quote a wrong variable symbol or none, paid from the customer's known account;
   5 % come from unknown accounts with no reference.

and times `statement_import` (parse, store, match, record and allocate the payments) on it. Every line
pays a different customer, so each line has one right answer. The last line printed is one JSON object:
"database", "seconds", "auto_match_rate_reference", "auto_match_rate_iban", "auto_match_rate_unknown",
"wrong_matches" (lines recorded for a customer other than the payer: must be 0) and details.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import drop_database, prepare_database  # noqa: E402

BENCH_DB = "abonent_bench_bank"
BATCH = 5000
FIRST = ["Jan", "Petr", "Pavel", "Martin", "Tomáš", "Jana", "Petra", "Eva", "Hana", "Lucie", "Jakub", "Tereza"]
LAST = ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec",
        "Marek", "Pospíšil", "Hájek", "Král", "Jelínek", "Růžička", "Beneš", "Fiala", "Sedláček", "Zeman"]
TARIFFS = [Decimal("361.79"), Decimal("603.79"), Decimal("966.79"), Decimal("1208.79")]


def load(n: int, *, rng: random.Random, now: dt.datetime) -> list[dict[str, Any]]:
    """Bulk-create n customers with a contract, an open item and an account; return them as plain dicts."""
    from django.db import transaction

    from abonent.banking.parsing.base import domestic_iban
    from abonent.billing.models import ExpectedPayment
    from abonent.contracts.models import Contract, ContractStatus
    from abonent.customers.models import BankAccount, Party

    customers = []
    for start in range(0, n, BATCH):
        with transaction.atomic():
            size = min(BATCH, n - start)
            parties = Party.objects.bulk_create([
                Party(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", country="CZ", stage="customer", created_at=now)
                for _ in range(size)])
            contracts = Contract.objects.bulk_create([
                Contract(number=f"C2026-{start + i + 1:06d}", party=party, currency="CZK",
                         start_date=dt.date(2026, 1, 1), status=ContractStatus.ACTIVE,
                         variable_symbol=f"2026{start + i + 1:06d}", created_at=now, activated_at=now)
                for i, party in enumerate(parties)])
            amounts = [rng.choice(TARIFFS) for _ in parties]
            ExpectedPayment.objects.bulk_create([
                ExpectedPayment(contract=contract, party=party, amount=amount, currency="CZK",
                                due_date=dt.date(2026, 1, 15), period_from=dt.date(2026, 1, 1),
                                period_to=dt.date(2026, 2, 1), reference=contract.variable_symbol,
                                created_at=now, changed_at=now)
                for party, contract, amount in zip(parties, contracts, amounts, strict=True)])
            ibans = [domestic_iban(str(1_000_000 + start + i), "0800") for i in range(size)]
            BankAccount.objects.bulk_create([BankAccount(party=party, iban=iban, is_primary=True)
                                             for party, iban in zip(parties, ibans, strict=True)])
            customers += [{"party": p.pk, "name": p.name, "vs": c.variable_symbol, "amount": a, "iban": i}
                          for p, c, a, i in zip(parties, contracts, amounts, ibans, strict=True)]
    return customers


def statement(customers: list[dict[str, Any]], lines: int, *, rng: random.Random, now: dt.datetime):
    """The camt.053 bytes and, per line, (category, the paying customer's id or None)."""
    from abonent.banking.demo import Entry, camt053_document
    from abonent.banking.parsing.base import domestic_iban

    payers = rng.sample(customers, lines)
    entries, truth = [], []
    for index, customer in enumerate(payers):
        share = index / lines
        booked = dt.date(2026, 1, 15) + dt.timedelta(days=rng.randint(-2, 5))
        name = customer["name"].upper()
        if share < 0.90:
            entries.append(Entry(booked, customer["amount"], name, customer["iban"], customer["vs"],
                                 entry_id=f"B{index}"))
            truth.append(("reference", customer["party"]))
        elif share < 0.95:
            wrong = f"99{rng.randint(10_000_000, 99_999_999)}" if index % 2 else ""  # no contract has it
            entries.append(Entry(booked, customer["amount"], name, customer["iban"], wrong,
                                 message="platba za internet", entry_id=f"B{index}"))
            truth.append(("iban", customer["party"]))
        else:
            amount = Decimal(rng.randint(10_000, 99_999)) / 100
            entries.append(Entry(booked, amount, f"{rng.choice(FIRST)} {rng.choice(LAST)} X".upper(),
                                 domestic_iban(str(90_000_000 + index), "0300"), message="dar",
                                 entry_id=f"B{index}"))
            truth.append(("unknown", None))
    order = list(range(lines))
    rng.shuffle(order)
    data = camt053_document(iban="CZ6508000000192000145399", currency="CZK", number="BENCH-2026-01",
                            entries=[entries[i] for i in order], created=now)
    return data, [truth[i] for i in order]


def score(truth: list[tuple[str, int | None]], statement_ids: list[int]) -> dict[str, Any]:
    from abonent.banking.models import BankStatementLine, LinePayment, MatchState

    lines = list(BankStatementLine.objects.filter(statement_id__in=statement_ids).order_by("statement_id",
                                                                                           "position"))
    paid_by = dict(LinePayment.objects.filter(line__statement_id__in=statement_ids)
                   .values_list("line_id", "payment__party_id"))
    totals: dict[str, int] = {}
    auto: dict[str, int] = {}
    suggested: dict[str, int] = {}
    wrong = 0
    for line, (category, party) in zip(lines, truth, strict=True):
        totals[category] = totals.get(category, 0) + 1
        if line.state == MatchState.MATCHED:
            if paid_by.get(line.pk) == party:
                auto[category] = auto.get(category, 0) + 1
            else:
                wrong += 1
        elif line.state == MatchState.SUGGESTED:
            suggested[category] = suggested.get(category, 0) + 1
    rate = {c: round(auto.get(c, 0) / totals[c], 4) for c in totals}
    return {"auto_match_rate_reference": rate.get("reference"), "auto_match_rate_iban": rate.get("iban"),
            "auto_match_rate_unknown": rate.get("unknown"), "wrong_matches": wrong,
            "lines_per_category": totals, "suggested_per_category": suggested}


def machine(vendor: str) -> dict[str, Any]:
    from django.db import connection

    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
        info["database_version"] = cursor.fetchone()[0]
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="a cProfile of the import on stderr")
    args = parser.parse_args()
    if args.lines > args.customers:
        raise SystemExit("each line pays a different customer: --lines must not exceed --customers")

    started = time.perf_counter()
    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench-bank")
    os.environ.update({"DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir), "DEBUG": "0",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "abonent.settings"})
    os.environ.pop("ABONENT_TESTING", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from abonent.banking.services import statement_import
    from abonent.core.models import Channel
    from abonent.core.runtime import heap_freeze

    now = dt.datetime(2026, 1, 25, 8, 0, tzinfo=dt.UTC)
    rng = random.Random(args.seed)  # noqa: S311 - generated data
    try:
        call_command("migrate", verbosity=0, interactive=False)
        print(f"loading {args.customers:,} customers into {vendor}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        customers = load(args.customers, rng=rng, now=now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        load_seconds = round(time.perf_counter() - t0, 1)
        data, truth = statement(customers, args.lines, rng=rng, now=now)
        # As each web worker does once it has loaded (abonent/wsgi.py): what is alive now (here also the
        # 50,000 generated customers) is frozen out of the garbage collector's full passes.
        heap_freeze()
        print(f"importing and matching {args.lines:,} lines", file=sys.stderr, flush=True)
        load_before = os.getloadavg()
        t0, c0 = time.perf_counter(), time.process_time()
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        result = statement_import(data=data, filename="bench.xml", by=None, channel=Channel.IMPORT, now=now)
        if profile:
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(50)
        seconds = round(time.perf_counter() - t0, 2)
        # CPU time of this process alone (the database server's is not in it): what a busy machine distorts least.
        cpu_seconds = round(time.process_time() - c0, 2)
        load_after = os.getloadavg()
        summary = {
            "database": vendor, "seconds": seconds, "cpu_seconds": cpu_seconds, **score(truth, result.statement_ids),
            "customers": args.customers, "lines": result.lines, "matched": result.matched,
            "suggested": result.suggested, "unmatched": result.unmatched, "file_bytes": len(data),
            "load_seconds": load_seconds, "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after], **machine(vendor),
            "total_seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        drop_database(vendor, os.environ["DATABASE_URL"], data_dir, name=BENCH_DB)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
