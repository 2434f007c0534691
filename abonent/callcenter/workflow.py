"""The status workflow of service requests: the one table of allowed moves and the one code that moves.

    taken ──allocate──▶ allocated ──confirm──▶ allocated and confirmed ──finalise──▶ finalised
      └──────────────────────┴───────────cancel──────────┘──▶ cancelled

Allocating needs the planned start and finish, the taking team and the verifier. Confirming is done by
a member (or the lead) of the allocated team. When the settings say finalising needs the verifier's
approval, finalising by anyone else asks the verifier instead, who approves (and the request is then
finalised) or refuses. Every move writes a StatusChange row and an audit entry, and is announced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.callcenter.models import (
    OPEN_STATUSES,
    FinalisationApproval,
    RequestChannel,
    RequestSettings,
    RequestStatus,
    ServiceRequest,
    StatusChange,
)
from abonent.callcenter.request_events import request_event
from abonent.callcenter.request_services import PERIOD_DOMAIN, RequestError
from abonent.core.services import period_assert_open


class TransitionRefused(RequestError):
    pass


def _allocation_ready(request: ServiceRequest, by: Any) -> None:
    missing = [label for field, label in (
        ("planned_start", _("the planned start")), ("planned_finish", _("the planned finish")),
        ("team", _("the taking team")), ("verifier", _("the verifier")),
    ) if getattr(request, f"{field}_id" if field in ("team", "verifier") else field) is None]
    if missing:
        raise TransitionRefused(_("Before allocating, set %(missing)s.") % {"missing": ", ".join(missing)})


def is_team_member(request: ServiceRequest, user: Any) -> bool:
    team = request.team
    if team is None or not getattr(user, "is_authenticated", False):
        return False
    return team.leader_id == user.pk or team.members.filter(pk=user.pk).exists()


def _team_accepts(request: ServiceRequest, by: Any) -> None:
    if not is_team_member(request, by):
        raise TransitionRefused(_("Only a member of the team “%(team)s” can confirm this request.")
                                % {"team": request.team})


def _anyone(request: ServiceRequest, by: Any) -> None:
    return None


@dataclass(frozen=True)
class Move:
    name: str  # the verb in the audit action: abonent.callcenter.request.<name>
    source: tuple[str, ...]
    target: str
    label: str | Promise  # the button
    check: Callable[[ServiceRequest, Any], None]


MOVES = (
    Move("allocated", (RequestStatus.TAKEN,), RequestStatus.ALLOCATED, gettext_lazy("Allocate"), _allocation_ready),
    Move("confirmed", (RequestStatus.ALLOCATED,), RequestStatus.CONFIRMED, gettext_lazy("Confirm for the team"),
         _team_accepts),
    Move("finalised", (RequestStatus.CONFIRMED,), RequestStatus.FINALISED, gettext_lazy("Finalise"), _anyone),
    Move("cancelled", OPEN_STATUSES, RequestStatus.CANCELLED, gettext_lazy("Cancel the request"), _anyone),
)


def move_for(status: str, to: str) -> Move | None:
    return next((m for m in MOVES if status in m.source and m.target == to), None)


def pending_approval(request: ServiceRequest) -> FinalisationApproval | None:
    return request.approvals.filter(approved_at__isnull=True, refused_at__isnull=True).first()


def moves_allowed(*, request: ServiceRequest, user: Any) -> list[Move]:
    """The moves the user could make now (what the request page offers as buttons)."""
    allowed = []
    waiting = pending_approval(request) is not None
    for move in MOVES:
        if request.status not in move.source or (waiting and move.target == RequestStatus.FINALISED):
            continue
        try:
            move.check(request, user)
        except TransitionRefused:
            if move.target != RequestStatus.ALLOCATED:  # allocate stays offered: its refusal says what is missing
                continue
        allowed.append(move)
    return allowed


def needs_approval(request: ServiceRequest, by: Any) -> bool:
    return RequestSettings.load().finalise_needs_approval and request.verifier_id != getattr(by, "pk", None)


def request_transition(
    *, request: ServiceRequest, to: str, by: Any, now: dt.datetime, note: str = "",
    channel: str = RequestChannel.UI,
) -> StatusChange | FinalisationApproval:
    """Move the request to the status `to`, or ask the verifier when finalising needs their approval.

    Returns the recorded move, or the approval request when the verifier must approve first. Raises
    TransitionRefused when the move is not allowed from the request's status or its conditions are unmet.
    """
    note = " ".join(note.split())[:500]
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("team").get(pk=request.pk)
        move = move_for(request.status, to)
        if move is None:
            raise TransitionRefused(
                _("A request that is %(status)s cannot be moved to “%(to)s”.")
                % {"status": request.get_status_display().lower(), "to": RequestStatus(to).label}
                if to in RequestStatus.values else _("“%(to)s” is not a status.") % {"to": to}
            )
        move.check(request, by)
        period_assert_open(on=request.document_date, domain=PERIOD_DOMAIN)
        waiting = pending_approval(request)
        if move.target == RequestStatus.FINALISED:
            if waiting is not None:
                raise TransitionRefused(_("Finalising is already waiting for the verifier's approval."))
            if needs_approval(request, by):
                return _ask_approval(request=request, by=by, note=note, channel=channel, now=now)
        if waiting is not None:  # cancelled while waiting: nothing is left to approve
            waiting.refused_at, waiting.refused_by, waiting.reason = now, _person(by), _("The request was cancelled.")
            waiting.save(update_fields=["refused_at", "refused_by", "reason"])
        return _move(request=request, move=move, by=by, note=note, channel=channel, now=now)


def _person(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _move(*, request: ServiceRequest, move: Move, by: Any, note: str, channel: str,
          now: dt.datetime) -> StatusChange:
    old = request.status
    request.status = move.target
    request.confirmed = move.target in (RequestStatus.CONFIRMED, RequestStatus.FINALISED)
    request.finalised = move.target == RequestStatus.FINALISED
    request.valid = move.target != RequestStatus.CANCELLED
    if move.target == RequestStatus.FINALISED:
        request.finalised_at = now
    if move.target == RequestStatus.CANCELLED:
        request.cancelled_at = now
    request.touched_at = now
    request.save(update_fields=["status", "confirmed", "finalised", "valid", "finalised_at", "cancelled_at",
                                "touched_at"])
    change = StatusChange.objects.create(request=request, from_status=old, to_status=move.target, at=now,
                                         by=_person(by), note=note)
    request_event(request=request, event="moved", by=by, changes={"status": (old, move.target)}, note=note,
                  channel=channel, now=now, action=move.name)
    return change


def _ask_approval(*, request: ServiceRequest, by: Any, note: str, channel: str,
                  now: dt.datetime) -> FinalisationApproval:
    if request.verifier_id is None:
        raise TransitionRefused(_("Finalising needs the verifier's approval, but the request has no verifier."))
    try:
        with transaction.atomic():
            approval = FinalisationApproval.objects.create(request=request, requested_by=_person(by),
                                                           requested_at=now, note=note)
    except IntegrityError:
        raise TransitionRefused(_("Finalising is already waiting for the verifier's approval.")) from None
    request.touched_at = now
    request.save(update_fields=["touched_at"])
    request_event(request=request, event="approval_requested", by=by, note=note, channel=channel, now=now,
                  changes={"approval": (None, str(request.verifier))})
    return approval


def approval_decide(
    *, approval: FinalisationApproval, approve: bool, by: Any, now: dt.datetime, reason: str = "",
    channel: str = RequestChannel.UI,
) -> FinalisationApproval:
    """The verifier approves finalising (the request is finalised) or refuses it (it stays as it was)."""
    reason = " ".join(reason.split())[:500]
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=approval.request_id)
        approval = FinalisationApproval.objects.select_for_update().get(pk=approval.pk)
        if not approval.is_pending:
            raise TransitionRefused(_("This approval has already been decided."))
        if request.verifier_id != getattr(by, "pk", None):
            raise TransitionRefused(_("Only the request's verifier, %(verifier)s, can decide this.")
                                    % {"verifier": request.verifier})
        if approve:
            move = move_for(request.status, RequestStatus.FINALISED)
            if move is None:
                raise TransitionRefused(_("The request is no longer waiting to be finalised."))
            period_assert_open(on=request.document_date, domain=PERIOD_DOMAIN)
            approval.approved_at, approval.approved_by = now, by
            approval.save(update_fields=["approved_at", "approved_by"])
            asked = approval.requested_by
            note = _("Approved the finalisation asked by %(person)s.") % {"person": asked} if asked else ""
            _move(request=request, move=move, by=by, note=" ".join(filter(None, [note, reason])), channel=channel,
                  now=now)
        else:
            if not reason:
                raise TransitionRefused(_("Say why finalising is refused."))
            approval.refused_at, approval.refused_by, approval.reason = now, by, reason
            approval.save(update_fields=["refused_at", "refused_by", "reason"])
            request.touched_at = now
            request.save(update_fields=["touched_at"])
            request_event(request=request, event="approval_refused", by=by, note=reason, channel=channel, now=now,
                          changes={"approval": (str(request.verifier), None)})
    return approval
