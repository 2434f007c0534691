"""The crash test: a real worker killed with SIGKILL in the middle of a job, started again, finishes it exactly.

Everything runs in separate processes on a database of its own (a SQLite file, or a fresh PostgreSQL database
when the tests run on PostgreSQL): `abonent migrate`, `abonent import customers FILE` (stages the rows and
queues the job in a file-based SqliteHuey queue), `abonent run_huey` (killed with kill -9 while the job is
half done, then started again).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from abonent.imports.tests.factories import csv_file

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000
BATCH = 100

pytestmark = pytest.mark.slow


class Database:
    """The subprocesses' database, read with the plain driver (not through the test's Django connection)."""

    def __init__(self, tmp_path: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            import psycopg

            settings = connection.settings_dict
            self.name = f"abonent_crash_{uuid.uuid4().hex[:8]}"
            server = (f"postgresql://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or 'localhost'}:"
                      f"{settings['PORT'] or 5432}")
            self.admin = f"{server}/postgres"
            with psycopg.connect(self.admin, autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {self.name}")
            self.url = f"{server}/{self.name}"
        else:
            self.url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
            return db.execute(sql).fetchall()

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture
def database(tmp_path):
    database = Database(tmp_path)
    yield database
    database.drop()


def abonent(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "abonent"), *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True,
                          **kwargs)


def worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "abonent"), "run_huey", "--workers", "1", "--delay", "0.05",
               "--max-delay", "0.1"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def customers_file(path: Path) -> Path:
    rows = [["Jméno", "Příjmení", "E-mail", "Telefon"]]
    for n in range(ROWS):
        if n % 50 == 7:
            rows.append([f"Chybný{n}", "Zákazník", f"bad{n}@@example.cz", "12"])  # rejected
        elif n % 100 == 11:
            rows.append(["Znovu", "Zákazník", f"c{n - 5}@example.cz", ""])  # the customer of row n - 5 again
        else:
            rows.append([f"Jan{n}", "Novák", f"c{n}@example.cz", f"+420 601 {n // 1000:03d} {n % 1000:03d}"])
    return csv_file(path, rows)


def test_a_worker_killed_in_the_middle_of_a_job_finishes_it_after_a_restart_with_exact_counts(tmp_path, database):
    env = {k: v for k, v in os.environ.items() if k not in ("ABONENT_TESTING", "PYTEST_XDIST_WORKER",
                                                            "PYTEST_CURRENT_TEST")}
    env.update(DATABASE_URL=database.url, ABONENT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="abonent.settings", ABONENT_IMPORT_BATCH_ROWS=str(BATCH), DEBUG="0",
               LOG_LEVEL="WARNING")
    abonent("migrate", "--verbosity", "0", env=env)
    line = json.loads(abonent("import", "customers", str(customers_file(tmp_path / "c.csv")), "--country", "CZ",
                              "--match-on", "email", env=env).stdout)
    job = line["job"]
    assert line["status"] == "queued"

    def processed() -> int:
        return database.query(f"SELECT processed FROM imports_importjob WHERE id = {job}")[0][0]  # noqa: S608

    log = tmp_path / "worker.log"
    first = worker(env, log)
    try:
        wait_for(lambda: processed() >= 5 * BATCH, timeout=300, what="the worker to start on the job")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    done_at_kill = processed()
    status = database.query(f"SELECT status FROM imports_importjob WHERE id = {job}")[0][0]  # noqa: S608
    assert status == "running", log.read_text()
    assert database.query(f"SELECT total FROM imports_importjob WHERE id = {job}")[0][0] == ROWS  # noqa: S608
    assert 0 < done_at_kill < ROWS, "the job should have been killed half way; make ROWS larger"

    second = worker(env, log)
    try:
        wait_for(lambda: database.query(f"SELECT status FROM imports_importjob WHERE id = {job}")[0][0]  # noqa: S608
                 == "done", timeout=300, what="the restarted worker to finish the job")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)

    (total, processed_rows, created, updated, skipped, rejected), = database.query(
        f"SELECT total, processed, created, updated, skipped, rejected FROM imports_importjob WHERE id = {job}")  # noqa: S608
    rejected_made = sum(1 for n in range(ROWS) if n % 50 == 7)
    again_made = sum(1 for n in range(ROWS) if n % 100 == 11 and n % 50 != 7)
    assert (total, processed_rows) == (ROWS, ROWS)
    assert (created, updated + skipped, rejected) == (ROWS - rejected_made - again_made, again_made, rejected_made)
    by_status = dict(database.query(
        f"SELECT status, COUNT(*) FROM imports_importrow WHERE job_id = {job} GROUP BY status"))  # noqa: S608
    assert by_status == {k: v for k, v in {"created": created, "updated": updated, "skipped": skipped,
                                           "rejected": rejected}.items() if v}
    assert database.query("SELECT COUNT(*) FROM customers_party")[0][0] == created
    assert database.query("SELECT COUNT(*), COUNT(DISTINCT value) FROM customers_contactpoint WHERE kind = 'email'"
                          )[0] == (created, created)
    assert database.query("SELECT COUNT(*) FROM core_auditentry WHERE action = 'abonent.customers.party.created'"
                          )[0][0] == created
