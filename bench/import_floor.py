"""The database's own floor for issue 4's import: how long writing what a 100,000-row import writes takes when
nothing else is done, no reading, no checking, no Python building rows.

    .venv/bin/python bench/import_floor.py                      # SQLite, in a temporary directory
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_floor.py

It builds the benchmark's file (bench/import_100k.py, same seed), queues the job on a fresh migrated database
and keeps a copy of that database as it is then. It runs the job through the real pipeline (in this process,
timed as `import_seconds`), reads back every row the job wrote (customers, contacts, addresses, accounts,
stage moves, notes, tags, history entries and the staged rows with their outcome), and writes exactly those
rows into the copy, in one transaction, by the database's fastest path: COPY of the rows as the server sent
them out on PostgreSQL, executemany on SQLite. `floor_seconds` is that load with its COMMIT (where the
foreign keys are checked); no pipeline on this schema can write the same rows in less.

The last line printed is one JSON object: "database", "rows", "import_seconds", "floor_seconds",
"commit_seconds", "written_rows" and, per table, the rows written and the seconds its load took.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import drop_database, postgres_admin, prepare_database  # noqa: E402
from bench.import_100k import database_ready, generate, job_queued  # noqa: E402

BENCH_DB = "abonent_bench_floor"
COPY_DB = "abonent_bench_floor_copy"
# What an import writes, parents before children (the order the load keeps).
TABLES = ("customers_tag", "customers_party", "customers_contactpoint", "customers_address",
          "customers_bankaccount", "customers_stagechange", "customers_note", "customers_attributevalue",
          "customers_party_tags", "core_auditentry", "imports_importrow")


def _copy_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{COPY_DB}"))


def _sqlite(path: Path) -> sqlite3.Connection:
    """A connection set up as Abonent's (WAL, foreign keys on) with the import's page cache."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-131072"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _highest_ids(vendor: str, url: str, path: Path) -> dict[str, int]:
    query = " UNION ALL ".join(f"SELECT '{t}', COALESCE(MAX(id), 0) FROM {t}" for t in TABLES)  # noqa: S608
    if vendor == "sqlite":
        with sqlite3.connect(path) as connection:
            return dict(connection.execute(query).fetchall())
    import psycopg

    with psycopg.connect(url) as connection:
        return dict(connection.execute(query).fetchall())


def _dump(vendor: str, url: str, path: Path, after: dict[str, int]) -> dict[str, tuple[list[str], object]]:
    """{table: (columns, rows)}: what the job wrote, as the database gives it out (COPY text on PostgreSQL)."""
    dumped: dict[str, tuple[list[str], object]] = {}
    if vendor == "sqlite":
        connection = sqlite3.connect(path)
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", [after[table]])  # noqa: S608
            dumped[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        connection.close()
        return dumped
    import psycopg

    with psycopg.connect(url) as connection:
        for table in TABLES:
            columns = [r[0] for r in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table]).fetchall()]
            data = bytearray()
            with connection.cursor().copy(
                    f"COPY (SELECT * FROM {table} WHERE id > {after[table]} ORDER BY id) TO STDOUT") as copy:  # noqa: S608
                for chunk in copy:
                    data += chunk
            dumped[table] = (columns, bytes(data))
    return dumped


def _load(vendor: str, url: str, path: Path, dumped: dict[str, tuple[list[str], object]]) -> dict:
    """Write the dumped rows into the copy in one transaction; time each table and the COMMIT."""
    tables: dict[str, dict[str, float]] = {}
    if vendor == "sqlite":
        connection = _sqlite(path)
        connection.execute("BEGIN IMMEDIATE")
        for table, (columns, rows) in dumped.items():
            began = time.monotonic()
            names = ", ".join(f'"{c}"' for c in columns)
            connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
                                   rows)
            tables[table] = {"rows": len(rows), "seconds": round(time.monotonic() - began, 2)}
        began = time.monotonic()
        connection.execute("COMMIT")
        commit = time.monotonic() - began
        connection.close()
        return {"tables": tables, "commit_seconds": round(commit, 2)}
    import psycopg

    with psycopg.connect(url) as connection:
        for table, (columns, data) in dumped.items():
            began = time.monotonic()
            names = ", ".join(f'"{c}"' for c in columns)
            with connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start:start + (1 << 20)])
            tables[table] = {"rows": data.count(b"\n"), "seconds": round(time.monotonic() - began, 2)}
        began = time.monotonic()
        connection.commit()
        commit = time.monotonic() - began
    return {"tables": tables, "commit_seconds": round(commit, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench-floor")
    path = data_dir / "bench.sqlite3"
    os.environ.pop("ABONENT_TESTING", None)
    os.environ.update({"DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir),
                       "DJANGO_SETTINGS_MODULE": "abonent.settings", "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.db import connections

    from abonent.core.runtime import heap_freeze
    from abonent.imports import services

    manager = database_ready()
    source = data_dir / "customers.csv"
    generate(source, args.rows, seed=args.seed)
    job = job_queued(source, manager)

    # The database as the worker finds it: the copy the rows are loaded into.
    connections.close_all()
    copy_url, copy_path = _copy_url(url), data_dir / "copy.sqlite3"
    if vendor == "sqlite":
        shutil.copy(path, copy_path)
    else:
        with postgres_admin(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {COPY_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {COPY_DB} TEMPLATE {BENCH_DB}")
    before = _highest_ids(vendor, url, path)

    heap_freeze()
    began = time.monotonic()
    job = services.job_run(job_id=job.pk)
    imported = time.monotonic() - began
    connections.close_all()

    dumped = _dump(vendor, url, path, before)
    loaded = _load(vendor, copy_url, copy_path, dumped)
    floor = sum(t["seconds"] for t in loaded["tables"].values()) + loaded["commit_seconds"]
    result = {
        "database": vendor, "rows": args.rows, "import_seconds": round(imported, 2),
        "floor_seconds": round(floor, 2), "commit_seconds": loaded["commit_seconds"],
        "written_rows": sum(t["rows"] for t in loaded["tables"].values()),
        "created": job.created, "updated": job.updated, "rejected": job.rejected, "tables": loaded["tables"],
    }
    if vendor == "postgresql":
        with postgres_admin(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {COPY_DB} WITH (FORCE)")
    drop_database(vendor, url, data_dir, name=BENCH_DB)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
