"""The worker's side of imports: run a job, and pick up the jobs a stopped worker left behind."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from abonent.imports import services


@db_task()
def import_job_run(job_id: int) -> None:
    services.job_run(job_id=job_id)


@db_task()
def import_job_revert(job_id: int) -> None:
    services.job_revert_run(job_id=job_id, now=timezone.now())


@db_periodic_task(crontab(minute="*"))
def import_jobs_resume() -> None:
    services.jobs_resume(now=timezone.now())


@db_periodic_task(crontab(hour="3", minute="17"))
def import_jobs_abandoned_delete() -> None:
    services.jobs_abandoned_delete(now=timezone.now())


@on_startup()
def import_jobs_resume_at_start() -> None:
    # A worker killed in the middle of a job lost the queued task with it; the rows it had not committed are
    # still waiting, so running the job again finishes it with exact counts.
    from django.db import close_old_connections

    try:
        services.jobs_resume(now=timezone.now(), stale_after=None)
        services.jobs_revert_resume()
    finally:
        close_old_connections()
