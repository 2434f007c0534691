"""Writes of the import engine: receive a file, configure it, stage its rows, run it in the worker, revert it.

The pipeline: `job_create` stores the file and reads its shape (format, encoding, delimiter, headers) and
proposes a mapping; `job_configure` sets the mapping and the duplicate rules; `job_start` stages every row in
the database and queues the job; the worker's task calls `job_run`, which processes the staged rows in
batches (`abonent.imports.processing`), each batch in one transaction together with the job's counters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy, get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.core.bulk import Writer, rows_insert
from abonent.core.models import Channel
from abonent.core.roles import ADMIN_ROLES, Access
from abonent.core.runtime import gc_paused
from abonent.core.services import AbonentError, audit_record
from abonent.imports import parallel, processing
from abonent.imports.cleaning import RowCleaner
from abonent.imports.fields import field_keys, mapping_auto
from abonent.imports.models import (
    ImportJob,
    ImportKind,
    ImportRow,
    JobStatus,
    MappingTemplate,
    MatchKey,
    OnDuplicate,
    RowStatus,
    SourceFormat,
    cells_join,
)
from abonent.imports.reading import FileShape, ImportFileError, records, shape_read
from abonent.imports.values import country_code
from abonent.notifications.services import notify

__all__ = [
    "ImportFileError", "ImportRefused", "job_configure", "job_create", "job_create_from_db", "job_revert",
    "job_run", "job_start", "jobs_resume", "mapping_template_save",
]

log = logging.getLogger(__name__)


class ImportRefused(AbonentError):
    """The job cannot do what was asked (wrong state, mapping without a name, not an administrator)."""


def _assert_may_import(by: Any) -> None:
    # Command-line imports run without a user (by=None); a person needs write access to imports.
    if by is not None and getattr(by, "is_authenticated", False) and by.module_access("imports") < Access.WRITE:
        raise ImportRefused(_("You may not import data."))


def _shape(job: ImportJob) -> FileShape:
    return FileShape(format=job.format if job.format != SourceFormat.DATABASE else SourceFormat.CSV,
                     encoding=job.encoding, delimiter=job.delimiter, sheet=job.sheet, header_row=job.header_row,
                     headers=list(job.headers))


def job_path(job: ImportJob) -> Path:
    """The stored file as a local path (the file storage is local; a remote one would download it first)."""
    return Path(job.file.path)


# --- receiving --------------------------------------------------------------------------------------------


def job_create(
    *, source: UploadedFile | Path | str, filename: str = "", by: Any, kind: str = ImportKind.CUSTOMERS,
    now: dt.datetime,
) -> ImportJob:
    """Store an uploaded file, read its shape and propose a mapping; raise ImportFileError for junk.

    The format is told by the content, not the name (an XLSX renamed .csv is read as XLSX); a CSV's encoding
    (UTF-8 with or without BOM, UTF-16, Windows-1250, Windows-1251, ISO-8859-2), delimiter (, ; tab) and
    header row are detected. The job waits in status "new" for `job_configure`.
    """
    _assert_may_import(by)
    if kind not in ImportKind.values:
        raise ImportRefused(_("Abonent cannot import “%(kind)s”.") % {"kind": kind})
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        handle: Any = path.open("rb")
    else:
        filename = filename or source.name or "upload"
        handle = source
    try:
        size = handle.size if hasattr(handle, "size") else Path(handle.name).stat().st_size
        if size > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(_("The file is larger than %(mb)s MB.")
                                  % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        job = ImportJob(kind=kind, filename=filename[:255], format=SourceFormat.CSV, created_by=_user(by),
                        created_at=now)
        job.file.save(get_valid_filename(Path(filename).name) or "upload", File(handle), save=False)
    finally:
        if isinstance(source, str | Path):
            handle.close()
    try:
        shape = shape_read(job_path(job))
    except ImportFileError:
        job.file.delete(save=False)
        raise
    return _job_save_shape(job, shape, by=by, now=now)


def _user(by: Any) -> Any:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _job_save_shape(job: ImportJob, shape: FileShape, *, by: Any, now: dt.datetime) -> ImportJob:
    if job.format != SourceFormat.DATABASE:
        job.format = shape.format
    job.encoding, job.delimiter, job.sheet = shape.encoding, shape.delimiter, shape.sheet
    job.header_row, job.headers, job.sample = shape.header_row, shape.headers, shape.sample
    job.mapping = mapping_auto(shape.headers, job.kind)
    with transaction.atomic():
        job.save()
        audit_record(actor=by, action="abonent.imports.job.created", target=job, channel=_channel(by), now=now,
                     changes={"file": (None, job.filename), "format": (None, job.format)})
    return job


def _channel(by: Any) -> str:
    return Channel.UI if _user(by) else Channel.SYSTEM


def _masked(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - any unreadable URL is refused with one sentence
        raise ImportFileError(_("“%(url)s” is not a database address (SQLAlchemy URL).") % {"url": url}) from None


def job_create_from_db(
    *, url: str, query: str = "", table: str = "", by: Any, kind: str = ImportKind.CUSTOMERS, now: dt.datetime,
) -> ImportJob:
    """Read a query's (or a table's) rows from another database through SQLAlchemy into a job.

    The rows are copied into a CSV file in the job's storage at once, so the rest of the pipeline (and a
    re-run) never needs the other database or its password again; the job keeps the URL without password.
    """
    import sqlalchemy as sa

    _assert_may_import(by)
    masked = _masked(url)
    if bool(query.strip()) == bool(table.strip()):
        raise ImportRefused(_("Give either a query or a table name."))
    try:
        engine = sa.create_engine(url)
    except Exception as error:  # noqa: BLE001 - a missing driver or a bad URL: said in one sentence
        raise ImportFileError(_("Cannot open the database %(url)s: %(error)s")
                              % {"url": masked, "error": error}) from None
    try:
        with engine.connect() as connection, tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
            if table.strip():
                statement = sa.select(sa.Table(table.strip(), sa.MetaData(), autoload_with=connection))
            else:
                statement = sa.text(query)
            result = connection.execution_options(stream_results=True, yield_per=5000).execute(statement)
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(text)
            writer.writerow([str(c) for c in result.keys()])  # noqa: SIM118 - a Result, not a dict
            rows = 0
            for row in result:
                writer.writerow([_db_cell(v) for v in row])
                rows += 1
            text.flush()
            text.detach()
            if not rows:
                raise ImportFileError(_("The query returned no rows."))
            out.seek(0)
            job = ImportJob(kind=kind, filename=(table.strip() or "query")[:200] + ".csv",
                            format=SourceFormat.DATABASE, source_url=masked[:500],
                            source_query=query.strip() or table.strip(), created_by=_user(by), created_at=now)
            job.file.save("database.csv", File(out), save=False)
    except sa.exc.SQLAlchemyError as error:
        raise ImportFileError(_("The database answered: %(error)s")
                              % {"error": str(getattr(error, "orig", None) or error).strip()[:500]}) from None
    finally:
        engine.dispose()
    shape = shape_read(job_path(job))
    return _job_save_shape(job, shape, by=by, now=now)


def _db_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


# --- configuring ------------------------------------------------------------------------------------------


def mapping_template_save(
    *, name: str, mapping: Mapping[str, str], by: Any, kind: str = ImportKind.CUSTOMERS,
    country_default: str = "", column_countries: Mapping[str, str] | None = None,
    on_duplicate: str = OnDuplicate.UPDATE, match_on: Sequence[str] | None = None, now: dt.datetime,
) -> MappingTemplate:
    """Save a mapping (and the import's rules) under a name, replacing a template of the same name."""
    _assert_may_import(by)
    name = " ".join(name.split())[:80]
    if not name:
        raise ImportRefused(_("Give the template a name."))
    rules = _rules(mapping=mapping, kind=kind, country_default=country_default, column_countries=column_countries,
                   on_duplicate=on_duplicate, match_on=match_on)
    with transaction.atomic():
        template = MappingTemplate.objects.select_for_update().filter(kind=kind, name=name).first()
        created = template is None
        if created:
            template = MappingTemplate(kind=kind, name=name, created_by=_user(by), created_at=now)
        for field, value in rules.items():
            setattr(template, field, value)
        template.updated_at = now
        template.save()
        audit_record(actor=by, action="abonent.imports.template." + ("created" if created else "changed"),
                     target=template, channel=_channel(by), now=now, changes={"mapping": (None, rules["mapping"])})
    return template


def _rules(*, mapping: Mapping[str, str], kind: str, country_default: str, column_countries: Mapping[str, str] | None,
           on_duplicate: str, match_on: Sequence[str] | None) -> dict[str, Any]:
    fields = field_keys(kind)
    clean_mapping = {}
    for header, key in mapping.items():
        if not key:
            continue
        if key not in fields:
            raise ImportRefused(_("“%(field)s” is not a field a column can be imported into.") % {"field": key})
        if not fields[key].multiple and key in clean_mapping.values():
            raise ImportRefused(_("Two columns are mapped to “%(field)s”; it takes one.")
                                % {"field": fields[key].label})
        clean_mapping[str(header)] = key
    countries = {}
    for header, raw in (column_countries or {}).items():
        if raw:
            code = country_code(raw)
            if code is None:
                raise ImportRefused(_("“%(value)s” is not a country.") % {"value": raw})
            countries[str(header)] = code
    default = ""
    if country_default:
        default = country_code(country_default) or ""
        if not default:
            raise ImportRefused(_("“%(value)s” is not a country.") % {"value": country_default})
    if on_duplicate not in OnDuplicate.values:
        raise ImportRefused(_("“%(value)s” is not a rule for duplicates (update, skip, create).")
                            % {"value": on_duplicate})
    keys = list(dict.fromkeys(match_on if match_on is not None else [k.value for k in (
        MatchKey.TAX_ID, MatchKey.EMAIL, MatchKey.EXTERNAL_ID)]))
    unknown = [k for k in keys if k not in MatchKey.values]
    if unknown:
        raise ImportRefused(_("Customers cannot be matched on “%(key)s”.") % {"key": unknown[0]})
    return {"mapping": clean_mapping, "country_default": default, "column_countries": countries,
            "on_duplicate": on_duplicate, "match_on": keys}


def job_configure(
    *, job: ImportJob, mapping: Mapping[str, str], by: Any, country_default: str = "",
    column_countries: Mapping[str, str] | None = None, on_duplicate: str = OnDuplicate.UPDATE,
    match_on: Sequence[str] | None = None, template: MappingTemplate | None = None,
) -> ImportJob:
    """Set how the job's columns map to fields, the default country (per job or per column) and the duplicate
    rules: match existing customers on a subset of tax_id, email, phone, external_id; on a match update, skip
    or create anyway. Raise ImportRefused for a mapping the import could not use.
    """
    _assert_may_import(by)
    if job.status != JobStatus.NEW:
        raise ImportRefused(_("The import has started; its mapping can no longer change."))
    unknown = [h for h in mapping if h not in job.headers]
    if unknown:
        raise ImportRefused(_("The file has no column “%(header)s”.") % {"header": unknown[0]})
    rules = _rules(mapping=mapping, kind=job.kind, country_default=country_default,
                   column_countries=column_countries, on_duplicate=on_duplicate, match_on=match_on)
    keys = set(rules["mapping"].values())
    # A file without names can only update customers it matches (rows matching none are rejected).
    match_columns = {"external_id" if k == MatchKey.EXTERNAL_ID else k for k in rules["match_on"]} & keys
    updates_only = rules["on_duplicate"] == OnDuplicate.UPDATE and match_columns
    if not keys & {"name", "first_name", "last_name", "organisation"} and not updates_only:
        raise ImportRefused(_("Map a column to the name, the first or last name, or the organisation name: "
                              "a new customer needs one."))
    if not rules["country_default"] and "country" not in keys:
        raise ImportRefused(_("Choose a default country, or map a column to the country: phone numbers and "
                              "tax IDs are read by country."))
    changes = {field: (getattr(job, field), value) for field, value in rules.items() if getattr(job, field) != value}
    for field, value in rules.items():
        setattr(job, field, value)
    job.template = template
    job.save(update_fields=[*rules, "template"])
    if changes:
        audit_record(actor=_user(by), action="abonent.imports.job.configured", target=job, channel=_channel(by),
                     now=timezone.now(), changes=changes)
    return job


# --- staging and running ----------------------------------------------------------------------------------


def job_start(*, job: ImportJob, by: Any, now: dt.datetime) -> ImportJob:
    """Queue the job for the worker and return at once: the worker copies the file's rows into the database
    (its first step, see `_job_stage`) and then processes them, so the upload page never waits for the file.
    """
    _assert_may_import(by)
    if job.status != JobStatus.NEW:
        raise ImportRefused(_("The import has already started."))
    if not job.mapping:
        raise ImportRefused(_("Map at least one column before starting the import."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.NEW:
            raise ImportRefused(_("The import has already started."))
        job.status = JobStatus.QUEUED
        job.save(update_fields=["status"])
        audit_record(actor=by, action="abonent.imports.job.started", target=job, channel=_channel(by), now=now,
                     changes={"status": (JobStatus.NEW.value, JobStatus.QUEUED.value)})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _job_stage(job_id: int, *, now: dt.datetime) -> bool:
    """Copy every row of the job's file into the database, once; return False when the file broke on the way
    (the job is then failed with the reason and its creator told).

    PostgreSQL stages through COPY, SQLite through executemany; 100,000 rows take a second or two. The rows and
    the total commit together, so a worker killed while staging leaves nothing behind and the next run
    starts again.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.staged_at is not None or job.status != JobStatus.QUEUED:
            return True
        try:
            total = rows_insert(ImportRow, ("job_id", "number", "cells", "status", "errors", "previous"), (
                (job_id, number, cells_join(cells), RowStatus.PENDING.value, "[]", "{}")
                for number, cells in records(job_path(job), _shape(job))
            ), ready=True)
        except ImportFileError as error:
            # The rows staged so far go with the transaction: nothing half-read is ever processed.
            transaction.set_rollback(True)
            failure = str(error)
        else:
            job.total, job.staged_at = total, now
            job.save(update_fields=["total", "staged_at"])
            return True
    ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.FAILED, error=failure, finished_at=now)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    audit_record(actor=job.created_by, action="abonent.imports.job.failed", target=job, channel=Channel.SYSTEM,
                 now=now, changes={"error": (None, failure)})
    _notify_finished(job, now=now)
    return False


def _enqueue(job_id: int) -> None:
    from abonent.imports.tasks import import_job_run

    import_job_run(job_id)


def job_run(*, job_id: int, clock: Callable[[], dt.datetime] = timezone.now,
            batch_rows: int | None = None) -> ImportJob:
    """Process the job's staged rows batch after batch until none is left, then finish the job (worker only).

    Safe to run twice at once or again after a crash: each batch locks the job row, takes the rows still
    waiting and commits them together with the counters.
    """
    batch_rows = batch_rows or settings.IMPORT_BATCH_ROWS
    if not _job_stage(job_id, now=clock()):
        return ImportJob.objects.get(pk=job_id)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=job_id)
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return job
        if job.status == JobStatus.QUEUED:
            job.status, job.started_at = JobStatus.RUNNING, job.started_at or clock()
            job.save(update_fields=["status", "started_at"])
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    executor = parallel.helpers() if job.total - job.processed >= settings.IMPORT_HELPERS_FROM_ROWS else None
    with translation.override(language):
        cleaner = RowCleaner(headers=job.headers, mapping=job.mapping, country_default=job.country_default,
                             column_countries=job.column_countries, today=timezone.localdate(clock()))
        labels = _labels()
        # The next batch is checked (by a helper process when there is one) while the current one is written.
        spent = {"reading": 0.0, "checking": 0.0, "writing": 0.0}
        began = time.monotonic()
        _sqlite_cache(IMPORT_SQLITE_CACHE_KB)
        while rows := _pending(job_id, after=0, size=batch_rows):
            checking = parallel.clean_later(executor, cleaner, language, rows)
            while rows:
                # A batch builds tens of thousands of short-lived objects: the collector's passes over them
                # (and over the earlier batches' still alive) are left to between batches.
                with gc_paused():
                    moment = time.monotonic()
                    following = _pending(job_id, after=rows[-1][1], size=batch_rows)
                    checking_next = parallel.clean_later(executor, cleaner, language, following)
                    spent["reading"] += time.monotonic() - moment
                    plans = checking.result()
                    spent["checking"] += time.monotonic() - moment
                    moment = time.monotonic()
                    # The next batch is checked while this one's rows are being written (core.bulk.Writer).
                    written = _batch_write_safely(job_id, plans, labels=labels, clock=clock,
                                                  meanwhile=checking_next.result)
                    spent["writing"] += time.monotonic() - moment
                if written is None:
                    return ImportJob.objects.get(pk=job_id)
                rows, checking = following, checking_next
        _sqlite_cache(None)
        log.info("import job %s: %.1f s, of which reading %.1f s, waiting for checks %.1f s, "
                 "writing (the next batch checked meanwhile) %.1f s (helpers: %s)", job_id, time.monotonic() - began,
                 spent["reading"], spent["checking"] - spent["reading"], spent["writing"],
                 settings.IMPORT_HELPERS if executor else 0)
        return _job_finish(job_id, now=clock())


IMPORT_SQLITE_CACHE_KB = 128 * 1024


def _sqlite_cache(kilobytes: int | None) -> None:
    """Give SQLite a bigger page cache while a job writes (its indexes stay in memory), then the default back."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {-kilobytes if kilobytes else -2000}")


def _labels() -> dict[str, dict[int, str]]:
    from django.contrib.auth import get_user_model

    from abonent.customers.models import CallCenterStatus

    users = {u.pk: u.get_full_name() or u.get_username() for u in get_user_model().objects.all()}
    return {"sales_rep_id": users, "call_center_status_id": dict(CallCenterStatus.objects.values_list("id", "name"))}


def _pending(job_id: int, *, after: int, size: int) -> list[tuple[int, int, str]]:
    """The next rows still waiting, in file order, after row number `after`."""
    return list(ImportRow.objects.filter(job_id=job_id, status=RowStatus.PENDING, number__gt=after)
                .order_by("number").values_list("id", "number", "cells")[:size])


def _batch_write_safely(job_id: int, plans: list, *, labels: dict, clock: Callable[[], dt.datetime],
                        meanwhile: Callable[[], Any] | None = None) -> int | None:
    """Write a batch; when it fails, write its rows one by one and reject (with a reason) the ones that fail.

    Return how many rows were handled, None when the job no longer runs. `meanwhile`: see _batch_write.
    """
    try:
        return _batch_write(job_id, plans, labels=labels, clock=clock, meanwhile=meanwhile)
    except Exception:
        if len(plans) == 1:
            log.exception("import job %s: row %s could not be stored", job_id, plans[0][1].number)
            return _row_fail(job_id, plans[0], now=clock())
        log.exception("import job %s: a batch failed; its rows are tried one by one", job_id)
    handled = 0
    for item in plans:
        try:
            done = _batch_write(job_id, [item], labels=labels, clock=clock)
        except Exception:
            log.exception("import job %s: row %s could not be stored", job_id, item[1].number)
            done = _row_fail(job_id, item, now=clock())
        if done is None:
            return None
        handled += done
    return handled


def _batch_write(job_id: int, plans: list, *, labels: dict, clock: Callable[[], dt.datetime],
                 meanwhile: Callable[[], Any] | None = None) -> int | None:
    """Write one batch with its counters; the job's heartbeat is the moment the batch was done, so the rate
    the progress bar shows is rows done over the time they took.

    The rows are written through a core.bulk.Writer, from a second thread, while this one runs `meanwhile`
    (work without the database: checking the next batch's rows).
    """
    now = clock()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=job_id)
        if job.status != JobStatus.RUNNING:
            return None
        waiting = set(ImportRow.objects.filter(id__in=[row_id for row_id, _plan in plans],
                                               status=RowStatus.PENDING).values_list("id", flat=True))
        plans = [(row_id, plan) for row_id, plan in plans if row_id in waiting]
        if plans:
            processing.import_lock()
            with Writer() as writer:
                outcomes = processing.Batch(job=job, now=now, labels=labels, writer=writer).run(plans)
                processing.outcomes_store(outcomes, writer=writer)
                writer.start()
                if meanwhile:
                    meanwhile()
            _count(job, [o.status for o in outcomes.values()], now=clock())
    return len(plans)


def _row_fail(job_id: int, item: tuple, *, now: dt.datetime) -> int | None:
    row_id, plan = item
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.RUNNING:
            return None
        updated = ImportRow.objects.filter(id=row_id, status=RowStatus.PENDING).update(
            status=RowStatus.REJECTED, errors=[_("The row could not be stored; the error is in the server's log.")])
        if updated:
            _count(job, [RowStatus.REJECTED], now=now)
    return 1


def _count(job: ImportJob, statuses: list[str], *, now: dt.datetime) -> None:
    for status in statuses:
        setattr(job, status, getattr(job, status) + 1)
    job.processed += len(statuses)
    job.heartbeat_at = now
    job.save(update_fields=["processed", "created", "updated", "skipped", "rejected", "heartbeat_at"])


def _job_finish(job_id: int, *, now: dt.datetime) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=job_id)
        if job.status != JobStatus.RUNNING or job.rows.filter(status=RowStatus.PENDING).exists():
            return job
        job.status, job.finished_at = JobStatus.DONE, now
        job.save(update_fields=["status", "finished_at"])
        audit_record(actor=job.created_by, action="abonent.imports.job.finished", target=job,
                     channel=Channel.SYSTEM, now=now, changes={
                         "created": (None, job.created), "updated": (None, job.updated),
                         "skipped": (None, job.skipped), "rejected": (None, job.rejected)})
        transaction.on_commit(lambda: _notify_finished(job, now=now))
    return job


def job_url(job: ImportJob) -> str:
    """The job's page (built by the import pages), or the jobs list, or "" before the pages exist."""
    for name, args in (("imports:job", [job.pk]), ("imports:jobs", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _notify_finished(job: ImportJob, *, now: dt.datetime) -> None:
    if job.created_by is None:
        return
    if job.status == JobStatus.FAILED:
        title = format_lazy(gettext_lazy("Import {name} stopped: {error}"), name=job.filename, error=job.error)
        notify(user=job.created_by, title=title, url=job_url(job), email_template="imports/email/job_failed",
               context={"job_id": job.pk, "filename": job.filename, "error": job.error}, now=now)
        return
    title = format_lazy(gettext_lazy("Import {name} finished: {created} created, {updated} updated, {skipped} "
                                     "skipped, {rejected} rejected"), name=job.filename, created=job.created,
                        updated=job.updated, skipped=job.skipped, rejected=job.rejected)
    notify(user=job.created_by, title=title, url=job_url(job), email_template="imports/email/job_finished",
           context={"job_id": job.pk, "filename": job.filename, "total": job.total, "created": job.created,
                    "updated": job.updated, "skipped": job.skipped, "rejected": job.rejected}, now=now)


def jobs_resume(*, now: dt.datetime, stale_after: dt.timedelta | None = dt.timedelta(minutes=2)) -> list[int]:
    """Queue again the jobs a stopped worker left queued or running; return their ids.

    The periodic task passes `stale_after`: only jobs without a batch for that long (their worker died on
    another machine). A worker starting passes None: every unfinished job, since a job running twice at
    once is safe.
    """
    jobs = ImportJob.objects.unfinished()
    if stale_after is not None:
        cutoff = now - stale_after
        from django.db.models import Q

        jobs = jobs.filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    ids = list(jobs.order_by("id").values_list("id", flat=True))
    for job_id in ids:
        _enqueue(job_id)
    return ids


ABANDONED_AFTER = dt.timedelta(days=7)


def jobs_abandoned_delete(*, now: dt.datetime, older_than: dt.timedelta = ABANDONED_AFTER) -> int:
    """Delete the uploads whose columns were never mapped (status *Waiting for the mapping*) for a week, with
    their files; return how many (the worker runs this nightly)."""
    count = 0
    for job in ImportJob.objects.filter(status=JobStatus.NEW, created_at__lt=now - older_than).order_by("id"):
        with transaction.atomic():
            audit_record(actor=None, action="abonent.imports.job.abandoned", target=job, channel=Channel.SYSTEM,
                         now=now, changes={"file": (job.filename, None)})
            if job.file:
                job.file.delete(save=False)
            job.delete()
        count += 1
    return count


# --- reverting --------------------------------------------------------------------------------------------


def job_revert(*, job: ImportJob, by: Any, now: dt.datetime) -> ImportJob:
    """Ask for a finished job to be undone (administrators only) and return at once: the worker deletes the
    customers it created and restores the fields it changed to their old values, unless someone changed them
    again since (`job_revert_run`; a big job takes a minute, longer than a web request may).
    """
    if getattr(by, "role", None) not in ADMIN_ROLES:
        raise ImportRefused(_("Only an administrator may revert an import."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.DONE:
            raise ImportRefused(_("Only a finished import can be reverted."))
        job.status, job.reverted_by = JobStatus.REVERTING, by
        job.save(update_fields=["status", "reverted_by"])
        audit_record(actor=by, action="abonent.imports.job.revert_asked", target=job, channel=_channel(by),
                     now=now, changes={"status": (JobStatus.DONE.value, JobStatus.REVERTING.value)})
        transaction.on_commit(lambda: _enqueue_revert(job.pk))
    return job


def _enqueue_revert(job_id: int) -> None:
    from abonent.imports.tasks import import_job_revert

    import_job_revert(job_id)


def job_revert_run(*, job_id: int, now: dt.datetime) -> ImportJob:
    """Revert a job an administrator asked to revert (worker only): all of it in one transaction, so a worker
    stopped half way leaves the job as it was, waiting to be reverted again."""
    from abonent.imports.reverting import rows_revert

    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("reverted_by").get(pk=job_id)
        if job.status != JobStatus.REVERTING:
            return job
        processing.import_lock()  # no batch of another import matches a customer being deleted
        summary = rows_revert(job=job, by=job.reverted_by, now=now)
        job.status, job.reverted_at = JobStatus.REVERTED, now
        job.save(update_fields=["status", "reverted_at"])
        audit_record(actor=job.reverted_by, action="abonent.imports.job.reverted", target=job,
                     channel=Channel.SYSTEM, now=now, changes={k: (None, v) for k, v in summary.items()})
        transaction.on_commit(lambda: _notify_reverted(job, summary, now=now))
    return job


def _notify_reverted(job: ImportJob, summary: dict[str, int], *, now: dt.datetime) -> None:
    if job.reverted_by is None:
        return
    title = format_lazy(gettext_lazy("Import {name} reverted (customers deleted: {deleted}, restored: {restored})"),
                        name=job.filename, deleted=summary["deleted"], restored=summary["restored"])
    notify(user=job.reverted_by, title=title, url=job_url(job), now=now)


def jobs_revert_resume() -> list[int]:
    """Queue again the reverts a stopped worker left (a worker starting calls this)."""
    ids = list(ImportJob.objects.filter(status=JobStatus.REVERTING).order_by("id").values_list("id", flat=True))
    for job_id in ids:
        _enqueue_revert(job_id)
    return ids
