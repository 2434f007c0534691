"""The operation log level decides how much of a request's life goes to the audit log."""

import datetime as dt

import pytest

from abonent.callcenter.models import LogLevel, RequestSettings, RequestStatus
from abonent.callcenter.request_services import request_message_add, request_update
from abonent.callcenter.signals import request_changed
from abonent.callcenter.tests.factories import NOW, service_request
from abonent.callcenter.workflow import request_transition
from abonent.core.models import AuditEntry

LATER = NOW + dt.timedelta(hours=1)


def at_level(level):
    settings = RequestSettings.load()
    settings.log_level = level
    settings.save()


def life_of_a_request(by):
    request = service_request(by=by, service_object="Router")
    request_update(request=request, values={"priority": 3, "notes": "Customer at home after 5 pm"}, by=by, now=LATER)
    request_update(request=request, values={"serial": "SN-42"}, by=by, now=LATER)
    request_message_add(request=request, by=by, text="Called the customer", now=LATER)
    request_transition(request=request, to=RequestStatus.CANCELLED, by=by, now=LATER)
    return request


def recorded():
    return [(e.action.rsplit(".", 1)[-1], sorted(e.changes)) for e in AuditEntry.objects.filter(
        action__startswith="abonent.callcenter.request.").order_by("id")]


def test_basic_keeps_creation_and_status_moves(make_user):
    at_level(LogLevel.BASIC)

    life_of_a_request(make_user())

    assert recorded() == [("created", ["number", "status"]), ("cancelled", ["status"])]


def test_advanced_adds_planning_assignment_priority_and_classification(make_user):
    at_level(LogLevel.ADVANCED)

    life_of_a_request(make_user())

    assert recorded() == [
        ("created", ["document_date", "number", "priority", "request_type", "status", "team"]),
        ("changed", ["priority"]),
        ("cancelled", ["status"]),
    ]


def test_detailed_keeps_every_field_and_message(make_user):
    at_level(LogLevel.DETAILED)

    life_of_a_request(make_user())

    actions = [action for action, _fields in recorded()]
    assert actions == ["created", "changed", "changed", "message_added", "cancelled"]
    assert recorded()[1] == ("changed", ["notes", "priority"])
    assert "service_object" in recorded()[0][1]


@pytest.mark.parametrize("level", list(LogLevel))
def test_listeners_hear_every_change_whatever_the_level(make_user, level):
    at_level(level)
    heard = []

    def listen(sender, *, event, **kwargs):
        heard.append(event)

    request_changed.connect(listen, dispatch_uid="test-listen")
    try:
        life_of_a_request(make_user())
    finally:
        request_changed.disconnect(dispatch_uid="test-listen")

    assert heard == ["created", "changed", "changed", "message", "moved"]
