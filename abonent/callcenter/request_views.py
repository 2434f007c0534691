"""Service request pages: create, edit, the request with its timeline and workflow buttons, files, queues."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from abonent.accounts.models import Team
from abonent.callcenter.call_services import is_supervisor
from abonent.callcenter.forms import AbsenceForm, DecisionForm, MessageForm, MoveForm, RequestForm
from abonent.callcenter.models import Attachment, FinalisationApproval, RequestSettings, ServiceRequest
from abonent.callcenter.reference_services import absence_set
from abonent.callcenter.request_services import (
    EDITABLE,
    party_defaults,
    request_create,
    request_message_add,
    request_update,
)
from abonent.callcenter.selectors import (
    QUEUE_LIMIT,
    request_get,
    request_queue,
    request_timeline,
    request_visible_to,
    request_warning,
    team_load,
)
from abonent.callcenter.workflow import approval_decide, moves_allowed, pending_approval, request_transition
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party
from abonent.customers.party_views import writable_party


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "callcenter", Access.WRITE)


def _request(request: HttpRequest, pk: int) -> ServiceRequest:
    try:
        found = request_get(pk=pk)
    except ServiceRequest.DoesNotExist:
        raise Http404 from None
    if not request_visible_to(user=request.user, request=found):
        raise PermissionDenied
    return found


# --- create and edit -----------------------------------------------------------------------------------


@module_required("callcenter", Access.WRITE)
def request_new(request: HttpRequest) -> HttpResponse:
    """A new request for a customer (?party=); without one, first find the customer."""
    party_id = request.GET.get("party", "")
    if not party_id.isdigit():
        term = request.GET.get("q", "").strip()
        found = Party.objects.active().filter(name__icontains=term).order_by("name")[:20] if term else []
        return render(request, "callcenter/request_pick_party.html", {"term": term, "found": found})
    party = writable_party(int(party_id))
    form = RequestForm(request.POST or None, party=party,
                       initial={"document_date": timezone.localdate(), **party_defaults(party)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {k: v for k, v in data.items() if k in EDITABLE and k not in ("document_date", "request_type")}
        try:
            created = request_create(channel="ui", party=party, request_type=data["request_type"], by=request.user,
                                     now=timezone.now(), document_date=data["document_date"], **details)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Request %(number)s taken.") % {"number": created.number})
            return redirect("callcenter:request", pk=created.pk)
    return _form_page(request, form=form, party=party, sr=None)


@module_required("callcenter", Access.WRITE)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _request(request, pk)
    if not sr.is_open:
        messages.error(request, _("Request %(number)s is %(status)s and can no longer be changed.")
                       % {"number": sr.number, "status": sr.get_status_display().lower()})
        return redirect("callcenter:request", pk=sr.pk)
    form = RequestForm(request.POST or None, party=sr.party, initial={f: getattr(sr, f) for f in EDITABLE})
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in EDITABLE if f in form.cleaned_data}
        values["priority"] = int(values["priority"])
        try:
            request_update(request=sr, values=values, by=request.user, now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("callcenter:request", pk=sr.pk)
    return _form_page(request, form=form, party=sr.party, sr=sr)


FORM_GROUPS = (
    (gettext_lazy("Request"), ("document_date", "request_type", "priority", "class_1", "class_2", "class_3",
                               "contract", "service_object", "contract_number", "serial"), ""),
    (gettext_lazy("Planning"), ("planned_start", "planned_finish", "team", "taken_by", "verifier"),
     gettext_lazy("To allocate the request, give the planned start and finish, the team and the verifier.")),
    (gettext_lazy("Where and whom to contact"), ("contact_person", "phone", "email", "address", "locality",
                                                  "region", "country", "zone"), ""),
)


def _form_page(request: HttpRequest, *, form: RequestForm, party: Party, sr: ServiceRequest | None) -> HttpResponse:
    groups = [(legend, [form[name] for name in names if name in form.fields], hint)
              for legend, names, hint in FORM_GROUPS]
    return render(request, "callcenter/request_form.html", {
        "form": form, "party": party, "sr": sr, "groups": groups,
        "parents": {str(k): v for k, v in form.classification_parents().items()},
    })


# --- the request page ----------------------------------------------------------------------------------


@module_required("callcenter", Access.READ)
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _request(request, pk))


def _page(request: HttpRequest, sr: ServiceRequest, *, message_form: MessageForm | None = None) -> HttpResponse:
    writable = can_write(request)
    now = timezone.now()
    approval = pending_approval(sr)
    return render(request, "callcenter/request.html", {
        "sr": sr, "can_write": writable, "timeline": request_timeline(request=sr),
        "moves": moves_allowed(request=sr, user=request.user) if writable and sr.is_open else [],
        "approval": approval,
        "may_decide": writable and approval is not None and approval.request.verifier_id == request.user.pk,
        "warning": request_warning(request=sr, now=now, settings=RequestSettings.load()),
        "message_form": message_form or MessageForm(), "now": now,
    })


@module_required("callcenter", Access.WRITE)
@require_POST
def request_move(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _request(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where the request should move."))
        return redirect("callcenter:request", pk=sr.pk)
    try:
        result = request_transition(request=sr, to=form.cleaned_data["to"], by=request.user, now=timezone.now(),
                                    note=form.cleaned_data["note"])
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        if isinstance(result, FinalisationApproval):
            messages.info(request, _("Finalising needs the verifier's approval; %(verifier)s has been asked.")
                          % {"verifier": sr.verifier})
        else:
            messages.success(request, _("The request is now %(status)s.")
                             % {"status": result.get_to_status_display().lower()})
    return redirect("callcenter:request", pk=sr.pk)


@module_required("callcenter", Access.WRITE)
@require_POST
def approval_decision(request: HttpRequest, pk: int, approval_id: int) -> HttpResponse:
    sr = _request(request, pk)
    approval = get_object_or_404(FinalisationApproval, pk=approval_id, request=sr)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or refuse."))
        return redirect("callcenter:request", pk=sr.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        approval_decide(approval=approval, approve=approve, by=request.user, now=timezone.now(),
                        reason=form.cleaned_data["reason"])
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Finalised.") if approve else _("Finalising refused."))
    return redirect("callcenter:request", pk=sr.pk)


@module_required("callcenter", Access.WRITE)
@require_POST
def message_add(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _request(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            request_message_add(request=sr, by=request.user, text=form.cleaned_data["text"],
                                registry_ref=form.cleaned_data["registry_ref"], files=request.FILES.getlist("files"),
                                now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added to the timeline."))
            return redirect(reverse("callcenter:request", args=[sr.pk]) + "#timeline")
    return _page(request, sr, message_form=form)  # the page again, with what was typed


@module_required("callcenter", Access.READ)
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A file of the timeline, only to those who may see the request, always as a download."""
    sr = _request(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, message__request=sr)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the team queue ------------------------------------------------------------------------------------


@module_required("callcenter", Access.READ)
def queue(request: HttpRequest) -> HttpResponse:
    """A team's open requests by priority then age, and its members' load and absences."""
    teams = list(Team.objects.filter(request_types__isnull=False).distinct().order_by("name")) or list(
        Team.objects.order_by("name"))
    mine = next((t for t in teams if t.members.filter(pk=request.user.pk).exists()), None)
    chosen = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == chosen), None) or mine or (teams[0] if teams else None)
    now = timezone.now()
    rows: list[Any] = []
    more = False
    if team is not None:
        rows = list(request_queue(team=team)[: QUEUE_LIMIT + 1])
        more = len(rows) > QUEUE_LIMIT
        rows = rows[:QUEUE_LIMIT]
    settings = RequestSettings.load()
    may_plan = can_write(request) and is_supervisor(request.user)
    return render(request, "callcenter/queue_requests.html", {
        "teams": teams, "team": team, "more": more, "limit": QUEUE_LIMIT,
        "rows": [(r, request_warning(request=r, now=now, settings=settings)) for r in rows],
        "members": team_load(team=team, now=now) if team else [], "now": now,
        "absence_form": AbsenceForm(team=team) if team and may_plan else None,
    })


@module_required("callcenter", Access.WRITE)
@require_POST
def absence(request: HttpRequest, team_id: int) -> HttpResponse:
    """A supervisor marks a member absent until a moment, or back."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    team = get_object_or_404(Team, pk=team_id)
    form = AbsenceForm(request.POST, team=team)
    if form.is_valid():
        absence_set(by=request.user, user=form.cleaned_data["user"], until=form.cleaned_data["until"],
                    now=timezone.now())
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('callcenter:queue_requests')}?team={team.pk}")
