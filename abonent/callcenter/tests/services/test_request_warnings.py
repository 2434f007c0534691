"""Warnings to team leads: sent once per request and kind, under the bell and by e-mail, as the settings say."""

import datetime as dt

import pytest

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import Priority, RequestSettings
from abonent.callcenter.request_services import request_update
from abonent.callcenter.request_warnings import request_warnings_send
from abonent.callcenter.tests.factories import NOW, allocatable, service_request
from abonent.core.roles import Role
from abonent.notifications.models import Notification, OutboundEmail
from abonent.notifications.services import outbox_flush

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def lead(make_user):
    return make_user(Role.MANAGER, email="lead@abonent.test", language="en")


@pytest.fixture
def team(lead):
    return TeamFactory(leader=lead)


def test_the_lead_is_told_once_when_the_planned_finish_has_passed(smtp_mailbox, team, lead):
    request = service_request(**allocatable(team=team))  # finishes at NOW + 1 day 2 hours
    after_finish = request.planned_finish + HOUR

    assert request_warnings_send(now=NOW) == 0
    assert request_warnings_send(now=after_finish) == 1
    assert request_warnings_send(now=after_finish + 2 * HOUR) == 0  # once only
    outbox_flush(now=after_finish)

    [note] = Notification.objects.filter(user=lead)
    assert note.title == f"Planned finish passed: {request.number} ({request.party.name})"
    assert note.url == f"/callcenter/requests/{request.pk}/"
    [message] = smtp_mailbox.messages
    assert message["To"] == "lead@abonent.test"


def test_an_untouched_high_priority_request_is_a_warning_of_its_own_kind(team, lead):
    RequestSettings.objects.filter(pk=RequestSettings.load().pk).update(warn_untouched_hours=4)
    request = service_request(team=team, priority=Priority.HIGH)

    assert request_warnings_send(now=NOW + 3 * HOUR) == 0
    assert request_warnings_send(now=NOW + 5 * HOUR) == 1
    request_update(request=request, values={"notes": "Called the customer"}, by=None, now=NOW + 5 * HOUR)
    assert request_warnings_send(now=NOW + 10 * HOUR) == 0  # untouched again, but already told

    assert Notification.objects.get(user=lead).title.startswith("High priority untouched")


def test_nothing_is_sent_when_the_lead_option_is_off_or_the_team_has_no_lead(team, lead):
    RequestSettings.objects.filter(pk=RequestSettings.load().pk).update(warn_team_lead=False)
    request = service_request(**allocatable(team=team))
    orphan = service_request(**allocatable(team=TeamFactory(leader=None)))
    later = request.planned_finish + HOUR

    assert request_warnings_send(now=later) == 0
    RequestSettings.objects.filter(pk=RequestSettings.load().pk).update(warn_team_lead=True)
    assert request_warnings_send(now=later) == 1  # the request with a lead only
    assert not Notification.objects.exclude(user=lead).exists()
    assert orphan.number not in "".join(OutboundEmail.objects.values_list("subject", flat=True))
