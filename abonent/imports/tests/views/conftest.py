"""Files as people upload them (written by the tests, in the encodings real exports use) and a way through the steps."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from abonent.imports.models import ImportJob, JobStatus

HEADERS = ["Jméno", "Příjmení", "Telefon", "E-mail", "Město"]
GOOD = [
    ["Jana", "Nováková", "601 123 456", "jana.novakova@example.cz", "Praha"],
    ["Petr", "Dvořák", "+420 602 111 222", "petr.dvorak@example.cz", "Brno"],
    ["Eva", "Černá", "603 333 444", "eva.cerna@example.cz", "Plzeň"],
]
BAD = ["Bořek", "Šťastný", "12", "not an e-mail", "Ostrava"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files land in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_file(path: Path, rows: list[list[str]], *, headers: list[str] = HEADERS, encoding: str = "windows-1250",
             delimiter: str = ";") -> Path:
    """A CSV file as Czech Excel saves it: Windows-1250, semicolons, CRLF."""
    lines = [delimiter.join(headers), *(delimiter.join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def xlsx_file(path: Path, rows: list[list[object]], *, headers: list[str] = HEADERS) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def customers_csv(tmp_path) -> Path:
    return csv_file(tmp_path / "zákazníci.csv", [*GOOD, BAD])


def upload(client, path: Path, *, name: str | None = None):
    with path.open("rb") as handle:
        return client.post("/imports/new/", {"file": handle} if name is None else {"file": (name, handle)})


def uploaded_job(client, path: Path) -> ImportJob:
    response = upload(client, path)
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(re.search(r"/imports/(\d+)/mapping/", response["Location"]).group(1))
    return ImportJob.objects.get(pk=pk)


def mapping_post(job: ImportJob, fields: dict[str, str] | None = None, **extra) -> dict:
    """The mapping form as a person submits it: the proposed fields unless `fields` (header → key) says otherwise."""
    chosen = dict(job.mapping) if fields is None else fields
    data = {"country_default": "CZ", "on_duplicate": "update", "match_on": ["tax_id", "email"]}
    for index, header in enumerate(job.headers):
        data[f"field_{index}"] = chosen.get(header, "")
        data[f"country_{index}"] = ""
    data.update(extra)
    return data


def run_import(client, path: Path, django_capture_on_commit_callbacks, **mapping) -> ImportJob:
    """Upload, map (as proposed), start; the test worker runs the job when the start commits."""
    job = uploaded_job(client, path)
    assert client.post(f"/imports/{job.pk}/mapping/", mapping_post(job, **mapping)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/imports/{job.pk}/start/").status_code == 302
    job.refresh_from_db()
    return job


def job_of(user, *, status: str = JobStatus.DONE, filename: str = "file.csv", **values) -> ImportJob:
    """A job as the engine leaves it, for pages that only show jobs."""
    now = timezone.now()
    values = {"kind": "customers", "format": "csv", "headers": HEADERS, "created_at": now, "created_by": user,
              "status": status, "filename": filename, **values}
    if status in (JobStatus.DONE, JobStatus.REVERTED):
        values = {"started_at": now, "finished_at": now, **values}
    return ImportJob.objects.create(**values)
