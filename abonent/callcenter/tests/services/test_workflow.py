"""The status workflow: every allowed move, every refused one, the allocation conditions and approvals."""

import datetime as dt

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import FinalisationApproval, RequestSettings, RequestStatus, StatusChange
from abonent.callcenter.request_services import RequestError, request_update
from abonent.callcenter.tests.factories import NOW, RequestTypeFactory, allocatable, service_request
from abonent.callcenter.workflow import (
    TransitionRefused,
    approval_decide,
    moves_allowed,
    request_transition,
)
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.core.services import PeriodClosedError
from abonent.core.tests.factories import ClosedPeriodFactory

T, A, C, F, X = (RequestStatus.TAKEN, RequestStatus.ALLOCATED, RequestStatus.CONFIRMED, RequestStatus.FINALISED,
                 RequestStatus.CANCELLED)
LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def people(make_user):
    member, verifier, outsider = make_user(Role.AGENT), make_user(Role.MANAGER), make_user(Role.AGENT)
    team = TeamFactory(leader=make_user(Role.MANAGER))
    team.members.add(member)
    return {"member": member, "verifier": verifier, "outsider": outsider, "team": team, "lead": team.leader}


def request_at(status, people):
    """A request brought to `status` the normal way."""
    request = service_request(**allocatable(team=people["team"], verifier=people["verifier"]))
    path = {T: [], A: [A], C: [A, C], F: [A, C, F], X: [X]}[status]
    for step in path:
        request_transition(request=request, to=step, by=people["member"], now=NOW)
    request.refresh_from_db()
    return request


ALLOWED = [(T, A), (A, C), (C, F), (T, X), (A, X), (C, X)]
REFUSED = [(frm, to) for frm in (T, A, C, F, X) for to in (T, A, C, F, X) if (frm, to) not in ALLOWED]


@pytest.mark.parametrize(("frm", "to"), ALLOWED)
def test_an_allowed_move_changes_the_status_and_is_recorded(people, frm, to):
    request = request_at(frm, people)

    change = request_transition(request=request, to=to, by=people["member"], now=LATER, note="Done on site")

    request.refresh_from_db()
    assert request.status == to
    assert (change.from_status, change.to_status, change.by, change.at, change.note) == (
        frm, to, people["member"], LATER, "Done on site")
    action = {A: "allocated", C: "confirmed", F: "finalised", X: "cancelled"}[to]
    entry = AuditEntry.objects.filter(action=f"abonent.callcenter.request.{action}").latest("id")
    assert entry.changes == {"status": [frm, to]}
    assert entry.subject_id == str(request.party_id)


@pytest.mark.parametrize(("frm", "to"), REFUSED)
def test_every_other_move_is_refused_with_a_reason(people, frm, to):
    request = request_at(frm, people)
    moves = StatusChange.objects.count()

    with pytest.raises(TransitionRefused, match="cannot be moved to"):
        request_transition(request=request, to=to, by=people["member"], now=LATER)

    request.refresh_from_db()
    assert request.status == frm
    assert StatusChange.objects.count() == moves


def test_the_flags_follow_the_status(people):
    assert [(r.confirmed, r.finalised, r.valid) for r in (request_at(s, people) for s in (T, A, C, F, X))] == [
        (False, False, True), (False, False, True), (True, False, True), (True, True, True), (False, False, False)]


@pytest.mark.parametrize("missing", ["planned_start", "planned_finish", "team", "verifier"])
def test_allocating_needs_the_planned_start_and_finish_the_team_and_the_verifier(people, missing):
    details = allocatable(team=people["team"], verifier=people["verifier"])
    details[missing] = None
    request = service_request(request_type=RequestTypeFactory(team=None), **details)

    with pytest.raises(TransitionRefused, match="Before allocating, set the"):
        request_transition(request=request, to=A, by=people["member"], now=LATER)


def test_the_refusal_names_everything_missing(people):
    request = service_request(request_type=RequestTypeFactory(team=None))

    with pytest.raises(TransitionRefused) as refused:
        request_transition(request=request, to=A, by=people["member"], now=LATER)

    assert str(refused.value) == ("Before allocating, set the planned start, the planned finish, the taking team, "
                                  "the verifier.")


def test_an_allocated_request_cannot_lose_what_allocated_it(people):
    request = request_at(A, people)

    with pytest.raises(RequestError, match="cannot be emptied"):
        request_update(request=request, values={"verifier": None}, by=people["member"], now=LATER)


@pytest.mark.parametrize("who", ["member", "lead"])
def test_a_member_or_the_lead_of_the_allocated_team_confirms(people, who):
    request = request_at(A, people)

    request_transition(request=request, to=C, by=people[who], now=LATER)

    request.refresh_from_db()
    assert request.status == C


def test_someone_outside_the_team_cannot_confirm(people):
    request = request_at(A, people)

    with pytest.raises(TransitionRefused, match="Only a member of the team"):
        request_transition(request=request, to=C, by=people["outsider"], now=LATER)


def test_the_buttons_offered_are_the_moves_the_user_may_make(people):
    allocated = request_at(A, people)

    assert [m.target for m in moves_allowed(request=allocated, user=people["member"])] == [C, X]
    assert [m.target for m in moves_allowed(request=allocated, user=people["outsider"])] == [X]
    assert moves_allowed(request=request_at(F, people), user=people["member"]) == []


def test_a_closed_or_finalised_request_can_no_longer_be_changed(people):
    with pytest.raises(RequestError, match="finalised and can no longer be changed"):
        request_update(request=request_at(F, people), values={"notes": "x"}, by=people["member"], now=LATER)
    with pytest.raises(RequestError, match="cancelled and can no longer be changed"):
        request_update(request=request_at(X, people), values={"notes": "x"}, by=people["member"], now=LATER)


def test_a_move_of_a_request_dated_in_a_closed_period_is_refused(people):
    request = request_at(T, people)
    ClosedPeriodFactory(active_from=dt.date(2026, 3, 1), active_to=dt.date(2026, 4, 1), domain="callcenter")

    with pytest.raises(PeriodClosedError):
        request_transition(request=request, to=X, by=people["member"], now=LATER)
    with pytest.raises(PeriodClosedError):
        request_update(request=request, values={"notes": "late"}, by=people["member"], now=LATER)


def test_a_request_cannot_be_moved_into_a_closed_period_either(people):
    ClosedPeriodFactory(active_from=dt.date(2026, 2, 1), active_to=dt.date(2026, 3, 1), domain="callcenter")
    request = request_at(T, people)

    with pytest.raises(PeriodClosedError):
        request_update(request=request, values={"document_date": dt.date(2026, 2, 20)}, by=people["member"],
                       now=LATER)


# --- approvals -------------------------------------------------------------------------------------


@pytest.fixture
def approvals_on(db):
    settings = RequestSettings.load()
    settings.finalise_needs_approval = True
    settings.save()


def test_finalising_by_someone_else_asks_the_verifier_and_waits(people, approvals_on):
    request = request_at(C, people)

    approval = request_transition(request=request, to=F, by=people["member"], now=LATER, note="Fixed")

    request.refresh_from_db()
    assert isinstance(approval, FinalisationApproval)
    assert (approval.requested_by, approval.is_pending, approval.note) == (people["member"], True, "Fixed")
    assert request.status == C
    assert F not in [m.target for m in moves_allowed(request=request, user=people["member"])]
    with pytest.raises(TransitionRefused, match="already waiting"):
        request_transition(request=request, to=F, by=people["member"], now=LATER)


def test_the_verifiers_approval_finalises_the_request(people, approvals_on):
    request = request_at(C, people)
    approval = request_transition(request=request, to=F, by=people["member"], now=LATER)

    approval_decide(approval=approval, approve=True, by=people["verifier"], now=LATER + dt.timedelta(hours=1))

    request.refresh_from_db()
    approval.refresh_from_db()
    assert (request.status, request.finalised) == (F, True)
    assert approval.is_approved and approval.approved_by == people["verifier"]
    last = request.status_changes.last()
    assert (last.to_status, last.by) == (F, people["verifier"])
    assert "Approved the finalisation asked by" in last.note


def test_the_verifier_may_refuse_with_a_reason_and_the_request_stays_confirmed(people, approvals_on):
    request = request_at(C, people)
    approval = request_transition(request=request, to=F, by=people["member"], now=LATER)

    with pytest.raises(TransitionRefused, match="Say why"):
        approval_decide(approval=approval, approve=False, by=people["verifier"], now=LATER)
    approval_decide(approval=approval, approve=False, by=people["verifier"], now=LATER, reason="No photo")

    request.refresh_from_db()
    assert request.status == C
    assert AuditEntry.objects.filter(action="abonent.callcenter.request.approval_refused").exists()
    # and it may be asked again
    assert request_transition(request=request, to=F, by=people["member"], now=LATER).is_pending


def test_only_the_verifier_decides(people, approvals_on):
    request = request_at(C, people)
    approval = request_transition(request=request, to=F, by=people["member"], now=LATER)

    with pytest.raises(TransitionRefused, match="Only the request's verifier"):
        approval_decide(approval=approval, approve=True, by=people["lead"], now=LATER)


def test_the_verifier_finalises_without_asking_themself(people, approvals_on):
    request = request_at(C, people)

    change = request_transition(request=request, to=F, by=people["verifier"], now=LATER)

    assert change.to_status == F
    assert not FinalisationApproval.objects.exists()


def test_cancelling_a_request_waiting_for_approval_withdraws_the_approval(people, approvals_on):
    request = request_at(C, people)
    approval = request_transition(request=request, to=F, by=people["member"], now=LATER)

    request_transition(request=request, to=X, by=people["member"], now=LATER)

    approval.refresh_from_db()
    assert not approval.is_pending and approval.reason == "The request was cancelled."
    with pytest.raises(TransitionRefused, match="already been decided"):
        approval_decide(approval=approval, approve=True, by=people["verifier"], now=LATER)


def test_without_the_approval_setting_anyone_finalises(people):
    request = request_at(C, people)

    assert request_transition(request=request, to=F, by=people["member"], now=LATER).to_status == F
