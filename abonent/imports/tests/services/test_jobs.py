import csv
import io
from email.header import decode_header, make_header

import pytest

from abonent.customers.models import Party
from abonent.customers.tests.factories import person
from abonent.imports.models import ImportJob, JobStatus, MappingTemplate
from abonent.imports.reading import ImportFileError
from abonent.imports.selectors import job_preview, job_progress, job_rejected_csv
from abonent.imports.services import (
    ImportRefused,
    job_configure,
    job_create,
    job_run,
    job_start,
    jobs_resume,
    mapping_template_save,
)
from abonent.imports.tests.factories import NOW, clock, csv_file, imported, xlsx_file

HEADER = ["Name", "E-mail", "Phone", "Note"]


def test_the_rejected_rows_download_as_csv_with_their_reasons_and_import_again_once_fixed(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana Nováková", "jana@example.cz", "601 123 456", ""],
                                         ["Petr Novák", "petr@@example.cz", "12345", '=HYPERLINK("x")'],
                                         ["Eva Malá", "eva@example.cz", "1", "řádek, s čárkou"]], delimiter=";")
    job = imported(path)
    assert (job.created, job.rejected) == (1, 2)

    data = b"".join(job_rejected_csv(job))

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        [*HEADER, "errors"],
        ["Petr Novák", "petr@@example.cz", "12345", "'=HYPERLINK(\"x\")",
         "E-mail: “petr@@example.cz” is not a valid e-mail address. | Phone: “12345” is not a valid phone number."],
        ["Eva Malá", "eva@example.cz", "1", "řádek, s čárkou", "Phone: “1” is not a phone number."],
    ]
    rows[1][1:3] = ["petr@example.cz", "602 123 456"]
    rows[2][2] = "603 123 456"
    fixed = csv_file(tmp_path / "fixed.csv", rows)

    again = imported(fixed)

    assert (again.created, again.rejected) == (2, 0)
    petr = Party.objects.get(name="Petr Novák")
    assert petr.notes.get().body == "<p>=HYPERLINK(&quot;x&quot;)</p>"


def test_the_job_creator_gets_a_notification_and_an_e_mail_when_the_job_ends(db, tmp_path, make_user, smtp_mailbox):
    from abonent.notifications.models import Notification
    from abonent.notifications.services import outbox_flush

    manager = make_user("manager", email="manager@abonent.test", language="cs")
    path = csv_file(tmp_path / "zakaznici.csv", [HEADER, ["Jana Nováková", "jana@example.cz", "", ""],
                                                 ["Petr", "x", "", ""]])

    with pytest.MonkeyPatch.context() as patch:
        # The finishing transaction's on_commit runs at once: the test's own transaction never commits.
        patch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
        job = imported(path, by=manager)
    outbox_flush(now=NOW)

    notification = Notification.objects.get(user=manager)
    assert "zakaznici.csv" in notification.title
    assert len(smtp_mailbox.messages) == 1
    message = smtp_mailbox.messages[0]
    assert message["To"] == "manager@abonent.test"
    assert "zakaznici.csv" in str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode()
    assert f"zakaznici.csv (úloha {job.pk})" in body  # in the manager's language
    assert "vytvořeno: 1" in body and "odmítnuto: 1" in body


def test_progress_counts_rows_and_tells_the_rate_and_time_left(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER] + [[f"Customer {n}", f"c{n}@example.cz", "", ""] for n in range(5)])

    job = imported(path, batch_rows=2)
    progress = job_progress(job)

    assert (progress.done, progress.total, progress.status, progress.seconds_left) == (5, 5, "done", 0.0)
    assert progress.rate_per_s > 0


def test_the_preview_shows_the_first_rows_as_they_would_be_stored(db, tmp_path):
    jana = person(email="jana@example.cz")
    path = csv_file(tmp_path / "c.csv", [["Jméno", "Příjmení", "E-mail", "Telefon", "Země"],
                                         ["Jana", "Nováková", "JANA@example.cz", "601 123 456", "Česko"],
                                         ["Petr", "Novák", "petr@example.cz", "12", ""],
                                         ["Eva", "Malá", "eva@example.cz", "+48 501 234 567", "PL"]])
    job = job_create(source=path, by=None, now=NOW)
    job_configure(job=job, mapping=job.mapping, by=None, country_default="CZ")

    preview = job_preview(job=job, rows=2)

    assert [(r.number, r.action) for r in preview] == [(2, "update"), (3, "reject")]
    assert preview[0].match == jana
    assert preview[0].values["email"] == "jana@example.cz"
    assert preview[0].values["phone"] == "+420601123456"
    assert preview[1].errors == ["Telefon: “12” is not a valid phone number."]
    assert not Party.objects.exclude(pk=jana.pk).exists()


def test_a_saved_mapping_template_is_replaced_by_name(db, make_user):
    manager = make_user("manager")
    mapping_template_save(name="Odoo partners", mapping={"Name": "name"}, by=manager, now=NOW)

    template = mapping_template_save(name="Odoo partners", mapping={"Name": "name", "Email": "email"},
                                     country_default="pl", match_on=["email"], on_duplicate="skip", by=manager,
                                     now=NOW)

    assert MappingTemplate.objects.get() == template
    assert (template.mapping, template.country_default, template.match_on, template.on_duplicate) == (
        {"Name": "name", "Email": "email"}, "PL", ["email"], "skip")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"mapping": {"Name": "name", "E-mail": "unknown"}}, "is not a field"),
    ({"mapping": {"Name": "name", "E-mail": "name"}}, "Two columns are mapped"),
    ({"mapping": {"Nope": "name"}}, "no column “Nope”"),
    ({"mapping": {"Name": "name"}, "country_default": ""}, "Choose a default country"),
    ({"mapping": {"Name": "name"}, "country_default": "Atlantis"}, "not a country"),
    ({"mapping": {"Name": "name"}, "on_duplicate": "merge"}, "not a rule"),
    ({"mapping": {"Name": "name"}, "match_on": ["name"]}, "cannot be matched"),
])
def test_a_mapping_the_import_could_not_use_is_refused_in_words(db, tmp_path, kwargs, message):
    job = job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""]]), by=None, now=NOW)

    with pytest.raises(ImportRefused, match=message):
        job_configure(job=job, by=None, **{"country_default": "CZ", **kwargs})


def test_junk_is_refused_and_nothing_is_kept(db, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 100)

    with pytest.raises(ImportFileError, match="binary data"):
        job_create(source=path, by=None, now=NOW)

    assert not ImportJob.objects.exists()


def test_a_user_without_write_access_to_imports_may_not_import(db, tmp_path, make_user):
    with pytest.raises(ImportRefused, match="may not import"):
        job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""]]), by=make_user("agent"),
                   now=NOW)


def test_xlsx_files_import_like_csv(db, tmp_path):
    path = xlsx_file(tmp_path / "c.xlsx", [["Jméno", "Příjmení", "IČO", "Telefon"],
                                           ["Jana", "Nováková", 6947, 420601123456]])

    job = imported(path)

    assert job.created == 1
    jana = Party.objects.get()
    assert (jana.tax_id, jana.phone) == ("00006947", "+420601123456")


def test_starting_queues_the_job_at_once_and_the_worker_reads_the_rows_then_a_second_start_is_refused(db, tmp_path):
    job = job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""], ["Petr", "", "", ""]]),
                     by=None, now=NOW)
    job_configure(job=job, mapping=job.mapping, by=None, country_default="CZ")
    job = job_start(job=job, by=None, now=NOW)

    assert (job.status, job.total, job.rows.count()) == (JobStatus.QUEUED, 0, 0)  # the upload does not wait
    with pytest.raises(ImportRefused, match="already started"):
        job_start(job=job, by=None, now=NOW)

    job = job_run(job_id=job.pk, clock=clock())
    assert (job.status, job.total, job.created, job.rows.count()) == (JobStatus.DONE, 2, 2, 2)
    assert job.staged_at is not None
    job_run(job_id=job.pk, clock=clock())  # run again (a resumed task): nothing is read twice
    assert job.rows.count() == 2


def test_a_file_that_breaks_while_the_worker_reads_it_fails_the_job_with_the_reason_and_stores_nothing(
        db, tmp_path, monkeypatch, make_user):
    from abonent.imports import services
    from abonent.notifications.models import Notification

    manager = make_user("manager", language="en")
    job = job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""], ["Petr", "", "", ""]]),
                     by=manager, now=NOW)
    job_configure(job=job, mapping=job.mapping, by=manager, country_default="CZ")
    job_start(job=job, by=manager, now=NOW)

    def broken(path, shape):
        yield 2, ["Jana", "", "", ""]
        raise ImportFileError("The file cannot be read as CSV: line 3 is cut short.")

    monkeypatch.setattr(services, "records", broken)
    job = job_run(job_id=job.pk, clock=clock())

    assert (job.status, job.error) == (JobStatus.FAILED, "The file cannot be read as CSV: line 3 is cut short.")
    assert job.rows.count() == 0 and Party.objects.count() == 0
    assert Notification.objects.get(user=manager).title == (
        "Import c.csv stopped: The file cannot be read as CSV: line 3 is cut short.")


def test_unfinished_jobs_are_queued_again(db, tmp_path, monkeypatch):
    queued = []
    monkeypatch.setattr("abonent.imports.services._enqueue", queued.append)
    job = job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""]]), by=None, now=NOW)
    job_configure(job=job, mapping=job.mapping, by=None, country_default="CZ")
    job_start(job=job, by=None, now=NOW)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=NOW)

    assert jobs_resume(now=NOW + NOW.resolution * 10) == []  # fresh: its worker is alive
    assert jobs_resume(now=NOW.replace(hour=NOW.hour + 1)) == [job.pk]
    assert jobs_resume(now=NOW, stale_after=None) == [job.pk]
    assert queued == [job.pk, job.pk]


def test_configuring_a_job_is_audited_with_the_old_and_new_rules(db, tmp_path, make_user):
    from abonent.core.models import AuditEntry

    manager = make_user("manager")
    job = job_create(source=csv_file(tmp_path / "c.csv", [HEADER, ["Jana", "", "", ""]]), by=manager, now=NOW)
    job_configure(job=job, mapping={"Name": "name"}, by=manager, country_default="PL", on_duplicate="skip")

    entry = AuditEntry.objects.get(action="abonent.imports.job.configured")
    assert entry.actor == manager
    assert entry.changes["country_default"] == ["", "PL"]
    assert entry.changes["on_duplicate"] == ["update", "skip"]
    assert entry.changes["mapping"][1] == {"Name": "name"}


def test_an_upload_never_mapped_for_a_week_is_deleted_with_its_file(db, tmp_path):
    import datetime as dt

    from abonent.imports.services import job_path, jobs_abandoned_delete

    old = job_create(source=csv_file(tmp_path / "old.csv", [HEADER, ["Jana", "", "", ""]]), by=None, now=NOW)
    job_create(source=csv_file(tmp_path / "new.csv", [HEADER, ["Petr", "", "", ""]]),
               by=None, now=NOW + dt.timedelta(days=6))
    started = job_create(source=csv_file(tmp_path / "run.csv", [HEADER, ["Eva", "", "", ""]]), by=None, now=NOW)
    job_configure(job=started, mapping=started.mapping, by=None, country_default="CZ")
    job_start(job=started, by=None, now=NOW)
    stored = job_path(old)
    assert stored.exists()

    assert jobs_abandoned_delete(now=NOW + dt.timedelta(days=7, hours=1)) == 1

    assert set(ImportJob.objects.values_list("filename", flat=True)) == {"new.csv", "run.csv"}
    assert not stored.exists()
