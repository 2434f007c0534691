"""The three lists: what they show, how they group, and that they stay fast (queries, indexes)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.callcenter.call_services import call_log
from abonent.callcenter.lists import CALLS, QUEUE, REQUESTS
from abonent.callcenter.models import Call, RequestStatus, ServiceRequest
from abonent.callcenter.tests.factories import (
    NOW,
    CallFactory,
    ClassificationFactory,
    OutcomeFactory,
    ZoneFactory,
    allocatable,
    service_request,
)
from abonent.callcenter.workflow import request_transition
from abonent.core.grid.declaration import Search
from abonent.core.roles import Role
from abonent.customers.lists import CUSTOMERS
from abonent.customers.models import Party
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import names_on, text


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- the call queue --------------------------------------------------------------------------------


def test_the_queue_starts_with_the_callbacks_due_today_or_overdue(client_as):
    agent = client_as(Role.AGENT)
    outcome = OutcomeFactory(needs_callback=True)
    for name, hours in (("Overdue Olga", -30), ("Today Tomas", 3), ("Later Lena", 50)):
        party = PartyFactory(name=name)
        call_log(party=party, agent=agent.user, outcome=outcome, note="", duration=5,
                 callback_at=NOW + dt.timedelta(hours=hours), now=NOW - dt.timedelta(days=2))
    PartyFactory(name="Never Nora")

    start = agent.get("/callcenter/queue/")
    page = agent.get(start["Location"])

    assert start["Location"] == "/callcenter/queue/list/?callback=due"
    assert names_on(page) == ["Overdue Olga", "Today Tomas"]
    assert "⚠" in text(page)  # the overdue callback is marked


def test_the_queue_finds_customers_still_to_reach_in_a_campaign_and_never_called(client_as):
    from abonent.callcenter.tests.factories import CampaignFactory

    agent = client_as(Role.AGENT)
    campaign = CampaignFactory()
    reached, waiting = PartyFactory(name="Reached Rita"), PartyFactory(name="Waiting Wanda")
    campaign.targets.create(party=waiting, added_at=NOW)
    call_log(party=reached, agent=agent.user, outcome=OutcomeFactory(reached=True), note="", duration=5,
             campaign=campaign, now=NOW)
    PartyFactory(name="Zoe Nobody")

    in_campaign = names_on(agent.get(f"/callcenter/queue/list/?campaign={campaign.pk}"))
    never_called = names_on(agent.get("/callcenter/queue/list/?called=never"))

    assert in_campaign == ["Waiting Wanda"]
    assert "Reached Rita" not in never_called and {"Waiting Wanda", "Zoe Nobody"} <= set(never_called)


# --- calls ---------------------------------------------------------------------------------------------


def test_calls_group_by_agent_outcome_day_campaign_and_status(client_as):
    client = client_as(Role.MANAGER)
    CallFactory.create_batch(2, started_at=NOW - dt.timedelta(days=1))
    CallFactory(started_at=NOW)

    for key in ("agent", "outcome", "day", "campaign", "status"):
        response = client.get(f"/callcenter/calls/?group={key}")
        assert response.status_code == 200, key
    days = text(client.get("/callcenter/calls/?group=day"))
    assert "15/03/2026" in days and "16/03/2026" in days


def test_a_day_group_filters_the_calls_to_that_day(client_as):
    client = client_as(Role.MANAGER)
    CallFactory(started_at=NOW - dt.timedelta(days=1), note="yesterday")
    CallFactory(started_at=NOW, note="today")

    page = text(client.get("/callcenter/calls/?day=2026-03-15&cols=started,note"))

    assert "yesterday" in page and "today" not in page


def test_the_calls_export_has_every_filtered_call(client_as):
    client = client_as(Role.MANAGER)
    CallFactory.create_batch(3)

    response = client.get("/callcenter/calls/export.csv")

    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert response.status_code == 200 and len(lines) == 4


# --- service requests ---------------------------------------------------------------------------------


def test_requests_show_the_warning_badges(client_as):
    client = client_as(Role.MANAGER)
    late = service_request(**allocatable(), now=NOW - dt.timedelta(days=3))
    late.planned_start, late.planned_finish = NOW - dt.timedelta(hours=3), NOW - dt.timedelta(hours=1)
    late.save()
    service_request(priority=3, now=NOW - dt.timedelta(hours=9))  # untouched for 9 hours, 4 allowed
    service_request(priority=3, now=NOW - dt.timedelta(hours=1))

    page = text(client.get("/callcenter/requests/?cols=number,warning&sort=number"))
    overdue = text(client.get("/callcenter/requests/?warning=overdue&cols=number"))

    assert "SR2026-000001 ⚠ Planned finish passed" in page
    assert "SR2026-000002 ⚠ Untouched" in page
    assert "SR2026-000003 ⚠" not in page
    assert "SR2026-000001" in overdue and "SR2026-000002" not in overdue


def test_a_closed_request_has_no_warning(client_as):
    client = client_as(Role.MANAGER)
    request = service_request(priority=3, now=NOW - dt.timedelta(days=2))
    request_transition(request=request, to=RequestStatus.CANCELLED, by=None, now=NOW - dt.timedelta(days=2))

    assert "⚠" not in text(client.get("/callcenter/requests/?cols=number,warning"))


@pytest.mark.parametrize("key", REQUESTS.group_by)
def test_requests_group_by_every_declared_field(client_as, key):
    client = client_as(Role.MANAGER)
    top = ClassificationFactory(name="Internet")
    service_request(class_1=top, class_2=ClassificationFactory(name="Fibre", parent=top), zone=ZoneFactory(),
                    service_object="Router", **allocatable())
    service_request(service_object="")

    response = client.get(f"/callcenter/requests/?group={key}")

    assert response.status_code == 200
    assert 'class="grid-tree"' in response.content.decode()
    assert "All 2" in text(response)  # the tree counts both requests


def test_grouping_by_customer_names_the_customers_and_filters_to_one(client_as):
    client = client_as(Role.MANAGER)
    jana, petr = PartyFactory(name="Jana Nováková"), PartyFactory(name="Petr Svoboda")
    service_request(party=jana)
    service_request(party=jana)
    service_request(party=petr)

    tree = text(client.get("/callcenter/requests/?group=party"))
    only_jana = client.get(f"/callcenter/requests/?party={jana.pk}&cols=number,party")

    assert "Jana Nováková 2" in tree and "Petr Svoboda 1" in tree
    assert "Petr Svoboda" not in text(only_jana).split("Customer: Jana Nováková", 1)[1]


def test_the_request_filters_answer(client_as):
    client = client_as(Role.MANAGER)
    zone = ZoneFactory()
    service_request(service_object="Fibre 300", address="Lidická 5", locality="Brno", zone=zone,
                    party=PartyFactory(name="Jana"))
    service_request(service_object="IPTV", address="Main street", locality="Praha",
                    party=PartyFactory(first_name="Petr", last_name="Svoboda"))  # not a random "Jan…"

    assert names_on(client.get("/callcenter/requests/?customer=jan&cols=service_object")) == ["Fibre 300"]
    assert names_on(client.get("/callcenter/requests/?address=brno&cols=service_object")) == ["Fibre 300"]
    assert names_on(client.get(f"/callcenter/requests/?zone={zone.pk}&cols=service_object")) == ["Fibre 300"]
    assert names_on(client.get("/callcenter/requests/?date_from=2026-03-16&date_to=2026-03-16"
                               "&cols=service_object&sort=number")) == ["Fibre 300", "IPTV"]


# --- speed -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "make"), [
    ("/callcenter/requests/?group=status&group=zone&cols=" + ",".join(c.key for c in REQUESTS.columns),
     lambda n: [service_request(zone=ZoneFactory(), **allocatable()) for _ in range(n)]),
    ("/callcenter/calls/?group=agent&cols=" + ",".join(c.key for c in CALLS.columns),
     lambda n: CallFactory.create_batch(n)),
    ("/callcenter/queue/list/?group=status&cols=" + ",".join(c.key for c in QUEUE.columns),
     lambda n: PartyFactory.create_batch(n)),
])
def test_the_number_of_queries_does_not_grow_with_the_rows_shown(client_as, url, make):
    client = client_as(Role.MANAGER)
    make(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(30)

    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)
    assert len(few) <= 22


def _indexed_first(model, lookup: str) -> bool:
    field = model._meta.get_field(lookup)
    if field.db_index or field.unique or field.is_relation:
        return True
    return any(index.fields and index.fields[0].lstrip("-") == lookup for index in model._meta.indexes) or any(
        getattr(index, "expressions", None) and str(index.expressions[0]).find(f"'{lookup}'") >= 0
        for index in model._meta.indexes)


@pytest.mark.parametrize(("spec", "model"), [(CALLS, Call), (REQUESTS, ServiceRequest), (QUEUE, Party)])
def test_every_sort_and_filter_on_a_field_has_an_index(spec, model):
    missing = set()
    for column in spec.columns:
        if column.sortable and not any(
                tuple(i.fields[:2]) == (column.attname, "id") for i in model._meta.indexes):
            missing.add(column.attname)
    for declared in spec.filters:
        if isinstance(declared, Search) or declared.model_field is None:
            continue
        if declared in CUSTOMERS.filters:
            continue  # the customers list's own filters, checked there
        if not _indexed_first(model, declared.model_field.name):
            missing.add(declared.model_field.name)

    assert missing == set()
