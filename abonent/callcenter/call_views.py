"""The agent's call panel (a tab of the customer page), a call's page with its quality review, campaigns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.callcenter.call_services import (
    CallError,
    call_log,
    campaign_add_parties,
    campaign_save,
    is_supervisor,
    quality_review_save,
)
from abonent.callcenter.forms import CallForm, CampaignAddForm, CampaignForm, QualityReviewForm
from abonent.callcenter.meeting_views import can_book, slot_rows
from abonent.callcenter.models import QUALITY_CHECKS, Call, Campaign, CampaignTarget, PartyCallState
from abonent.callcenter.selectors import campaigns_open, outcomes_offered, party_calls, party_requests
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party
from abonent.customers.party_views import as_of_day, with_errors, writable_party


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "callcenter", Access.WRITE)


def _call_form(data: Any = None, *, party: Party) -> CallForm:
    today = timezone.localdate()
    campaigns = campaigns_open(today=today)
    initial = {}
    open_target = CampaignTarget.objects.filter(party=party, reached_at__isnull=True,
                                                campaign__in=campaigns).order_by("-added_at").first()
    if open_target:
        initial["campaign"] = open_target.campaign_id
    return CallForm(data, outcomes=outcomes_offered(), campaigns=campaigns, initial=initial, prefix="call")


def calls_tab(request: HttpRequest, party: Party, *, form: CallForm | None = None, saved: bool = False
              ) -> HttpResponse:
    """The call panel (for agents who may write), the customer's recent calls and service requests."""
    writable = can_write(request) and as_of_day(request) is None and not party.merged_into_id
    form = form or (_call_form(party=party) if writable else None)
    saved = saved or request.GET.get("saved") == "1"
    booking = writable and can_book(request)
    return render(request, "callcenter/tab_calls.html", {
        "party": party, "form": form, "can_write": writable, "saved": saved, "can_book": booking,
        "meeting_rows": slot_rows(party=party, now=timezone.now()) if booking and request.GET.get("meeting") else None,
        "outcomes": list(form.fields["outcome"].queryset) if form else [],
        "calls": party_calls(party=party), "requests": party_requests(party=party),
        "state": PartyCallState.objects.filter(party=party).first(), "now": timezone.now(),
    })


@module_required("callcenter", Access.WRITE)
@require_POST
def call_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Log the call from the panel; on any error the panel comes back with everything typed still in it."""
    party = writable_party(pk)
    form = _call_form(request.POST, party=party)
    if form.is_valid():
        data = form.cleaned_data
        try:
            call_log(party=party, agent=request.user, outcome=data["outcome"], note=data["note"],
                     duration=data["duration"], callback_at=data["callback_at"], campaign=data["campaign"],
                     next_step=data["next_step"], now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            party.refresh_from_db()
            if request.htmx:
                response = calls_tab(request, party, saved=True)
                flash = render_to_string("customers/party/_flash.html", {"message": _("Call logged.")})
                response.content = flash.encode() + response.content
                return response
            messages.success(request, _("Call logged."))
            return redirect(f"{party_url(party)}?tab=calls&saved=1")
    return with_errors(request, party, "calls", calls_tab(request, party, form=form))


def party_url(party: Party) -> str:
    return reverse("customers:party", args=[party.pk])


# --- a call and its review -----------------------------------------------------------------------------


@module_required("callcenter", Access.READ)
def call_page(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("party", "agent", "outcome", "campaign", "status_after"),
                             pk=pk)
    review = getattr(call, "review", None)  # None until a supervisor reviews it
    may_review = is_supervisor(request.user) and can_write(request)
    form = None
    if may_review:
        initial = {"checks": review.checks, "comment": review.comment} if review else {}
        form = QualityReviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                quality_review_save(call=call, reviewer=request.user, checks=form.cleaned_data["checks"],
                                    comment=form.cleaned_data["comment"], now=timezone.now())
            except CallError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Review saved."))
                return redirect("callcenter:call", pk=call.pk)
    elif request.method == "POST":
        raise PermissionDenied
    labels = dict(QUALITY_CHECKS)
    return render(request, "callcenter/call.html", {
        "call": call, "review": review, "form": form,
        "review_checks": [(labels[c], c in (review.checks if review else [])) for c, _l in QUALITY_CHECKS],
    })


# --- campaigns -------------------------------------------------------------------------------------------


@module_required("callcenter", Access.READ)
def campaigns(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The campaigns with their progress; supervisors add or change one and add customers to it."""
    may_edit = is_supervisor(request.user) and can_write(request)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    edited = get_object_or_404(Campaign, pk=pk) if pk else None
    adding = request.method == "POST" and "add-submit" in request.POST
    form = CampaignForm(None if adding else (request.POST or None), instance=edited, prefix="campaign")
    add_form = CampaignAddForm(request.POST if adding else None, prefix="add") if edited else None
    if adding and add_form is not None:
        if add_form.is_valid():
            try:
                added = campaign_add_parties(campaign=edited, parties=_campaign_parties(add_form.cleaned_data),
                                             by=request.user, now=timezone.now())
            except AbonentError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("%(n)s customers added.") % {"n": added})
                return redirect("callcenter:campaign", pk=edited.pk)
    elif request.method == "POST" and form.is_valid():
        fields = form.changed_data if edited else list(form.fields)
        stored = Campaign.objects.get(pk=edited.pk) if edited else Campaign()
        try:
            saved = campaign_save(by=request.user, campaign=stored, values={f: form.cleaned_data[f] for f in fields},
                                  now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("callcenter:campaign", pk=saved.pk)
    rows = Campaign.objects.annotate(
        to_call=Count("targets", filter=Q(targets__reached_at__isnull=True)),
        reached=Count("targets", filter=Q(targets__reached_at__isnull=False)),
    )
    return render(request, "callcenter/campaigns.html", {
        "form": form, "add_form": add_form, "edited": edited, "campaigns": rows, "may_edit": may_edit,
    })


def _campaign_parties(data: dict[str, Any]):
    parties = Party.objects.active()
    if data.get("stage"):
        parties = parties.filter(stage__in=data["stage"])
    if data.get("country"):
        parties = parties.filter(country=data["country"].upper())
    if data.get("status"):
        parties = parties.filter(call_center_status=data["status"])
    if data.get("tag"):
        parties = parties.filter(tags=data["tag"])
    if data.get("never_called"):
        parties = parties.filter(calls__isnull=True)
    return parties.distinct()



@module_required("callcenter", Access.READ)
def queue_start(request: HttpRequest) -> HttpResponse:
    """The call queue as an agent starts the day: the callbacks due today or overdue."""
    return redirect(reverse("callcenter:queue:list") + "?callback=due")
