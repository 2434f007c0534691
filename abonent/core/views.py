from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from huey.contrib.djhuey import HUEY

from abonent.core.forms import AuditFilterForm, ClosePeriodForm, DocumentSeriesForm
from abonent.core.models import ClosedPeriod, DocumentSeries
from abonent.core.permissions import module_required, staff_required
from abonent.core.roles import Access, Role
from abonent.core.selectors import audit_list
from abonent.core.services import AbonentError, favourite_toggle, period_close, period_reopen, series_save

AUDIT_PAGE = 50


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the job queue answer; 503 when either does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        HUEY.storage.queue_size()
        checks["queue"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["queue"] = f"error: {error.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@staff_required
@require_POST
def favourite(request: HttpRequest) -> HttpResponse:
    """Pin or unpin the page the user is on."""
    url = request.POST.get("url", "")
    # A backslash counts as a slash to browsers: "/\evil.example" would be a link off the site.
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return HttpResponse(status=400)
    favourite_toggle(user=request.user, url=url, title=request.POST.get("title", ""))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(url)


@module_required("audit", Access.READ)
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    users = get_user_model().objects.filter(auditentry__isnull=False).distinct().order_by("username")
    form.fields["actor"].widget.choices = [("", _("Anyone")), *((u.pk, str(u)) for u in users)]
    entries = []
    if form.is_valid():
        data = form.cleaned_data
        entries = list(audit_list(
            actor_id=data["actor"], action=data["action"], channel=data["channel"], target=data["target"],
            since=data["since"], until=data["until"], before_id=data["before"],
        )[: AUDIT_PAGE + 1])
    has_more = len(entries) > AUDIT_PAGE
    entries = entries[:AUDIT_PAGE]
    next_query = None
    if has_more:
        query = request.GET.copy()
        query["before"] = entries[-1].id
        next_query = query.urlencode()
    return render(request, "core/audit.html", {"form": form, "entries": entries, "next_query": next_query})


@module_required("settings", Access.READ)
def periods(request: HttpRequest) -> HttpResponse:
    form = ClosePeriodForm(request.POST or None)
    if request.method == "POST":
        if request.user.module_access("settings") < Access.WRITE:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                period_close(
                    by=request.user, active_from=data["active_from"],
                    active_to=data["last_day"] + dt.timedelta(days=1), domain=data["domain"], note=data["note"],
                )
                messages.success(request, _("The period is closed."))
                return redirect("core:periods")
            except AbonentError as error:
                form.add_error(None, str(error))
    return render(request, "core/periods.html", {
        "form": form, "periods": ClosedPeriod.objects.select_related("closed_by"),
        "modules": settings.ABONENT_MODULES, "can_reopen": request.user.role == Role.SUPERADMIN,
        "can_write": request.user.module_access("settings") >= Access.WRITE,
    })


@module_required("settings", Access.WRITE)
@require_POST
def period_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ClosedPeriod, pk=pk)
    try:
        period_reopen(by=request.user, period=period)
        messages.success(request, _("The period is open again."))
    except AbonentError as error:
        messages.error(request, str(error))
    return redirect("core:periods")


@module_required("settings", Access.READ)
def series_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/series_list.html", {
        "series": DocumentSeries.objects.prefetch_related("counters"),
        "can_write": request.user.module_access("settings") >= Access.WRITE,
    })


@module_required("settings", Access.WRITE)
def series_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    series = get_object_or_404(DocumentSeries, pk=pk) if pk else None
    form = DocumentSeriesForm(request.POST or None, instance=series)
    if form.is_valid():
        try:
            series_save(by=request.user, series=form.save(commit=False), changed=form.changed_data)
        except IntegrityError:
            form.add_error("is_default", _("Another series is already the default for this document type."))
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("core:series_list"))
    return render(request, "core/series_edit.html", {"form": form, "edited": series})
