"""Booking a sales rep's meeting from the call panel: free slots for the customer, then book and log the call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from abonent.appointments.services import SlotTakenError
from abonent.appointments.slots import calendar_reps, free_slots
from abonent.callcenter.call_services import call_book_meeting
from abonent.callcenter.models import Campaign
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party
from abonent.customers.party_views import writable_party

DAYS_AHEAD = 7
SLOTS_SHOWN = 12
SLOTS_PER_REP_DAY = 2


def can_book(request: HttpRequest) -> bool:
    """Booking from the call panel needs write access to both the call center and the calendar."""
    return has_access(request.user, "callcenter", Access.WRITE) and has_access(request.user, "appointments",
                                                                              Access.WRITE)


class MeetingFromCallForm(forms.Form):
    rep = forms.ModelChoiceField(queryset=calendar_reps())
    start = forms.DateTimeField()
    end = forms.DateTimeField()
    purpose = forms.CharField(label=gettext_lazy("What about"), max_length=200)
    confirm = forms.BooleanField(required=False)


def slot_rows(*, party: Party, now: dt.datetime) -> list[dict[str, Any]]:
    """The best free slots of the coming days, a few per rep and day so the customer has a real choice."""
    today = timezone.localdate(now)
    ranked = free_slots(party=party, date_from=today, date_to=today + dt.timedelta(days=DAYS_AHEAD), now=now,
                        limit=SLOTS_SHOWN * 10)
    rows, per_day = [], {}
    for slot in ranked:
        key = (slot.rep_id, timezone.localtime(slot.start).date())
        if per_day.get(key, 0) >= SLOTS_PER_REP_DAY:
            continue
        per_day[key] = per_day.get(key, 0) + 1
        rows.append({"slot": slot, "start": timezone.localtime(slot.start), "end": timezone.localtime(slot.end)})
        if len(rows) >= SLOTS_SHOWN:
            break
    return sorted(rows, key=lambda r: (r["start"], r["slot"].rep_name))


def slots_fragment(request: HttpRequest, party: Party, *, error: str = "", purpose: str = "",
                   confirm: bool | None = None) -> HttpResponse:
    return render(request, "callcenter/_meeting_slots.html", {
        "party": party, "rows": slot_rows(party=party, now=timezone.now()), "error": error,
        "purpose": purpose or _("Offer"), "confirm": bool(party.email) if confirm is None else confirm,
    })


@module_required("callcenter", Access.WRITE)
def meeting_slots(request: HttpRequest, pk: int) -> HttpResponse:
    """The free slots for the customer, to offer while on the phone."""
    if not can_book(request):
        raise PermissionDenied
    return slots_fragment(request, writable_party(pk))


def _int(value: str, default: int = 0) -> int:
    return int(value) if value.strip().isdigit() else default


@module_required("callcenter", Access.WRITE)
@require_POST
def meeting_book_from_call(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the chosen slot and log the call as "meeting booked"; a slot just taken shows fresh slots."""
    if not can_book(request):
        raise PermissionDenied
    party = writable_party(pk)
    form = MeetingFromCallForm(request.POST)
    purpose = request.POST.get("purpose", "")
    confirm = request.POST.get("confirm") == "on"
    if not form.is_valid():
        return _refused(request, party, _("Choose a slot and say what the meeting is about."), purpose, confirm)
    data = form.cleaned_data
    campaign_id = request.POST.get("call-campaign", "")
    campaign = Campaign.objects.filter(pk=campaign_id, active=True).first() if campaign_id.isdigit() else None
    try:
        call = call_book_meeting(
            party=party, agent=request.user, rep=data["rep"], start=data["start"], end=data["end"],
            purpose=data["purpose"], note=request.POST.get("call-note", ""),
            duration=min(_int(request.POST.get("call-duration", "")), 24 * 3600),
            next_step=request.POST.get("call-next_step", "")[:200], campaign=campaign, send_confirmation=confirm,
            now=timezone.now(),
        )
    except SlotTakenError as error:
        return _refused(request, party, str(error), purpose, confirm)
    except AbonentError as error:
        return _refused(request, party, str(error), purpose, confirm)
    when = formats.date_format(timezone.localtime(call.meeting.start), "SHORT_DATETIME_FORMAT")
    message = _("Meeting booked with %(rep)s on %(when)s; call logged.") % {"rep": data["rep"], "when": when}
    if request.htmx:
        from abonent.callcenter.call_views import calls_tab

        response = calls_tab(request, party, saved=True)
        flash = render_to_string("customers/party/_flash.html", {"message": message})
        response.content = flash.encode() + response.content
        return response
    messages.success(request, message)
    return redirect(f"{reverse('customers:party', args=[party.pk])}?tab=calls&saved=1")


def _refused(request: HttpRequest, party: Party, error: str, purpose: str, confirm: bool) -> HttpResponse:
    """The reason and fresh slots, in place of the old ones; the call panel keeps what was typed."""
    if not request.htmx:
        messages.error(request, error)
        return redirect(f"{reverse('customers:party', args=[party.pk])}?tab=calls&meeting=1")
    response = slots_fragment(request, party, error=error, purpose=purpose, confirm=confirm)
    response["HX-Retarget"] = "#meeting-slots"
    response["HX-Reswap"] = "innerHTML"
    return response
