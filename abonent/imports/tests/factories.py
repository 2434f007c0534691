"""Files in real formats, written the way other programs write them, and the whole pipeline in one call."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from abonent.imports.models import ImportJob, MappingTemplate
from abonent.imports.services import job_configure, job_create, job_revert, job_revert_run, job_run, job_start

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CRM_EXPORTS = Path(__file__).resolve().parents[4] / "shared" / "data" / "crm_exports"
if not CRM_EXPORTS.is_dir():
    CRM_EXPORTS = Path("/work/shared/data/crm_exports")


def csv_file(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ",",
             bom: bool = False) -> Path:
    """Write rows as a spreadsheet program would save them: quoted where needed, CRLF, in `encoding`."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    data = text.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def xlsx_file(path: Path, rows: Sequence[Sequence[Any]], *, title: str = "Customers") -> Path:
    """Write rows to an XLSX workbook with openpyxl (what Excel and LibreOffice produce)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def clock(now: dt.datetime = NOW):
    """A clock for job_run that moves one second per reading, so that durations and rates are not zero."""
    moments = iter(now + dt.timedelta(seconds=n) for n in range(10**6))
    return lambda: next(moments)


def imported(path: Path, *, by: Any = None, mapping: dict[str, str] | None = None, country_default: str = "CZ",
             column_countries: dict[str, str] | None = None, on_duplicate: str = "update",
             match_on: Sequence[str] | None = ("tax_id", "email", "external_id"), batch_rows: int | None = None,
             now: dt.datetime = NOW) -> ImportJob:
    """Upload, configure (the auto-mapping unless given), stage and run a job, as the worker would."""
    job = job_create(source=path, by=by, now=now)
    job = job_configure(job=job, mapping=job.mapping if mapping is None else mapping, by=by,
                        country_default=country_default, column_countries=column_countries,
                        on_duplicate=on_duplicate, match_on=match_on)
    job = job_start(job=job, by=by, now=now)
    return job_run(job_id=job.pk, clock=clock(now), batch_rows=batch_rows)


def rows_of(job: ImportJob) -> dict[int, tuple[str, list[str]]]:
    """{row number: (status, reasons)} of a job."""
    return {r.number: (r.status, r.errors) for r in job.rows.order_by("number")}


class MappingTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MappingTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    mapping = factory.LazyFunction(dict)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


def reverted(job: ImportJob, *, by: Any, now: dt.datetime = NOW) -> ImportJob:
    """Ask for a revert and run it, as the worker would."""
    job = job_revert(job=job, by=by, now=now)
    return job_revert_run(job_id=job.pk, now=now)
