"""When a rep works: their own page, or any rep's for agents and managers with write access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.accounts.models import User
from abonent.appointments.availability import holiday_name, public_holidays, rep_zone
from abonent.appointments.availability_services import (
    absence_add,
    absence_remove,
    rep_profile_get,
    rep_profile_save,
    working_hours_set,
)
from abonent.appointments.forms import AbsenceForm, RepProfileForm, WorkingHoursForm
from abonent.appointments.models import Absence, WorkingHours
from abonent.appointments.selectors import sees_every_rep
from abonent.appointments.services import AppointmentError
from abonent.appointments.slots import calendar_reps
from abonent.core.models import Channel
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access, Role

HOLIDAYS_SHOWN = 6


def _rep(request: HttpRequest, rep_id: int | None) -> User:
    """The rep whose page this is: oneself, or anyone for those who see every rep."""
    if rep_id is None or rep_id == request.user.pk:
        if request.user.role != Role.SALES_REP:
            raise Http404
        return request.user
    if not sees_every_rep(request.user):
        raise Http404
    rep = calendar_reps().filter(pk=rep_id).first()
    if rep is None:
        raise Http404
    return rep


def _may_edit(request: HttpRequest, rep: User) -> bool:
    return has_access(request.user, "appointments", Access.WRITE) and (
        rep.pk == request.user.pk or request.user.role in (Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN))


def _page(request: HttpRequest, rep: User, **forms_: forms.Form) -> HttpResponse:
    profile = rep_profile_get(rep=rep)
    tz = rep_zone(rep)
    today = timezone.localdate()
    upcoming = sorted(
        (day, name) for year in (today.year, today.year + 1)
        for day, name in public_holidays(profile.country, year).items() if day >= today
    )[:HOLIDAYS_SHOWN]
    context = {
        "rep": rep, "profile": profile, "rep_zone": str(tz), "can_edit": _may_edit(request, rep),
        "profile_form": forms_.get("profile_form") or RepProfileForm(initial={
            "time_zone": profile.time_zone, "country": profile.country, "region": profile.region_id,
            "buffer_minutes": profile.buffer_minutes, "max_meetings_per_day": profile.max_meetings_per_day}),
        "hours_form": forms_.get("hours_form") or WorkingHoursForm(
            initial=WorkingHoursForm.initial_from(WorkingHours.objects.filter(rep=rep).order_by("weekday", "start"))),
        "absence_form": forms_.get("absence_form") or AbsenceForm(),
        "absences": Absence.objects.filter(rep=rep, end__gt=timezone.now()).order_by("start"),
        "holidays": upcoming, "today_holiday": holiday_name(profile.country, today),
        "reps": calendar_reps() if sees_every_rep(request.user) else [],
    }
    return render(request, "appointments/availability.html", context)


@module_required("appointments", Access.READ)
def availability(request: HttpRequest, rep_id: int | None = None) -> HttpResponse:
    if rep_id is None and request.user.role != Role.SALES_REP:
        first = calendar_reps().first()
        if first is None:
            return render(request, "appointments/availability.html", {"rep": None, "reps": []})
        return redirect("appointments:availability_rep", rep_id=first.pk)
    return _page(request, _rep(request, rep_id))


@module_required("appointments", Access.WRITE)
@require_POST
def availability_save(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = _rep(request, rep_id)
    if not _may_edit(request, rep):
        raise Http404
    now = timezone.now()
    part = request.POST.get("part")
    if part == "profile":
        form = RepProfileForm(request.POST)
        if not form.is_valid():
            return _page(request, rep, profile_form=form)
        try:
            rep_profile_save(rep=rep, by=request.user, values=dict(form.cleaned_data), channel=Channel.UI, now=now)
        except AppointmentError as error:
            form.add_error(None, str(error))
            return _page(request, rep, profile_form=form)
    elif part == "hours":
        form = WorkingHoursForm(request.POST)
        try:
            if not form.is_valid():
                return _page(request, rep, hours_form=form)
            working_hours_set(rep=rep, by=request.user, hours=form.hours(), channel=Channel.UI, now=now)
        except (AppointmentError, forms.ValidationError) as error:
            form.add_error(None, error.message if isinstance(error, forms.ValidationError) else str(error))
            return _page(request, rep, hours_form=form)
    elif part == "absence":
        form = AbsenceForm(request.POST)
        if not form.is_valid():
            return _page(request, rep, absence_form=form)
        tz = rep_zone(rep)
        # The times are the rep's own wall-clock times, whatever the time zone of the person typing them.
        start, end = (timezone.make_naive(form.cleaned_data[k]).replace(tzinfo=tz) for k in ("start", "end"))
        try:
            absence_add(rep=rep, by=request.user, kind=form.cleaned_data["kind"], start=start, end=end,
                        note=form.cleaned_data["note"], channel=Channel.UI, now=now)
        except AppointmentError as error:
            form.add_error(None, str(error))
            return _page(request, rep, absence_form=form)
    else:
        raise Http404
    messages.success(request, _("Saved."))
    return redirect("appointments:availability_rep", rep_id=rep.pk)


@module_required("appointments", Access.WRITE)
@require_POST
def absence_remove_view(request: HttpRequest, rep_id: int, pk: int) -> HttpResponse:
    rep = _rep(request, rep_id)
    if not _may_edit(request, rep):
        raise Http404
    absence = Absence.objects.filter(rep=rep, pk=pk).first()
    if absence is None:
        raise Http404
    absence_remove(absence=absence, by=request.user, channel=Channel.UI, now=timezone.now())
    messages.success(request, _("The absence is removed."))
    return redirect("appointments:availability_rep", rep_id=rep.pk)
