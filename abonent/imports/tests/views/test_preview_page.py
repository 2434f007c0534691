"""The preview: the first rows as they will be stored, each problem in its row, and the Start button."""

import re

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.tests.factories import person
from abonent.imports.models import ImportRow, JobStatus
from abonent.imports.tests.views.conftest import csv_file, mapping_post, uploaded_job


def rows_of(page: str) -> list[str]:
    body = re.search(r'<table[^>]*id="preview".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return re.findall(r"<tr.*?</tr>", body, re.S)


def test_rows_are_shown_as_they_will_be_stored_and_bad_ones_with_their_reasons(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job))

    page = client.get(f"/imports/{job.pk}/preview/").content.decode()

    rows = rows_of(page)
    assert len(rows) == 4
    assert "+420601123456" in rows[0] and "Jana Nováková" in rows[0]
    assert "table-danger" not in rows[0]
    assert "table-danger" in rows[3]
    assert rows[3].count("text-bg-danger problem") >= 2  # the phone and the e-mail
    assert f'action="/imports/{job.pk}/start/"' in page
    assert not ImportRow.objects.exists()


def test_a_row_matching_a_customer_says_which_it_updates(client_as, customers_csv):
    existing = person(first_name="Jana", last_name="Nováková", email="jana.novakova@example.cz")
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job))

    first = rows_of(client.get(f"/imports/{job.pk}/preview/").content.decode())[0]

    assert "updates" in first and f"/customers/{existing.pk}/" in first


def test_the_preview_shows_at_most_twenty_rows(client_as, tmp_path):
    path = csv_file(tmp_path / "many.csv", [[f"Jan{i}", "Novák", "", f"jan{i}@example.cz", "Praha"] for i in range(30)])
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, path)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job))

    assert len(rows_of(client.get(f"/imports/{job.pk}/preview/").content.decode())) == 20


def test_starting_queues_the_job_and_leads_to_the_progress(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job))

    response = client.post(f"/imports/{job.pk}/start/")

    assert response["Location"] == f"/imports/{job.pk}/progress/"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert ImportRow.objects.filter(job=job).count() == 0  # the worker reads the file, not the request


def test_starting_twice_says_it_has_started(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job))
    client.post(f"/imports/{job.pk}/start/")

    response = client.post(f"/imports/{job.pk}/start/", follow=True)

    assert "already started" in response.content.decode()
    assert AuditEntry.objects.filter(action="abonent.imports.job.started").count() == 1


def test_starting_needs_a_post(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)

    assert client.get(f"/imports/{job.pk}/start/").status_code == 405
