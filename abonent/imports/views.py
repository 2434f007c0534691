"""The import's steps as pages: upload a file, map its columns, preview the first rows, start, watch the progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.forms import country_choices
from abonent.customers.models import PartyKind, Stage
from abonent.imports.fields import ATTRIBUTE_PREFIX, fields_for
from abonent.imports.forms import (
    COUNTRY_TYPES,
    LANGUAGE_COUNTRY,
    MappingForm,
    UploadForm,
    mapping_initial,
    max_mb,
)
from abonent.imports.lists import sees_every_job
from abonent.imports.models import ImportJob, JobStatus, MappingTemplate
from abonent.imports.selectors import job_preview, job_progress, mapping_template_list
from abonent.imports.services import job_configure, job_create, job_start, mapping_template_save

SAMPLES_PER_COLUMN = 3
PREVIEW_ROWS = 20
# Names a new customer can get its name from: any one of them satisfies "Name".
NAME_FIELDS = ("name", "first_name", "last_name", "organisation")
SHOWN_IN_NAME = ("first_name", "last_name")
SHORT_LABELS = {"name": _lazy("Name"), "kind": _lazy("Kind"), "tax_id": _lazy("Tax ID"), "iban": _lazy("IBAN")}
CHOICE_LABELS = {"kind": dict(PartyKind.choices), "stage": dict(Stage.choices)}


def job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    """The job, if the user may see it: managers and administrators every job, others their own."""
    job = ImportJob.objects.select_related("created_by", "template", "reverted_by").filter(pk=pk).first()
    if job is None or (not sees_every_job(request.user) and job.created_by_id != request.user.pk):
        raise Http404
    return job


def _not_new(request: HttpRequest, job: ImportJob) -> HttpResponse:
    messages.info(request, _("This import has already started; its mapping can no longer change."))
    return redirect("imports:job", job.pk)


# --- 1. upload --------------------------------------------------------------------------------------------


@module_required("imports", Access.WRITE)
def job_upload(request: HttpRequest) -> HttpResponse:
    """Receive a CSV or spreadsheet file; its rows are read later, so this answers at once."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = job_create(source=upload, filename=upload.name, by=request.user, now=timezone.now())
        except AbonentError as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:mapping", job.pk)
    return render(request, "imports/upload.html", {"form": form, "max_mb": max_mb()})


# --- 2. mapping -------------------------------------------------------------------------------------------


def _samples(job: ImportJob, index: int) -> list[str]:
    values = []
    for row in job.sample:
        value = row[index].strip() if index < len(row) else ""
        if value:
            values.append(value)
        if len(values) == SAMPLES_PER_COLUMN:
            break
    return values


def _country_proposed(request: HttpRequest, job: ImportJob) -> str:
    """The country of the user's previous import, else the one of their language (Czech → CZ), else none."""
    last = (ImportJob.objects.filter(created_by=request.user).exclude(pk=job.pk).exclude(country_default="")
            .order_by("-pk").values_list("country_default", flat=True).first())
    return last or LANGUAGE_COUNTRY.get((get_language() or "en").split("-")[0], "")


def _initial(request: HttpRequest, job: ImportJob, template: MappingTemplate | None) -> dict[str, Any]:
    if template is not None:
        return mapping_initial(headers=job.headers, mapping=template.mapping,
                               column_countries=template.column_countries,
                               country_default=template.country_default, match_on=template.match_on,
                               on_duplicate=template.on_duplicate, template=template)
    return mapping_initial(headers=job.headers, mapping=job.mapping, column_countries=job.column_countries,
                           country_default=job.country_default or _country_proposed(request, job),
                           match_on=job.match_on, on_duplicate=job.on_duplicate, template=job.template)


def _mapping_rows(job: ImportJob, form: MappingForm, proposed: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"index": index, "header": header, "samples": _samples(job, index), "field": form[f"field_{index}"],
         "chosen": str(form[f"field_{index}"].value() or ""), "country": form[f"country_{index}"],
         "proposed": bool(proposed.get(header))}
        for index, header in enumerate(job.headers)
    ]


def _required(form: MappingForm) -> list[dict[str, Any]]:
    """The fields a new customer needs, and whether a column now gives them."""
    chosen = {str(form[f"field_{i}"].value() or "") for i in range(len(form.headers))}
    needed = [{"label": _("Name (or first and last name, or organisation name)"),
               "mapped": bool(chosen & set(NAME_FIELDS))}]
    needed += [{"label": f.label, "mapped": f.key in chosen}
               for f in form.target_fields if f.required and f.key not in NAME_FIELDS]
    return needed


@module_required("imports", Access.WRITE)
def job_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Say which field each column of the file goes to, the default country and the rules for duplicates."""
    job = job_or_404(request, pk)
    if job.status != JobStatus.NEW:
        return _not_new(request, job)
    templates = mapping_template_list(kind=job.kind)
    applied = None
    if request.method == "GET" and request.GET.get("template", "").isdigit():
        applied = templates.filter(pk=request.GET["template"]).first()
    fields = fields_for(job.kind)
    form = MappingForm(request.POST or None, headers=job.headers, fields=fields, templates=templates,
                       initial=_initial(request, job, applied))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rules = {"mapping": form.mapping(), "country_default": data["country_default"],
                 "column_countries": form.column_countries(), "on_duplicate": data["on_duplicate"],
                 "match_on": data["match_on"]}
        name = data["template_name"].strip()
        try:
            # Saving the template and the job together: a mapping the job refuses leaves no template behind.
            with transaction.atomic():
                template = data["template"]
                if name:
                    template = mapping_template_save(name=name, kind=job.kind, by=request.user, now=timezone.now(),
                                                     **rules)
                job_configure(job=job, by=request.user, template=template, **rules)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            if name:
                messages.success(request, _("The mapping is saved as the template “%(name)s”.") % {"name": name})
            return redirect("imports:preview", job.pk)
    missing_columns = [h for h in applied.mapping if h not in job.headers] if applied else []
    return render(request, "imports/mapping.html", {
        "job": job, "form": form, "rows": _mapping_rows(job, form, job.mapping), "required": _required(form),
        "record_fields": [f for f in fields if not f.key.startswith(ATTRIBUTE_PREFIX)],
        "attribute_fields": [f for f in fields if f.key.startswith(ATTRIBUTE_PREFIX)],
        "country_fields": [f.key for f in fields if f.type in COUNTRY_TYPES], "countries": country_choices(),
        "templates": templates, "applied": applied, "missing_columns": missing_columns,
        "delimiter": _("tab") if job.delimiter == "\t" else job.delimiter,
    })


# --- 3. preview -------------------------------------------------------------------------------------------


def _preview_columns(job: ImportJob, rows: list) -> list[tuple[str, str]]:
    """The fields the preview shows: those any previewed row has a value for, in the mapping screen's order."""
    present = {key for row in rows for key, value in row.values.items() if value}
    # The name shows the first and last names already; they are stored as read.
    return [(f.key, SHORT_LABELS.get(f.key, f.label)) for f in fields_for(job.kind)
            if f.key in present and f.key not in SHOWN_IN_NAME]


@module_required("imports", Access.WRITE)
def job_preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The first rows as they will be stored, each with its problems; the Start button."""
    job = job_or_404(request, pk)
    if job.status != JobStatus.NEW:
        return redirect("imports:progress", job.pk)
    try:
        rows = job_preview(job=job, rows=PREVIEW_ROWS)
    except AbonentError as error:
        messages.error(request, str(error))
        return redirect("imports:mapping", job.pk)
    columns = _preview_columns(job, rows)
    table = [
        {"row": row, "cells": [CHOICE_LABELS.get(key, {}).get(row.values.get(key, ""), row.values.get(key, ""))
                               for key, _label in columns]}
        for row in rows
    ]
    counts = {action: sum(1 for row in rows if row.action == action)
              for action in ("create", "update", "skip", "reject")}
    return render(request, "imports/preview.html", {
        "job": job, "columns": columns, "table": table, "counts": counts, "shown": len(rows),
        "summary": ngettext("The first %(n)s row of the file, as it will be stored.",
                            "The first %(n)s rows of the file, as they will be stored.", len(rows)) % {"n": len(rows)},
    })


@require_POST
@module_required("imports", Access.WRITE)
def job_start_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Stage the file's rows and hand the job to the background worker."""
    job = job_or_404(request, pk)
    try:
        job_start(job=job, by=request.user, now=timezone.now())
    except AbonentError as error:
        messages.error(request, str(error))
        return redirect("imports:job", job.pk)
    return redirect("imports:progress", job.pk)


# --- 4. progress ------------------------------------------------------------------------------------------


def _time_left(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return ngettext("about %(n)s second", "about %(n)s seconds", seconds) % {"n": seconds}
    minutes = (seconds + 59) // 60
    return ngettext("about %(n)s minute", "about %(n)s minutes", minutes) % {"n": minutes}


def progress_context(job: ImportJob) -> dict[str, Any]:
    """What the progress box shows: rows done of all, the percentage, the rate, the time left and the counts."""
    progress = job_progress(job)
    job.refresh_from_db(fields=["status", "processed", "total", "created", "updated", "skipped", "rejected",
                                "started_at", "finished_at", "error"])
    percent = 100 if progress.total == 0 and job.is_finished else (
        int(progress.done * 100 / progress.total) if progress.total else 0)
    return {
        "progress": progress, "percent": percent, "finished": job.is_finished,
        "rate": round(progress.rate_per_s) if progress.rate_per_s else None,
        "time_left": _time_left(progress.seconds_left) if not job.is_finished else "",
        "counts": [("created", _("Created"), job.created, "success"), ("updated", _("Updated"), job.updated, "primary"),
                   ("skipped", _("Skipped"), job.skipped, "secondary"),
                   ("rejected", _("Rejected"), job.rejected, "danger")],
    }


@module_required("imports", Access.READ)
def job_progress_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Rows done, rate and time left; with HTMX only the progress box, which polls itself until the job ends."""
    job = job_or_404(request, pk)
    if job.status == JobStatus.NEW:
        return redirect("imports:mapping" if request.user.module_access("imports") >= Access.WRITE else "imports:job",
                        job.pk)
    from_job = request.GET.get("from") == "job"
    context = {"job": job, "from_job": from_job, **progress_context(job)}
    if not request.htmx:
        return render(request, "imports/progress.html", context)
    response = render(request, "imports/_progress.html", context)
    if from_job and job.is_finished:
        response["HX-Refresh"] = "true"  # the job page shows the rejected rows and the revert button once done
    return response
