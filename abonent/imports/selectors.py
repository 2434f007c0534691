"""Reads of the import engine: jobs, their progress, a preview of the rows, the rejected rows as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.grid.export import _csv_cell
from abonent.customers.models import Party
from abonent.imports.models import (
    ImportJob,
    ImportKind,
    ImportRow,
    JobStatus,
    MappingTemplate,
    RowStatus,
    cells_split,
)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    rate_per_s: float | None  # rows per second since the worker started, None before it has
    seconds_left: float | None
    status: str


@dataclass
class PreviewRow:
    """One row as the import would store it: the values per field, what would happen, and every problem."""

    number: int
    cells: list[str]
    values: dict[str, str] = field(default_factory=dict)  # field key → value as it would be stored
    action: str = "create"  # create, update, skip, reject
    errors: list[str] = field(default_factory=list)
    match: Any = None  # the existing customer the row matches, if any


def job_list(*, user: Any = None) -> QuerySet[ImportJob]:
    """Return the import jobs, newest first (those of `user` only when given), with who started them."""
    jobs = ImportJob.objects.select_related("created_by")
    return jobs.filter(created_by=user) if user is not None else jobs


def job_get(*, pk: int) -> ImportJob:
    return ImportJob.objects.select_related("created_by", "template").get(pk=pk)


def mapping_template_list(*, kind: str = ImportKind.CUSTOMERS) -> QuerySet[MappingTemplate]:
    return MappingTemplate.objects.filter(kind=kind)


def job_progress(job: ImportJob) -> Progress:
    """Return rows done / total, the rate and the time left, read fresh from the database."""
    job = ImportJob.objects.only("status", "total", "processed", "started_at", "heartbeat_at", "finished_at").get(
        pk=job.pk)
    rate = seconds_left = None
    end = job.finished_at or job.heartbeat_at
    if job.started_at and end and job.processed:
        elapsed = (end - job.started_at).total_seconds()
        if elapsed > 0:
            rate = job.processed / elapsed
            if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                seconds_left = (job.total - job.processed) / rate
    if job.status == JobStatus.DONE:
        seconds_left = 0.0
    return Progress(done=job.processed, total=job.total, rate_per_s=rate, seconds_left=seconds_left,
                    status=job.status)


def job_preview(*, job: ImportJob, rows: int = 20) -> list[PreviewRow]:
    """Return the first rows as they would be stored with the job's mapping, each with its problems.

    Matching is shown against the customers already stored (not against earlier rows of the file).
    """
    from abonent.imports.cleaning import RowCleaner
    from abonent.imports.processing import Batch
    from abonent.imports.reading import FileShape, records
    from abonent.imports.services import job_path

    shape = FileShape(format=job.format if job.format != "database" else "csv", encoding=job.encoding,
                      delimiter=job.delimiter, sheet=job.sheet, header_row=job.header_row, headers=job.headers)
    cleaner = RowCleaner(headers=job.headers, mapping=job.mapping, country_default=job.country_default,
                         column_countries=job.column_countries, today=timezone.localdate())
    plans = []
    for number, cells in records(job_path(job), shape):
        plans.append((number, cleaner.clean(number, cells)))
        if len(plans) >= rows:
            break
    batch = Batch(job=job, now=timezone.now(), labels={})
    found, _external = batch._existing([p for p in plans if not p[1].errors])
    seen = {key: {} for key in batch.match_on}
    users = {pk: name for name, pk in cleaner.users.items()}
    statuses = {pk: name for name, pk in cleaner.statuses.items()}
    preview = []
    for number, plan in plans:
        row = PreviewRow(number=number, cells=plan.cells, errors=list(plan.errors), values=_shown(plan, users,
                                                                                                   statuses))
        target = None if plan.errors else batch._match(plan, found, seen)
        if plan.errors:
            row.action = "reject"
        elif target is None or job.on_duplicate == "create":
            row.action = "create"
            if plan.create_errors:
                row.action, row.errors = "reject", list(plan.create_errors)
        else:
            row.action = "skip" if job.on_duplicate == "skip" else "update"
            row.errors.append(target[2])
            if target[0] == "party":
                row.match = Party.objects.filter(pk=target[1]).first()
        preview.append(row)
    return preview


def _shown(plan: Any, users: dict[int, str], statuses: dict[int, str]) -> dict[str, str]:
    values = {"kind": str(plan.kind), "name": plan.name, "country": plan.country}
    for key in ("first_name", "last_name", "tax_id", "vat_id", "stage", "external_ref"):
        if plan.fields.get(key):
            values["external_id" if key == "external_ref" else key] = str(plan.fields[key])
    if plan.fields.get("sales_rep_id"):
        values["sales_rep"] = users.get(plan.fields["sales_rep_id"], "")
    if plan.fields.get("call_center_status_id"):
        values["call_center_status"] = statuses.get(plan.fields["call_center_status_id"], "")
    if plan.emails:
        values["email"] = ", ".join(plan.emails)
    if plan.phones:
        values["phone"] = ", ".join(plan.phones)
    if plan.iban:
        values["iban"] = plan.iban
    if plan.address:
        values.update({k: v for k, v in plan.address.items() if v and k != "country"})
    if plan.tags:
        values["tags"] = ", ".join(plan.tags)
    if plan.note:
        values["note"] = plan.note
    return values


class _Echo:
    def write(self, value: str) -> str:
        return value


def job_rejected_csv(job: ImportJob) -> Iterator[bytes]:
    """Yield the rejected rows as CSV: the original columns and an "errors" column; it imports again as is.

    UTF-8 with a byte-order mark, comma-separated. Cells starting with = + - @ get a leading quote, as in every
    export (a spreadsheet would run them as formulas); the import drops that quote again.
    """
    writer = csv.writer(_Echo())
    headers = list(job.headers)
    errors_header = _("errors")
    yield ("\ufeff" + writer.writerow([*headers, errors_header])).encode()
    batch: list[str] = []
    rows = ImportRow.objects.filter(job=job, status=RowStatus.REJECTED).order_by("number")
    for cells, errors in rows.values_list("cells", "errors").iterator(chunk_size=2000):
        cells = cells_split(cells)
        cells += [""] * (len(headers) - len(cells))
        batch.append(writer.writerow([_csv_cell(c) for c in cells] + [" | ".join(errors)]))
        if len(batch) >= 500:
            yield "".join(batch).encode()
            batch.clear()
    if batch:
        yield "".join(batch).encode()
