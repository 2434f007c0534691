"""`abonent import`: import customers from a file or another database, and look after import jobs.

    abonent import customers FILE [--mapping NAME_OR_JSON_FILE] [--country CZ] [--on-duplicate update|skip|create]
                                  [--match-on tax_id,email] [--user NAME] [--wait]
    abonent import customers --from-db URL (--query "SELECT ..." | --table NAME) [same options]
    abonent import jobs [--limit 20]           the latest jobs, one JSON line each
    abonent import show JOB                    one job as a JSON line
    abonent import run JOB                     process a queued job here and now (without the worker)
    abonent import rejected JOB [--output F]   the rejected rows as CSV, with an "errors" column
    abonent import revert JOB --user ADMIN     undo a finished job
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from abonent.core.services import AbonentError
from abonent.imports import selectors, services
from abonent.imports.models import ImportJob, JobStatus, MappingTemplate, OnDuplicate


def job_line(job: ImportJob, *, seconds: float | None = None) -> str:
    """The job's outcome as one JSON line."""
    data: dict[str, Any] = {
        "job": job.pk, "status": job.status, "total": job.total, "created": job.created, "updated": job.updated,
        "skipped": job.skipped, "rejected": job.rejected,
    }
    if seconds is not None:
        data["seconds"] = round(seconds, 3)
    return json.dumps(data)


class Command(BaseCommand):
    help = "Import customers from a CSV/XLSX file or another database, and manage import jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{customers,jobs,show,run,rejected,"
                                                                                "revert}")
        customers = commands.add_parser("customers", help="import customers")
        customers.add_argument("file", nargs="?", help="CSV or XLSX file")
        customers.add_argument("--from-db", metavar="URL", help="SQLAlchemy URL of another database")
        customers.add_argument("--query", default="", help="SQL query whose rows are imported (with --from-db)")
        customers.add_argument("--table", default="", help="table whose rows are imported (with --from-db)")
        customers.add_argument("--mapping", metavar="NAME_OR_JSON_FILE",
                               help="a saved mapping template's name, or a JSON file {header: field}")
        customers.add_argument("--country", default="", help="default country of phones and tax IDs, e.g. CZ")
        customers.add_argument("--on-duplicate", choices=OnDuplicate.values, default=None)
        customers.add_argument("--match-on", default=None, help="comma-separated: tax_id,email,phone,external_id")
        customers.add_argument("--user", default="", help="import as this user (notified when the job ends)")
        customers.add_argument("--wait", action="store_true",
                               help="run the job now and print one JSON line with its counts")
        jobs = commands.add_parser("jobs", help="list the latest jobs")
        jobs.add_argument("--limit", type=int, default=20)
        for name, text in (("show", "show one job"), ("run", "process a queued job in this process")):
            commands.add_parser(name, help=text).add_argument("job", type=int)
        rejected = commands.add_parser("rejected", help="write a job's rejected rows as CSV")
        rejected.add_argument("job", type=int)
        rejected.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")
        revert = commands.add_parser("revert", help="undo a finished job (administrators)")
        revert.add_argument("job", type=int)
        revert.add_argument("--user", required=True, help="the administrator reverting it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "handle_" + options["action"])(options)
        except AbonentError as error:
            raise CommandError(str(error)) from None

    # --- the actions ------------------------------------------------------------------------------------

    def handle_customers(self, options: dict[str, Any]) -> None:
        began = time.monotonic()
        by = self._user(options["user"])
        now = timezone.now()
        if options["from_db"]:
            if options["file"]:
                raise CommandError("Give a FILE or --from-db, not both.")
            job = services.job_create_from_db(url=options["from_db"], query=options["query"],
                                              table=options["table"], by=by, now=now)
        elif options["file"]:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"No file {path}.")
            job = services.job_create(source=path, by=by, now=now)
        else:
            raise CommandError("Give a FILE or --from-db URL.")
        rules = self._rules(job, options)
        services.job_configure(job=job, by=by, **rules)
        job = services.job_start(job=job, by=by, now=timezone.now())
        if options["wait"]:
            job = services.job_run(job_id=job.pk)
            self.stdout.write(job_line(job, seconds=time.monotonic() - began))
        else:
            self.stdout.write(job_line(job))

    def handle_jobs(self, options: dict[str, Any]) -> None:
        for job in selectors.job_list()[: options["limit"]]:
            self.stdout.write(job_line(job))

    def handle_show(self, options: dict[str, Any]) -> None:
        job = self._job(options["job"])
        progress = selectors.job_progress(job)
        data = json.loads(job_line(job))
        data.update({"file": job.filename, "done": progress.done, "rate_per_s": progress.rate_per_s,
                     "seconds_left": progress.seconds_left, "error": job.error})
        self.stdout.write(json.dumps(data))

    def handle_run(self, options: dict[str, Any]) -> None:
        job = self._job(options["job"])
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise CommandError(f"Job {job.pk} is {job.status}; only a queued or running job can run.")
        began = time.monotonic()
        self.stdout.write(job_line(services.job_run(job_id=job.pk), seconds=time.monotonic() - began))

    def handle_rejected(self, options: dict[str, Any]) -> None:
        job = self._job(options["job"])
        chunks = selectors.job_rejected_csv(job)
        if options["output"] == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        with open(options["output"], "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)

    def handle_revert(self, options: dict[str, Any]) -> None:
        by = self._user(options["user"])
        job = services.job_revert(job=self._job(options["job"]), by=by, now=timezone.now())
        # The command waits: it reverts here (a worker picking up the same request later finds nothing to do).
        self.stdout.write(job_line(services.job_revert_run(job_id=job.pk, now=timezone.now())))

    # --- helpers ----------------------------------------------------------------------------------------

    @staticmethod
    def _user(username: str) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None

    @staticmethod
    def _job(pk: int) -> ImportJob:
        try:
            return selectors.job_get(pk=pk)
        except ImportJob.DoesNotExist:
            raise CommandError(f"No import job {pk}.") from None

    @staticmethod
    def _rules(job: ImportJob, options: dict[str, Any]) -> dict[str, Any]:
        rules: dict[str, Any] = {"mapping": dict(job.mapping), "country_default": "", "column_countries": {},
                                 "on_duplicate": OnDuplicate.UPDATE, "match_on": None, "template": None}
        spec = options["mapping"]
        if spec:
            path = Path(spec)
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except ValueError as error:
                    raise CommandError(f"{path} is not JSON: {error}") from None
                if not isinstance(data, dict):
                    raise CommandError(f"{path} must hold a JSON object {{header: field}}.")
                if "mapping" in data and isinstance(data["mapping"], dict):
                    rules.update({k: v for k, v in data.items() if k in rules})
                else:
                    rules["mapping"] = data
            else:
                template = MappingTemplate.objects.filter(kind=job.kind, name=spec).first()
                if template is None:
                    raise CommandError(f"No mapping template {spec!r} and no file of that name.")
                rules.update(mapping=template.mapping, country_default=template.country_default,
                             column_countries=template.column_countries, on_duplicate=template.on_duplicate,
                             match_on=template.match_on, template=template)
        if options["country"]:
            rules["country_default"] = options["country"]
        if options["on_duplicate"]:
            rules["on_duplicate"] = options["on_duplicate"]
        if options["match_on"] is not None:
            rules["match_on"] = [k.strip() for k in options["match_on"].split(",") if k.strip()]
        return rules
