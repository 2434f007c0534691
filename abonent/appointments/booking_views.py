"""The "Book a meeting" page: find the customer, see the free slots across reps (best first), book one."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from abonent.appointments.forms import BookingForm, SlotSearchForm
from abonent.appointments.services import AppointmentError, Place, SlotTakenError, meeting_book, party_place
from abonent.appointments.slots import calendar_reps, free_slots, rep_loads
from abonent.core.models import Channel
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.customers.models import Party

SLOTS_SHOWN = 30
SLOTS_PER_REP_DAY = 3
SEARCH_LIMIT = 20


def _customers_matching(query: str) -> list[Party]:
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(name__icontains=query) | Q(email__icontains=query)
    if len(digits) >= 3 and len(digits) >= len(query.replace(" ", "").replace("+", "")) - 1:
        match |= Q(phone__contains=digits)
    return list(Party.objects.active().filter(match).order_by("name", "id")[:SEARCH_LIMIT])


def booking_url(*, party_id: int, rep_id: int, start: dt.datetime, minutes: int) -> str:
    """The address that confirms one free slot."""
    query = urlencode({"party": party_id, "rep": rep_id, "start": start.isoformat(), "duration": minutes})
    return f"{reverse('appointments:book')}?{query}"


def _party(value: str) -> Party | None:
    return Party.objects.active().filter(pk=value).first() if value.isdigit() else None


@module_required("appointments", Access.WRITE)
def book(request: HttpRequest) -> HttpResponse:
    """Pick a customer, then a slot, then confirm what the meeting is about."""
    data = request.POST if request.method == "POST" else request.GET
    party = _party(data.get("party", ""))
    if party is None:
        query = request.GET.get("q", "")
        return render(request, "appointments/book.html", {
            "query": query, "customers": _customers_matching(query), "searched": bool(query.strip()),
        })
    if request.method == "POST":
        return _book_post(request, party)
    if request.GET.get("rep") and request.GET.get("start"):
        form = BookingForm(initial={"rep": request.GET["rep"], "start": request.GET["start"],
                                    "duration": request.GET.get("duration", 60)}, party=party)
        return _confirm_page(request, party, form)
    return _slots_page(request, party)


def _slots_page(request: HttpRequest, party: Party, *, status: int = 200) -> HttpResponse:
    searched = any(key != "party" for key in request.GET)
    form = SlotSearchForm(request.GET) if searched else SlotSearchForm(initial=SlotSearchForm.defaults())
    criteria = (form.cleaned_data if form.is_valid() else None) if searched else SlotSearchForm.defaults()
    now = timezone.now()
    slots, loads, reps = [], {}, []
    place = party_place(party=party, now=now)
    if criteria is not None:
        duration = dt.timedelta(minutes=criteria["duration"])
        ranked = free_slots(party=party, place=place, date_from=criteria["date_from"], date_to=criteria["date_to"],
                            team=criteria.get("team"), region=criteria.get("region"), rep=criteria.get("rep"),
                            duration=duration, now=now)
        slots = _varied(ranked)
        reps = list(calendar_reps().filter(working_hours__isnull=False).distinct())
        loads = rep_loads(reps=reps, date_from=criteria["date_from"], date_to=criteria["date_to"])
    tz = timezone.get_current_timezone()
    rows = [{
        "slot": s, "start": s.start.astimezone(tz), "end": s.end.astimezone(tz),
        "url": booking_url(party_id=party.pk, rep_id=s.rep_id, start=s.start,
                           minutes=int((s.end - s.start).total_seconds() // 60)),
    } for s in slots]
    calendar_url = f"{reverse('appointments:calendar')}?{urlencode({'party': party.pk})}"
    return render(request, "appointments/book.html", {
        "party": party, "place": place, "form": form, "rows": rows, "criteria": criteria,
        "loads": [(r, loads[r.pk]) for r in reps if r.pk in loads], "calendar_url": calendar_url,
    }, status=status)


def _varied(ranked: list) -> list:
    """The best slots, at most a few per rep and day, so the agent can offer the customer a real choice."""
    shown, per_day = [], {}
    for slot in ranked:
        key = (slot.rep_id, slot.start.date())
        if per_day.get(key, 0) >= SLOTS_PER_REP_DAY:
            continue
        per_day[key] = per_day.get(key, 0) + 1
        shown.append(slot)
        if len(shown) >= SLOTS_SHOWN:
            break
    return shown


def _confirm_page(request: HttpRequest, party: Party, form: BookingForm, *, status: int = 200) -> HttpResponse:
    start = form["start"].value()
    rep = form["rep"].value()
    rep_obj = calendar_reps().filter(pk=rep).first() if str(rep).isdigit() else None
    try:
        start_at = dt.datetime.fromisoformat(str(start)) if start else None
    except ValueError:
        start_at = None
    back = f"{reverse('appointments:book')}?{urlencode({'party': party.pk})}"
    return render(request, "appointments/book_confirm.html", {
        "party": party, "form": form, "rep": rep_obj, "back_url": back,
        "start": start_at.astimezone(timezone.get_current_timezone()) if start_at else None,
    }, status=status)


def _book_post(request: HttpRequest, party: Party) -> HttpResponse:
    form = BookingForm(request.POST, party=party)
    if not form.is_valid():
        return _confirm_page(request, party, form, status=400)
    data = form.cleaned_data
    address = form.addresses.get(data["address"]) if data.get("address") else None
    place = Place.of_address(address) if address is not None else Place(text=data["other_place"].strip())
    start = data["start"] if timezone.is_aware(data["start"]) else timezone.make_aware(data["start"])
    try:
        meeting = meeting_book(
            rep=data["rep"], party=party, start=start, end=start + dt.timedelta(minutes=data["duration"]),
            place=place, purpose=data["purpose"], by=request.user, channel=Channel.UI, note=data["note"],
            send_confirmation=data["send_confirmation"] and bool(party.email), now=timezone.now(),
        )
    except SlotTakenError as error:
        form.add_error(None, str(error))
        return _confirm_page(request, party, form, status=409)
    except AppointmentError as error:
        form.add_error(None, str(error))
        return _confirm_page(request, party, form, status=400)
    messages.success(request, _("The meeting is booked: %(rep)s, %(when)s.") % {
        "rep": meeting.rep, "when": timezone.localtime(meeting.start).strftime("%Y-%m-%d %H:%M")})
    return redirect("appointments:meeting", pk=meeting.pk)
