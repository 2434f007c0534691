"""An import in a real Chromium: upload a Czech Excel CSV, map, preview, start, watch it finish, get the rejects."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from abonent.accounts.tests.factories import UserFactory
from abonent.core.roles import Role
from abonent.customers.models import Party
from abonent.imports.models import ImportJob, JobStatus, MappingTemplate
from tests.functional.signing import sign_in

pytestmark = pytest.mark.browser

ROWS = [
    "Jméno;Příjmení;Telefon;E-mail;Město",
    "Jana;Nováková;601 123 456;jana.novakova@example.cz;Praha",
    "Petr;Dvořák;+420 602 111 222;petr.dvorak@example.cz;Brno",
    "Eva;Černá;603 333 444;eva.cerna@example.cz;Plzeň",
    "Bořek;Šťastný;12;not an e-mail;Ostrava",
]


def test_an_administrator_imports_a_file_and_downloads_the_rejected_rows(page, shot, tmp_path, settings,
                                                                        transactional_db):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "zákazníci.csv"
    path.write_bytes(("\r\n".join(ROWS) + "\r\n").encode("windows-1250"))
    UserFactory(role=Role.ADMINISTRATOR, username="admin", language="en")
    sign_in(page, "admin")

    # the menu leads to the imports, which offer the upload
    page.get_by_role("navigation", name="Main menu").locator('a[href="/imports/"]').click()
    shot("jobs-list-empty")
    page.get_by_role("link", name="Import customers from a file").click()
    page.get_by_label("File with your customers").set_input_files(str(path))
    shot("upload")
    page.get_by_role("button", name="Upload and map the columns").click()

    # the columns are recognised; the importer picks the country and saves the mapping as a template
    expect(page).to_have_url(re.compile(r"/imports/\d+/mapping/$"))
    expect(page.get_by_label("Příjmení", exact=True)).to_have_value("last_name")
    expect(page.get_by_label("Telefon", exact=True)).to_have_value("phone")
    expect(page.locator("#mapping-form")).to_contain_text("Nováková")
    page.get_by_label("Default country").select_option("CZ")
    page.get_by_label("Save this mapping as a template named").fill("Czech shop")
    shot("mapping")
    page.get_by_role("button", name="Preview the first rows").click()

    # the preview shows the rows as stored and the bad one with its reasons
    expect(page).to_have_url(re.compile(r"/preview/$"))
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("+420601123456")
    expect(rows.nth(3).locator(".badge.text-bg-danger.problem")).to_have_count(2)
    shot("preview")
    page.get_by_role("button", name="Start import").click()

    # the progress reaches the end and offers the rejected rows
    expect(page).to_have_url(re.compile(r"/progress/$"))
    expect(page.locator("#rows-done")).to_have_text("4 of 4 rows")
    expect(page.locator("#count-created")).to_have_text("3")
    expect(page.locator("#count-rejected")).to_have_text("1")
    shot("progress-done")
    with page.expect_download() as download:
        page.locator("#download-rejected").click()
    rejected = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig"))))
    assert rejected[0] == ["Jméno", "Příjmení", "Telefon", "E-mail", "Město", "errors"]
    assert rejected[1][:5] == ["Bořek", "Šťastný", "12", "not an e-mail", "Ostrava"]
    assert "phone" in rejected[1][5] and "e-mail" in rejected[1][5]

    # the job's page sums it up
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#job-status-badge")).to_have_text("Done")
    expect(page.locator("#rejected")).to_contain_text("Bořek")
    shot("job")
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.rejected) == (JobStatus.DONE, 3, 1)
    assert MappingTemplate.objects.get().name == "Czech shop"
    assert Party.objects.filter(last_name__in=["Nováková", "Dvořák", "Černá"]).count() == 3

    # while the worker reverts it, the job's page says so (tests run the worker's task at once, so the
    # state is set here to be seen)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.REVERTING, reverted_by=job.created_by)
    page.reload()
    expect(page.locator("#job-status-badge")).to_have_text("Being reverted")
    expect(page.locator("#reverting")).to_be_visible()
    shot("reverting")


def test_a_junk_file_is_refused_on_the_form(page, shot, tmp_path, settings, transactional_db):
    settings.MEDIA_ROOT = tmp_path / "media"
    junk = tmp_path / "customers.csv"
    junk.write_bytes(bytes(range(256)) * 64)
    UserFactory(role=Role.MANAGER, username="manager", language="en")
    sign_in(page, "manager")

    page.goto("/imports/new/")
    page.get_by_label("File with your customers").set_input_files(str(junk))
    page.get_by_role("button", name="Upload and map the columns").click()

    expect(page.locator(".invalid-feedback")).to_contain_text("binary")
    shot("junk-refused")
    assert not ImportJob.objects.exists()


def test_the_progress_moves_by_itself_and_stops_when_the_job_ends(page, shot, transactional_db):
    from django.utils import timezone

    manager = UserFactory(role=Role.MANAGER, username="manager", language="en")
    now = timezone.now()
    job = ImportJob.objects.create(kind="customers", format="csv", filename="big.csv", created_by=manager,
                                   created_at=now, status=JobStatus.QUEUED)
    sign_in(page, "manager")
    page.goto(f"/imports/{job.pk}/progress/")
    # the worker has not read the file yet: no "0 of 0 rows"
    expect(page.get_by_text("The worker is reading the file…")).to_be_visible()
    expect(page.locator("#rows-done")).to_have_count(0)
    shot("reading")

    ImportJob.objects.filter(pk=job.pk).update(started_at=now, heartbeat_at=now, staged_at=now,
                                               status=JobStatus.RUNNING, total=1000, processed=100, created=100)
    expect(page.locator("#rows-done")).to_have_text("100 of 1,000 rows")
    expect(page.locator("#close-note")).to_be_visible()
    shot("running")

    # the worker moves on: the page follows without being reloaded
    ImportJob.objects.filter(pk=job.pk).update(processed=600, created=580, rejected=20)
    expect(page.locator("#rows-done")).to_have_text("600 of 1,000 rows")
    expect(page.locator("#count-rejected")).to_have_text("20")
    ImportJob.objects.filter(pk=job.pk).update(processed=1000, created=980, status=JobStatus.DONE,
                                               finished_at=timezone.now())
    expect(page.locator("#finished-actions")).to_be_visible()
    expect(page.locator("#progress")).not_to_have_attribute("hx-trigger", "every 1s")
    expect(page.locator("#close-note")).to_have_count(0)
    shot("done")
