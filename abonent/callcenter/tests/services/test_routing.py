"""Automatic assignment: the least-loaded member of the type's team who is not away."""

import datetime as dt

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import RequestStatus
from abonent.callcenter.reference_services import absence_set
from abonent.callcenter.selectors import request_queue
from abonent.callcenter.tests.factories import NOW, RequestTypeFactory, allocatable, service_request
from abonent.callcenter.workflow import request_transition
from abonent.core.roles import Role


@pytest.fixture
def team(make_user):
    team = TeamFactory(name="Technicians")
    team.members.set([make_user(Role.AGENT, username="anna"), make_user(Role.AGENT, username="boris"),
                      make_user(Role.AGENT, username="cyril")])
    return team


def by_name(team, username):
    return team.members.get(username=username)


def test_without_automatic_assignment_a_request_waits_in_the_queue_unassigned(team):
    request = service_request(request_type=RequestTypeFactory(team=team, auto_assign=False))

    assert (request.team, request.taken_by) == (team, None)


def test_each_new_request_goes_to_the_member_with_the_fewest_open_requests(team):
    kind = RequestTypeFactory(team=team, auto_assign=True)
    anna, boris, cyril = (by_name(team, n) for n in ("anna", "boris", "cyril"))
    service_request(request_type=kind, taken_by=anna)
    service_request(request_type=kind, taken_by=anna)
    service_request(request_type=kind, taken_by=boris)

    assert service_request(request_type=kind).taken_by == cyril
    assert service_request(request_type=kind).taken_by == boris  # one each now: the earlier account wins


def test_closed_requests_do_not_count_as_load(team, make_user):
    kind = RequestTypeFactory(team=team, auto_assign=True)
    anna, boris = by_name(team, "anna"), by_name(team, "boris")
    team.members.remove(by_name(team, "cyril"))
    done = service_request(request_type=kind, taken_by=anna)
    request_transition(request=done, to=RequestStatus.CANCELLED, by=anna, now=NOW)
    service_request(request_type=kind, taken_by=boris)

    assert service_request(request_type=kind).taken_by == anna


def test_someone_absent_is_passed_over_until_they_are_back(team, make_user):
    kind = RequestTypeFactory(team=team, auto_assign=True)
    anna, boris, cyril = (by_name(team, n) for n in ("anna", "boris", "cyril"))
    service_request(request_type=kind, taken_by=boris)
    service_request(request_type=kind, taken_by=cyril)
    absence_set(by=None, user=anna, until=NOW + dt.timedelta(days=2), now=NOW)

    assert service_request(request_type=kind).taken_by in (boris, cyril)
    assert service_request(request_type=kind, now=NOW + dt.timedelta(days=3)).taken_by == anna


def test_inactive_members_get_nothing(team):
    kind = RequestTypeFactory(team=team, auto_assign=True)
    for member in team.members.all():
        member.is_active = False
        member.save()

    assert service_request(request_type=kind).taken_by is None


def test_the_queue_shows_the_teams_open_requests_by_priority_then_age(team):
    kind = RequestTypeFactory(team=team)
    old_low = service_request(request_type=kind, priority=1, now=NOW - dt.timedelta(days=3))
    old_medium = service_request(request_type=kind, priority=2, now=NOW - dt.timedelta(days=2))
    new_high = service_request(request_type=kind, priority=3, now=NOW)
    old_high = service_request(request_type=kind, priority=3, now=NOW - dt.timedelta(days=1))
    cancelled = service_request(request_type=kind, priority=3)
    request_transition(request=cancelled, to=RequestStatus.CANCELLED, by=None, now=NOW)
    service_request(request_type=RequestTypeFactory(), priority=3)  # another team's

    queue = list(request_queue(team=team))

    assert queue == [old_high, new_high, old_medium, old_low]


def test_an_allocated_request_stays_in_its_teams_queue_until_it_is_closed(team, make_user):
    kind = RequestTypeFactory(team=team)
    request = service_request(request_type=kind, **allocatable(team=team))
    request_transition(request=request, to=RequestStatus.ALLOCATED, by=None, now=NOW)

    assert list(request_queue(team=team)) == [request]
