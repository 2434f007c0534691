"""Administrators' pages for the customer record: the call-center status list and the tracking scope."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.customers.forms import CallCenterStatusForm
from abonent.customers.models import CallCenterStatus
from abonent.customers.services import call_center_status_save, tracking_scope_update
from abonent.customers.tracking import trackables, untracked_fields


@module_required("settings", Access.WRITE)
def statuses(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The list of call-center statuses, with the form to add one or change the one chosen."""
    edited = get_object_or_404(CallCenterStatus, pk=pk) if pk else None
    form = CallCenterStatusForm(request.POST or None, instance=edited, prefix="status")
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.changed_data if edited else list(form.fields)
            # The form has already copied its values onto `edited`; the service compares with the stored row.
            stored = CallCenterStatus.objects.get(pk=edited.pk) if edited else CallCenterStatus()
            call_center_status_save(by=request.user, status=stored, values={f: form.cleaned_data[f] for f in fields})
        except IntegrityError:
            form.add_error("name", _("A status with this name exists already."))
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:statuses")
    return render(request, "customers/settings/statuses.html", {
        "form": form, "edited": edited, "statuses": CallCenterStatus.objects.all(),
    })


@module_required("settings", Access.WRITE)
def tracking(request: HttpRequest) -> HttpResponse:
    """Which fields' changes are written to customers' history: one tick per field."""
    groups = []
    for trackable in trackables():
        untracked = untracked_fields(trackable.entity)
        groups.append((trackable, [(code, label, code not in untracked) for code, label in trackable.fields()]))
    if request.method == "POST":
        wanted = {
            (t.entity, code): f"{t.entity}.{code}" in request.POST for t, rows in groups for code, _label, _on in rows
        }
        changed = tracking_scope_update(by=request.user, tracked=wanted)
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        return redirect("customers:tracking")
    return render(request, "customers/settings/tracking.html", {"groups": groups})
