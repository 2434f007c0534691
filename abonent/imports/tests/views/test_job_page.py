"""A job's page: what it did and with which mapping; its rows and customers; rejected rows as CSV; reverting it."""

import csv
import io
import re

import pytest

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import Party
from abonent.imports.models import JobStatus
from abonent.imports.tests.views.conftest import BAD, HEADERS, job_of, run_import


@pytest.fixture
def finished(client_as, customers_csv, django_capture_on_commit_callbacks):
    """An administrator's finished import of three good rows and one bad one."""
    client = client_as(Role.ADMINISTRATOR)
    job = run_import(client, customers_csv, django_capture_on_commit_callbacks)
    assert (job.status, job.created, job.rejected) == (JobStatus.DONE, 3, 1)
    return client, job


def customer_links(page: str) -> list[str]:
    return re.findall(r'href="/customers/(\d+)/"', page)


def test_the_page_shows_status_who_counts_the_mapping_and_the_rejected_rows(finished):
    client, job = finished

    page = client.get(f"/imports/{job.pk}/").content.decode()

    assert "Done" in page and str(client.user) in page
    assert 'id="count-created">3<' in page and 'id="count-rejected">1<' in page
    assert 'id="duration"' in page
    mapping = page[page.index('id="mapping-used"'):]
    assert "Příjmení" in mapping and "Last name" in mapping
    rejected = page[page.index('id="rejected"'):page.index('id="mapping-used"')]
    assert "Bořek" in rejected and rejected.count("text-bg-danger problem") >= 2
    assert f"/imports/{job.pk}/rejected.csv" in page
    assert f"/imports/{job.pk}/rows/?status=created" in page


def test_the_rejected_rows_download_as_the_file_s_columns_and_their_errors(finished):
    client, job = finished

    response = client.get(f"/imports/{job.pk}/rejected.csv")

    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="import-{job.pk}-rejected.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [*HEADERS, "errors"]
    assert len(rows) == 2
    assert rows[1][:5] == BAD and rows[1][5]
    assert AuditEntry.objects.filter(action="abonent.imports.job.rejected_downloaded", actor=client.user).exists()


def test_the_rows_page_links_each_row_to_its_customer(finished):
    client, job = finished
    jana = Party.objects.get(last_name="Nováková")

    page = client.get(f"/imports/{job.pk}/rows/", {"status": "created"}).content.decode()

    assert f'href="/customers/{jana.pk}/"' in page
    assert len(customer_links(page)) == 3
    assert "Bořek" not in page


def test_the_rows_page_turns_its_pages_by_row_number(client_as, tmp_path, django_capture_on_commit_callbacks):
    from abonent.imports.tests.views.conftest import csv_file

    rows = [[f"Jan{i}", "Novák", "", f"jan{i}@example.cz", "Praha"] for i in range(60)]
    client = client_as(Role.MANAGER)
    job = run_import(client, csv_file(tmp_path / "sixty.csv", rows), django_capture_on_commit_callbacks)

    first = client.get(f"/imports/{job.pk}/rows/").content.decode()
    second = client.get(f"/imports/{job.pk}/rows/", {"after": 51}).content.decode()

    assert len(customer_links(first)) == 50 and "after=51" in first
    assert len(customer_links(second)) == 10 and "Jan59" in second and 'rel="next"' not in second


def test_an_administrator_reverts_an_import_after_confirming(finished, django_capture_on_commit_callbacks):
    client, job = finished

    confirm = client.get(f"/imports/{job.pk}/revert/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task runs at once in tests
        response = client.post(f"/imports/{job.pk}/revert/", follow=True)

    assert "The 3 customers it created are deleted." in confirm
    assert "The import is being reverted on the server" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.REVERTED and job.reverted_by == client.user
    assert not Party.objects.filter(last_name__in=["Nováková", "Dvořák", "Černá"]).exists()


def test_a_manager_cannot_revert(client_as, customers_csv, django_capture_on_commit_callbacks):
    client = client_as(Role.MANAGER)
    job = run_import(client, customers_csv, django_capture_on_commit_callbacks)

    assert client.post(f"/imports/{job.pk}/revert/").status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Party.objects.count() == 3


def test_a_job_being_reverted_says_so(finished):
    client, job = finished
    client.post(f"/imports/{job.pk}/revert/")  # the worker has not run yet

    page = client.get(f"/imports/{job.pk}/").content.decode()

    assert "Being reverted" in page and 'id="reverting"' in page
    assert 'hx-trigger="every 1s"' not in page  # its rows are done: nothing to follow


def test_reverting_a_reverted_import_says_why_it_cannot(finished):
    client, job = finished
    client.post(f"/imports/{job.pk}/revert/")

    response = client.post(f"/imports/{job.pk}/revert/", follow=True)

    assert "Only a finished import can be reverted." in response.content.decode()


def test_a_job_waiting_for_its_mapping_offers_to_continue(client_as):
    client = client_as(Role.MANAGER)
    job = job_of(client.user, status=JobStatus.NEW)

    page = client.get(f"/imports/{job.pk}/").content.decode()

    assert f'href="/imports/{job.pk}/mapping/"' in page and 'id="progress"' not in page


def test_the_rejected_rows_fixed_in_their_file_import_again(finished, tmp_path, django_capture_on_commit_callbacks):
    client, job = finished
    rejected = b"".join(client.get(f"/imports/{job.pk}/rejected.csv").streaming_content).decode("utf-8-sig")
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(rejected.replace(",12,", ",+420 604 555 666,").replace("not an e-mail", "borek@example.cz"),
                     encoding="utf-8")

    again = run_import(client, fixed, django_capture_on_commit_callbacks)

    assert "errors" not in again.mapping
    assert (again.status, again.created, again.rejected) == (JobStatus.DONE, 1, 0)
    assert Party.objects.filter(last_name="Šťastný", email="borek@example.cz").exists()
