"""A job's own pages: what it did, its rows, the rejected rows as CSV, and reverting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError, audit_record
from abonent.imports.fields import field_keys
from abonent.imports.lists import duration_text
from abonent.imports.models import ImportJob, JobStatus, MatchKey, OnDuplicate, RowStatus
from abonent.imports.row_selectors import job_rejected_first, job_rows
from abonent.imports.selectors import job_rejected_csv
from abonent.imports.services import job_revert
from abonent.imports.views import job_or_404, progress_context

ROWS_PER_PAGE = 50
REJECTED_SHOWN = 20


def _may_revert(request: HttpRequest, job: ImportJob) -> bool:
    return (request.user.is_administrator and has_access(request.user, "imports", Access.WRITE)
            and job.status == JobStatus.DONE)


def _mapping_used(job: ImportJob) -> list[dict[str, str]]:
    fields = field_keys(job.kind)
    return [
        {"header": header, "field": str(fields[job.mapping[header]].label) if job.mapping[header] in fields
         else job.mapping[header], "country": job.column_countries.get(header, "")}
        for header in job.headers if job.mapping.get(header)
    ]


@module_required("imports", Access.READ)
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Status, who and when, the counts, the mapping used, the first rejected rows and the way to revert."""
    job = job_or_404(request, pk)
    duration = job.finished_at - job.started_at if job.finished_at and job.started_at else None
    match_labels = dict(MatchKey.choices)
    return render(request, "imports/job.html", {
        "job": job, "duration": duration_text(duration) if duration is not None else "",
        "mapping": _mapping_used(job), "ignored": [h for h in job.headers if not job.mapping.get(h)],
        "match_on": [match_labels.get(key, key) for key in job.match_on],
        "on_duplicate": dict(OnDuplicate.choices).get(job.on_duplicate, job.on_duplicate),
        "rejected_rows": job_rejected_first(job=job, limit=REJECTED_SHOWN) if job.rejected else [],
        "may_write": has_access(request.user, "imports", Access.WRITE), "may_revert": _may_revert(request, job),
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        **(progress_context(job) if job.status != JobStatus.NEW else {}),
    })


@module_required("imports", Access.READ)
def job_rows_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's rows in file order, by what became of them, each linking to its customer."""
    job = job_or_404(request, pk)
    status = request.GET.get("status", "")
    status = status if status in RowStatus.values else ""
    after = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else 0
    rows = list(job_rows(job=job, status=status, after=after, limit=ROWS_PER_PAGE + 1))
    more = len(rows) > ROWS_PER_PAGE
    rows = rows[:ROWS_PER_PAGE]
    counts = {RowStatus.CREATED: job.created, RowStatus.UPDATED: job.updated, RowStatus.SKIPPED: job.skipped,
              RowStatus.REJECTED: job.rejected}
    return render(request, "imports/rows.html", {
        "job": job, "rows": rows, "status": status, "after": after,
        "next_after": rows[-1].number if more else None,
        "tabs": [("", _("All"), job.total)] + [(s.value, s.label, counts[s]) for s in counts],
        "width": min(len(job.headers), 6),
    })


@module_required("imports", Access.READ)
def job_rejected_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as CSV: the file's own columns and an "errors" column; fixed, it imports again."""
    job = job_or_404(request, pk)
    audit_record(actor=request.user, action="abonent.imports.job.rejected_downloaded", target=job,
                 note=f"{job.rejected} rows")
    response = StreamingHttpResponse(job_rejected_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected.csv"'
    return response


@module_required("imports", Access.WRITE)
def job_revert_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then undo a finished job: its new customers are deleted, the fields it changed get their old values."""
    job = job_or_404(request, pk)
    if not request.user.is_administrator:
        raise PermissionDenied
    if request.method == "POST":
        try:
            job_revert(job=job, by=request.user, now=timezone.now())
        except AbonentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The import is being reverted on the server: the customers it created "
                                        "are deleted and the fields it changed get their old values back. You "
                                        "get a notification when it is done."))
        return redirect("imports:job", job.pk)
    if job.status != JobStatus.DONE:
        messages.error(request, _("Only a finished import can be reverted."))
        return redirect("imports:job", job.pk)
    return render(request, "imports/revert.html", {"job": job})
