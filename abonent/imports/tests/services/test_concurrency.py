import threading

from django.db import connection

from abonent.core.models import AuditEntry
from abonent.customers.models import ContactPoint, Party
from abonent.customers.services import party_update
from abonent.customers.tests.factories import person
from abonent.imports import processing
from abonent.imports.services import job_configure, job_create, job_run, job_start
from abonent.imports.tests.factories import NOW, clock, csv_file, imported

HEADER = ["Name", "E-mail", "City"]


def staged(path):
    job = job_create(source=path, by=None, now=NOW)
    job_configure(job=job, mapping=job.mapping, by=None, country_default="CZ", match_on=["email"])
    return job_start(job=job, by=None, now=NOW)


def test_two_imports_at_once_create_each_customer_once_and_count_exactly(transactional_db, tmp_path):
    shared = [[f"Shared {n}", f"shared{n}@example.cz", "Praha"] for n in range(60)]
    first = staged(csv_file(tmp_path / "a.csv", [HEADER, *shared, *[[f"A {n}", f"a{n}@example.cz", "Brno"]
                                                                      for n in range(40)]]))
    second = staged(csv_file(tmp_path / "b.csv", [HEADER, *[[f"B {n}", f"b{n}@example.cz", "Zlín"] for n in range(40)],
                                                  *reversed(shared)]))
    errors = []

    def work(job_id: int) -> None:
        try:
            job_run(job_id=job_id, clock=clock(), batch_rows=7)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job.pk,)) for job in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("done", "done")
    assert first.processed == first.total == 100 and second.processed == second.total == 100
    assert first.created + second.created == Party.objects.count() == 140
    assert first.updated + first.skipped + second.updated + second.skipped == 60
    assert ContactPoint.objects.filter(kind="email").count() == 140
    assert first.rows.filter(status="pending").count() == second.rows.filter(status="pending").count() == 0


def test_the_same_job_run_twice_at_once_processes_each_row_once(transactional_db, tmp_path):
    job = staged(csv_file(tmp_path / "a.csv", [HEADER, *[[f"C {n}", f"c{n}@example.cz", ""] for n in range(90)]]))

    def work() -> None:
        try:
            job_run(job_id=job.pk, clock=clock(), batch_rows=5)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    job.refresh_from_db()
    assert (job.status, job.processed, job.created) == ("done", 90, 90)
    assert Party.objects.count() == 90
    assert AuditEntry.objects.filter(action="abonent.customers.party.created").count() == 90


def test_an_edit_made_while_a_batch_was_being_checked_is_not_lost(db, tmp_path, make_user, monkeypatch):
    jana = person(email="jana@example.cz")
    agent = make_user()
    lock = processing.import_lock

    def edit_then_lock() -> None:
        # Between reading the file's rows and writing them, an agent changes the customer.
        party_update(party=Party.objects.get(pk=jana.pk), by=agent, values={"name": "Jana Veliká",
                                                                            "external_ref": "J-1"})
        lock()

    monkeypatch.setattr(processing, "import_lock", edit_then_lock)
    path = csv_file(tmp_path / "c.csv", [["E-mail", "Name", "City"], ["jana@example.cz", "Jana Malá", "Brno"]])

    job = imported(path, match_on=["email"])

    assert job.updated == 1
    jana.refresh_from_db()
    # The field the file maps is compared with the agent's value, not the one read before; the other is kept.
    assert (jana.name, jana.external_ref, jana.city) == ("Jana Malá", "J-1", "Brno")
    entry = AuditEntry.objects.get(action="abonent.customers.party.changed", channel="import")
    assert entry.changes["name"] == ["Jana Veliká", "Jana Malá"]
    assert "external_ref" not in entry.changes


def test_rows_checked_by_a_helper_process_land_the_same(db, tmp_path, settings):
    from abonent.imports import parallel

    settings.IMPORT_HELPERS, settings.IMPORT_HELPERS_FROM_ROWS = 1, 1
    before = parallel.checked_by_helpers
    rows = [["Name", "E-mail", "Phone"], *[[f"H {n}", f"h{n}@example.cz", "601 123 456"] for n in range(30)],
            ["Bad", "bad@", "1"]]
    try:
        job = imported(csv_file(tmp_path / "c.csv", rows), batch_rows=8, match_on=["email"])
    finally:
        parallel.helpers_reset()

    assert parallel.checked_by_helpers - before == 4  # 31 rows in batches of 8, all checked by the helper
    assert (job.created, job.rejected) == (30, 1)
    assert job.rows.get(number=32).errors == ["E-mail: “bad@” is not a valid e-mail address.",
                                              "Phone: “1” is not a phone number."]
