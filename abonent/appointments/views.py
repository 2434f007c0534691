"""The calendar pages: the calendar (reps side by side for agents, one's own day/week/month for a rep),
its JSON feeds of meetings and free slots, a meeting's page with its status and move."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.accounts.models import Team
from abonent.appointments.availability import rep_zone
from abonent.appointments.availability_services import calendar_preference_get, calendar_preference_save
from abonent.appointments.booking_views import booking_url
from abonent.appointments.forms import MoveForm, PreferenceForm, StatusForm
from abonent.appointments.models import Meeting, MeetingStatus, WorkingHours
from abonent.appointments.selectors import (
    calendar_event,
    floating,
    meeting_get,
    meetings_in_range,
    sees_every_rep,
)
from abonent.appointments.services import MOVABLE, AppointmentError, meeting_move, meeting_set_status
from abonent.appointments.slots import calendar_reps, free_slots
from abonent.core.models import Channel
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.customers.models import Party

MAX_RANGE = dt.timedelta(days=62)


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "appointments", Access.WRITE)


def may_change(request: HttpRequest, meeting: Meeting) -> bool:
    return can_write(request) and (sees_every_rep(request.user) or meeting.rep_id == request.user.pk)


def _aware(value: str) -> dt.datetime | None:
    """A time the calendar sent: with an offset, or wall-clock time in the user's time zone."""
    try:
        moment = parse_datetime(value.replace(" ", "T")) if value else None
    except ValueError:
        return None
    if moment is None:
        try:
            moment = dt.datetime.combine(dt.date.fromisoformat(value[:10]), dt.time.min)
        except ValueError:
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _range(request: HttpRequest) -> tuple[dt.datetime, dt.datetime] | None:
    start, end = _aware(request.GET.get("start", "")), _aware(request.GET.get("end", ""))
    if start is None or end is None or end <= start or end - start > MAX_RANGE:
        return None
    return start, end


def _rep_ids(request: HttpRequest) -> list[int]:
    """The reps asked for by id (rep=1&rep=2), or the members of a team (team=3)."""
    ids = [int(v) for v in request.GET.getlist("rep") if v.isdigit()]
    team = request.GET.get("team", "")
    if team.isdigit():
        members = list(Team.objects.filter(pk=team).values_list("members", flat=True))
        ids = [i for i in ids if i in members] if ids else [m for m in members if m is not None] or [0]
    return ids


# --- the calendar page ---------------------------------------------------------------------------------


def _day_param(value: str) -> str:
    """?date=YYYY-MM-DD opens the calendar on that day (a link from a meeting); nonsense is ignored."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


@module_required("appointments", Access.READ)
def calendar(request: HttpRequest) -> HttpResponse:
    """Reps side by side (resource view) for agents and managers; their own calendar for a rep."""
    preference = calendar_preference_get(user=request.user)
    every_rep = sees_every_rep(request.user)
    reps = list(calendar_reps()) if every_rep else [request.user]
    team = Team.objects.filter(pk=request.GET.get("team")).first() if request.GET.get("team", "").isdigit() else None
    if team is not None:
        reps = [r for r in reps if team.members.filter(pk=r.pk).exists()]
    party = None
    if every_rep and request.GET.get("party", "").isdigit():
        party = Party.objects.active().filter(pk=request.GET["party"]).first()
    hours = WorkingHours.objects.filter(rep__in=reps)
    earliest = min((h.start for h in hours), default=dt.time(8))
    latest = max((h.end for h in hours), default=dt.time(18))
    config = {
        "resourceView": every_rep,
        "view": preference.view,
        "days": preference.days,
        "resources": [{"id": r.pk, "title": r.get_full_name() or r.get_username()} for r in reps],
        "eventsUrl": reverse("appointments:events"),
        "freeUrl": reverse("appointments:free_json") if party is not None else "",
        "party": party.pk if party is not None else None,
        "bookUrl": reverse("appointments:book"),
        "moveUrl": reverse("appointments:meeting_move", args=[0]),
        "canWrite": can_write(request),
        "slotMinTime": f"{max(0, earliest.hour - 1):02d}:00",
        "slotMaxTime": f"{min(24, latest.hour + (2 if latest.minute else 1)):02d}:00",
        "locale": request.LANGUAGE_CODE,
        "teamParam": team.pk if team else None,
        "date": _day_param(request.GET.get("date", "")),
        "texts": {
            "day": _("Day"), "week": _("Week"), "month": _("Month"), "list": _("List"), "today": _("Today"),
            "noFreeSlot": _("No free slot starts here. Pick a green time."),
            "moveFailed": _("The meeting could not be moved."),
            "free": _("Free"),
        },
    }
    return render(request, "appointments/calendar.html", {
        "config": config, "every_rep": every_rep, "party": party, "teams": Team.objects.all() if every_rep else [],
        "team": team, "preference_form": PreferenceForm(initial={"view": preference.view, "days": preference.days}),
        "can_write": can_write(request),
    })


@module_required("appointments", Access.READ)
def events(request: HttpRequest) -> JsonResponse:
    """The meetings the user may see in [start, end) as the calendar widget reads them."""
    bounds = _range(request)
    if bounds is None:
        return JsonResponse({"error": _("Give a start and an end at most two months apart.")}, status=400)
    tz = timezone.get_current_timezone()
    rows = meetings_in_range(user=request.user, start=bounds[0], end=bounds[1], rep_ids=_rep_ids(request))
    writable = can_write(request)
    every_rep = sees_every_rep(request.user)
    return JsonResponse([
        calendar_event(m, tz=tz, url=reverse("appointments:meeting", args=[m.pk]),
                       editable=writable and m.status in MOVABLE and (every_rep or m.rep_id == request.user.pk))
        for m in rows
    ], safe=False)


@module_required("appointments", Access.READ)
def free_json(request: HttpRequest) -> JsonResponse:
    """Free slots for a customer as background events, with the address that books each."""
    if not sees_every_rep(request.user):
        return JsonResponse([], safe=False)
    bounds = _range(request)
    party = Party.objects.active().filter(pk=request.GET.get("party") or 0).first() if request.GET.get(
        "party", "").isdigit() else None
    if bounds is None or party is None:
        return JsonResponse({"error": _("Give a customer, a start and an end.")}, status=400)
    tz = timezone.get_current_timezone()
    duration = int(request.GET.get("duration", "60")) if request.GET.get("duration", "").isdigit() else 60
    now = timezone.now()
    first, last = bounds[0].astimezone(tz).date(), (bounds[1] - dt.timedelta(seconds=1)).astimezone(tz).date()
    slots = free_slots(party=party, date_from=first, date_to=last, duration=dt.timedelta(minutes=duration), now=now)
    rep_ids = set(_rep_ids(request))
    runs: list[dict] = []
    for slot in sorted((s for s in slots if not rep_ids or s.rep_id in rep_ids), key=lambda s: (s.rep_id, s.start)):
        offer = {"start": floating(slot.start, tz),
                 "bookUrl": booking_url(party_id=party.pk, rep_id=slot.rep_id, start=slot.start, minutes=duration)}
        last = runs[-1] if runs else None
        if last and last["resourceId"] == slot.rep_id and last["_end"] >= slot.start:
            last["_end"] = max(last["_end"], slot.end)
            last["extendedProps"]["slots"].append(offer)
            continue
        runs.append({"resourceId": slot.rep_id, "_start": slot.start, "_end": slot.end, "display": "background",
                     "color": "#75b798", "extendedProps": {"kind": "free", "slots": [offer]}})
    # One background event per stretch of free time; each keeps the slots that start inside it.
    for run in runs:
        run["start"], run["end"] = floating(run.pop("_start"), tz), floating(run.pop("_end"), tz)
    return JsonResponse(runs, safe=False)


@module_required("appointments", Access.READ)
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Remember the user's default view and number of days (everyone's own setting)."""
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            calendar_preference_save(user=request.user, view=form.cleaned_data["view"], days=form.cleaned_data["days"])
            messages.success(request, _("Your calendar settings are saved."))
        except AppointmentError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose a view and between 1 and 14 days."))
    return redirect("appointments:calendar")


# --- a meeting ---------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    try:
        return meeting_get(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _meeting_page(request: HttpRequest, meeting: Meeting, *, move_form: MoveForm | None = None,
                  status: int = 200) -> HttpResponse:
    tz = rep_zone(meeting.rep)
    if move_form is None:
        local = meeting.start.astimezone(timezone.get_current_timezone())
        move_form = MoveForm(initial={"day": local.date(), "time": local.time().replace(second=0),
                                      "duration": int(meeting.duration.total_seconds() // 60), "rep": meeting.rep})
    changeable = may_change(request, meeting)
    return render(request, "appointments/meeting.html", {
        "meeting": meeting, "rep_start": meeting.start.astimezone(tz), "rep_end": meeting.end.astimezone(tz),
        "rep_zone": str(tz), "other_zone": str(tz) != timezone.get_current_timezone_name(),
        "can_change": changeable, "can_move": changeable and meeting.status in MOVABLE,
        "move_form": move_form, "status_form": StatusForm(initial={"outcome_note": meeting.outcome_note}),
        "next_statuses": _next_statuses(meeting), "customer_url": reverse("customers:party", args=[meeting.party_id]),
    }, status=status)


def _next_statuses(meeting: Meeting) -> list[tuple[str, str, str]]:
    from abonent.appointments.services import NEXT_STATUSES

    styles = {MeetingStatus.CONFIRMED: "btn-success", MeetingStatus.DONE: "btn-outline-secondary",
              MeetingStatus.NO_SHOW: "btn-outline-danger", MeetingStatus.CANCELLED: "btn-outline-danger",
              MeetingStatus.PLANNED: "btn-outline-primary"}
    labels = {MeetingStatus.CONFIRMED: _("Confirm"), MeetingStatus.DONE: _("Done"),
              MeetingStatus.NO_SHOW: _("No-show"), MeetingStatus.CANCELLED: _("Cancel the meeting"),
              MeetingStatus.PLANNED: _("Back to planned")}
    order = [MeetingStatus.CONFIRMED, MeetingStatus.DONE, MeetingStatus.NO_SHOW, MeetingStatus.PLANNED,
             MeetingStatus.CANCELLED]
    allowed = NEXT_STATUSES[MeetingStatus(meeting.status)]
    return [(s.value, labels[s], styles[s]) for s in order if s in allowed]


@module_required("appointments", Access.READ)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@module_required("appointments", Access.WRITE)
@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not may_change(request, meeting):
        raise Http404
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("appointments:meeting", pk=pk)
    try:
        meeting_set_status(meeting=meeting, status=form.cleaned_data["status"], by=request.user,
                           outcome_note=form.cleaned_data["outcome_note"], channel=Channel.UI, now=timezone.now())
        messages.success(request, _("The meeting is saved."))
    except AppointmentError as error:
        messages.error(request, str(error))
    return redirect("appointments:meeting", pk=pk)


@module_required("appointments", Access.WRITE)
@require_POST
def meeting_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a meeting: from the meeting's form, or as JSON when it is dragged in the calendar."""
    meeting = _meeting(request, pk)
    if not may_change(request, meeting):
        raise Http404
    if request.content_type == "application/json":
        return _move_json(request, meeting)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, move_form=form, status=400)
    rep = form.cleaned_data["rep"] if sees_every_rep(request.user) else meeting.rep
    start = timezone.make_aware(dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"]))
    try:
        meeting_move(meeting=meeting, start=start, end=start + dt.timedelta(minutes=form.cleaned_data["duration"]),
                     rep=rep, by=request.user, channel=Channel.UI, now=timezone.now())
    except AppointmentError as error:
        messages.error(request, str(error))
        return redirect("appointments:meeting", pk=pk)
    messages.success(request, _("The meeting is moved."))
    return redirect("appointments:meeting", pk=pk)


def _move_json(request: HttpRequest, meeting: Meeting) -> JsonResponse:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = {}
    start, end = _aware(str(data.get("start", ""))), _aware(str(data.get("end", "")))
    if start is None or end is None:
        return JsonResponse({"error": _("The calendar sent a time that could not be read.")}, status=400)
    rep = meeting.rep
    if data.get("rep") and str(data["rep"]) != str(meeting.rep_id):
        if not sees_every_rep(request.user):
            return JsonResponse({"error": _("You can move only your own meetings.")}, status=403)
        rep = calendar_reps().filter(pk=str(data["rep"])).first()
        if rep is None:
            return JsonResponse({"error": _("That sales rep cannot be booked.")}, status=400)
    try:
        moved = meeting_move(meeting=meeting, start=start, end=end, rep=rep, by=request.user, channel=Channel.UI,
                             now=timezone.now())
    except AppointmentError as error:
        return JsonResponse({"error": str(error)}, status=409)
    tz = timezone.get_current_timezone()
    return JsonResponse({"ok": True, "start": floating(moved.start, tz), "end": floating(moved.end, tz)})
