"""Reads of the import engine: jobs, their progress, a preview of the rows, the rejected rows as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from abonent.imports.models import ImportJob, ImportKind, MappingTemplate


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
    raise NotImplementedError


def job_preview(*, job: ImportJob, rows: int = 20) -> list[PreviewRow]:
    """Return the first rows as they would be stored with the job's mapping, each with its problems."""
    raise NotImplementedError


def job_rejected_csv(job: ImportJob) -> Iterator[bytes]:
    """Yield the rejected rows as CSV: the original columns and an "errors" column; it imports again as is."""
    raise NotImplementedError
