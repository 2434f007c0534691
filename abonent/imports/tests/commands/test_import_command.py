import json
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from abonent.customers.models import Party
from abonent.imports.models import ImportJob, JobStatus
from abonent.imports.tests.factories import MappingTemplateFactory, csv_file

HEADER = ["Jméno", "Příjmení", "E-mail", "Telefon"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_with_wait_it_runs_the_job_and_prints_one_json_line(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "Nováková", "jana@example.cz", "601 123 456"],
                                         ["Petr", "Novák", "petr@example", "602 123 456"]])

    output = run("customers", str(path), "--country", "CZ", "--wait")

    assert output.count("\n") == 1
    line = json.loads(output)
    assert {k: v for k, v in line.items() if k != "seconds"} == {
        "job": ImportJob.objects.get().pk, "status": "done", "total": 2, "created": 1, "updated": 0, "skipped": 0,
        "rejected": 1}
    assert line["seconds"] >= 0
    assert Party.objects.get().email == "jana@example.cz"


def test_without_wait_it_queues_the_job_for_the_worker(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "Nováková", "jana@example.cz", ""]])

    line = json.loads(run("customers", str(path), "--country", "CZ"))

    assert (line["status"], line["total"]) == (JobStatus.QUEUED, 0)  # the worker reads the rows
    assert json.loads(run("run", str(line["job"])))["created"] == 1


def test_a_mapping_comes_from_a_json_file_or_a_saved_template(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [["A", "B", "C"], ["Jana Nováková", "jana@example.cz", "PL"]])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"A": "name", "B": "email", "C": "country"}))
    MappingTemplateFactory(name="Letters", mapping={"A": "name", "B": "email"}, country_default="SK",
                           on_duplicate="skip")

    first = json.loads(run("customers", str(path), "--mapping", str(mapping), "--wait"))
    second = json.loads(run("customers", str(path), "--mapping", "Letters", "--wait"))

    assert (first["created"], second["skipped"]) == (1, 1)
    assert Party.objects.get().country == "PL"


def test_duplicate_rules_come_from_the_options(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "Nováková", "jana@example.cz", "601 123 456"]])
    run("customers", str(path), "--country", "CZ", "--wait")
    other = csv_file(tmp_path / "d.csv", [HEADER, ["Jana", "Malá", "x@example.cz", "601 123 456"]])

    line = json.loads(run("customers", str(other), "--country", "CZ", "--match-on", "phone", "--on-duplicate",
                          "skip", "--wait"))

    assert line["skipped"] == 1


def test_jobs_show_rejected_and_revert(db, tmp_path, make_user, capsysbinary):
    admin = make_user("administrator", username="boss")
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "Nováková", "jana@example.cz", ""],
                                         ["Petr", "Novák", "bad", ""]])
    job_id = json.loads(run("customers", str(path), "--country", "CZ", "--user", "boss", "--wait"))["job"]

    assert json.loads(run("jobs"))["job"] == job_id
    shown = json.loads(run("show", str(job_id)))
    assert (shown["file"], shown["done"], shown["rejected"]) == ("c.csv", 2, 1)
    run("rejected", str(job_id))
    assert "E-mail: “bad” is not a valid e-mail address." in capsysbinary.readouterr().out.decode()
    assert json.loads(run("revert", str(job_id), "--user", admin.username))["status"] == "reverted"
    assert not Party.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["customers"], "Give a FILE or --from-db"),
    (["customers", "/nonexistent.csv"], "No file"),
    (["show", "999"], "No import job 999"),
    (["revert", "999", "--user", "nobody"], "No active user"),
    (["customers", "--from-db", "nonsense://", "--table", "x"], "Cannot open the database|not a database"),
    (["customers", "--from-db", "mysql+pymysql://u:secret@localhost/crm", "--table", "x"], "Cannot open"),
])
def test_mistakes_get_a_sentence(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# --- another database ---------------------------------------------------------------------------------


def sqlite_source(tmp_path) -> str:
    path = tmp_path / "legacy.sqlite3"
    with sqlite3.connect(path) as source:
        source.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, jmeno TEXT, prijmeni TEXT, email TEXT, "
                       "telefon TEXT, zalozen DATE, aktivni BOOLEAN)")
        source.executemany("INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (1, "Jana", "Nováková", "jana@example.cz", "601123456", "2020-01-31", 1),
            (2, "Petr", "Novák", "petr@example.cz", None, None, 0),
            (3, "Eva", "Malá", "not-an-email", "602123456", None, 1),
        ])
    return f"sqlite:///{path}"


def test_rows_of_a_table_in_another_sqlite_database_go_through_the_same_pipeline(db, tmp_path):
    url = sqlite_source(tmp_path)

    line = json.loads(run("customers", "--from-db", url, "--table", "clients", "--country", "CZ", "--wait"))

    assert (line["created"], line["rejected"]) == (2, 1)
    job = ImportJob.objects.get()
    assert (job.format, job.source_query, job.mapping) == ("database", "clients", {
        "id": "external_id", "jmeno": "first_name", "prijmeni": "last_name", "email": "email", "telefon": "phone"})
    assert Party.objects.get(external_ref="1").phone == "+420601123456"


def test_a_query_chooses_and_renames_the_columns(db, tmp_path):
    url = sqlite_source(tmp_path)

    line = json.loads(run("customers", "--from-db", url, "--query",
                          "SELECT jmeno || ' ' || prijmeni AS name, email FROM clients WHERE aktivni",
                          "--country", "CZ", "--wait"))

    assert (line["total"], line["created"]) == (2, 1)
    assert Party.objects.get().name == "Jana Nováková"


def test_a_failing_query_is_reported_and_no_job_is_left(db, tmp_path):
    url = sqlite_source(tmp_path)

    with pytest.raises(CommandError, match="no such table: missing_table"):
        run("customers", "--from-db", url, "--query", "SELECT * FROM missing_table")
    assert not ImportJob.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test server")
def test_rows_of_a_postgresql_query_go_through_the_same_pipeline(db):
    import psycopg

    settings = connection.settings_dict
    url = (f"postgresql+psycopg://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or 'localhost'}:"
           f"{settings['PORT'] or 5432}/{settings['NAME']}")
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as source:
        source.execute("CREATE SCHEMA IF NOT EXISTS legacy_crm")
        source.execute("DROP TABLE IF EXISTS legacy_crm.partners")
        source.execute("CREATE TABLE legacy_crm.partners (code text, company text, ico text, city text)")
        source.execute("INSERT INTO legacy_crm.partners VALUES ('P1', 'Alfa s.r.o.', '25596641', 'Plzeň'), "
                       "('P2', 'Beta a.s.', '123', 'Brno')")
    try:
        line = json.loads(run("customers", "--from-db", url, "--query",
                              "SELECT code AS \"External ID\", company AS \"Company\", ico AS \"IČO\", city AS "
                              "\"City\" FROM legacy_crm.partners ORDER BY code", "--country", "CZ", "--wait"))
    finally:
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as source:
            source.execute("DROP SCHEMA legacy_crm CASCADE")

    assert (line["created"], line["rejected"]) == (1, 1)
    alfa = Party.objects.get()
    assert (alfa.kind, alfa.tax_id, alfa.external_ref, alfa.city) == ("organisation", "25596641", "P1", "Plzeň")
    assert f":{settings['PASSWORD']}@" not in ImportJob.objects.get().source_url
    assert ":***@" in ImportJob.objects.get().source_url
