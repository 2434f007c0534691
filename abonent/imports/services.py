"""Writes of the import engine: receive a file, configure it, stage its rows, run it in the worker, revert it.

The pipeline: `job_create` stores the file and reads its shape (format, encoding, delimiter, headers) and
proposes a mapping; `job_configure` sets the mapping and the duplicate rules; `job_start` stages every row in
the database and queues the job; the worker's task calls `job_run`, which processes the staged rows in
batches (`abonent.imports.processing`), each batch in one transaction together with the job's counters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from abonent.core.services import AbonentError
from abonent.imports.models import ImportJob, ImportKind, MappingTemplate, OnDuplicate
from abonent.imports.reading import ImportFileError

__all__ = [
    "ImportFileError", "ImportRefused", "job_configure", "job_create", "job_create_from_db", "job_revert",
    "job_run", "job_start", "jobs_resume", "mapping_template_save",
]


class ImportRefused(AbonentError):
    """The job cannot do what was asked (wrong state, mapping without a name, not an administrator)."""


def job_create(
    *, source: UploadedFile | Path | str, filename: str = "", by: Any, kind: str = ImportKind.CUSTOMERS,
    now: dt.datetime,
) -> ImportJob:
    """Store an uploaded file, read its shape and propose a mapping; raise ImportFileError for junk.

    The format is told by the content, not the name (an XLSX renamed .csv is read as XLSX); a CSV's encoding
    (UTF-8 with or without BOM, UTF-16, Windows-1250, Windows-1251, ISO-8859-2), delimiter (, ; tab) and
    header row are detected. The job waits in status "new" for `job_configure`.
    """
    raise NotImplementedError


def job_create_from_db(
    *, url: str, query: str = "", table: str = "", by: Any, kind: str = ImportKind.CUSTOMERS, now: dt.datetime,
) -> ImportJob:
    """Read a query's (or a table's) rows from another database through SQLAlchemy into a job.

    The rows are copied into a CSV file in the job's storage at once, so the rest of the pipeline (and a
    re-run) never needs the other database or its password again; the job keeps the URL without password.
    """
    raise NotImplementedError


def mapping_template_save(
    *, name: str, mapping: Mapping[str, str], by: Any, kind: str = ImportKind.CUSTOMERS,
    country_default: str = "", column_countries: Mapping[str, str] | None = None,
    on_duplicate: str = OnDuplicate.UPDATE, match_on: Sequence[str] | None = None, now: dt.datetime,
) -> MappingTemplate:
    """Save a mapping (and the import's rules) under a name, replacing a template of the same name."""
    raise NotImplementedError


def job_configure(
    *, job: ImportJob, mapping: Mapping[str, str], by: Any, country_default: str = "",
    column_countries: Mapping[str, str] | None = None, on_duplicate: str = OnDuplicate.UPDATE,
    match_on: Sequence[str] | None = None, template: MappingTemplate | None = None,
) -> ImportJob:
    """Set how the job's columns map to fields, the default country (per job or per column) and the duplicate
    rules: match existing customers on a subset of tax_id, email, phone, external_id; on a match update, skip
    or create anyway. Raise ImportRefused for a mapping the import could not use.
    """
    raise NotImplementedError


def job_start(*, job: ImportJob, by: Any, now: dt.datetime) -> ImportJob:
    """Stage every row of the file in the database and queue the job for the worker; return at once.

    PostgreSQL stages through COPY, SQLite through executemany; 100,000 rows take about a second.
    """
    raise NotImplementedError


def job_run(*, job_id: int, now: dt.datetime | None = None) -> ImportJob:
    """Process the job's staged rows batch after batch until none is left, then finish the job (worker only).

    Safe to run twice at once or again after a crash: each batch locks the job row, takes the rows still
    waiting and commits them together with the counters.
    """
    raise NotImplementedError


def jobs_resume(*, now: dt.datetime, stale_after: dt.timedelta | None = dt.timedelta(minutes=2)) -> list[int]:
    """Queue again the jobs a stopped worker left queued or running; return their ids.

    The periodic task passes `stale_after`: only jobs without a batch for that long (their worker died on
    another machine). A worker starting passes None: every unfinished job, since a job running twice at
    once is safe.
    """
    raise NotImplementedError


def job_revert(*, job: ImportJob, by: Any, now: dt.datetime) -> ImportJob:
    """Undo a finished job (administrators only): delete the customers it created and restore the fields it
    changed to their old values, unless someone changed them again since.
    """
    raise NotImplementedError
