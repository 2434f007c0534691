"""The call panel on the customer page: an agent logs a call with the keyboard and never loses the note."""

import datetime as dt

import pytest
import time_machine

from abonent.callcenter.models import Call
from abonent.callcenter.tests.factories import OutcomeFactory
from abonent.core.roles import Role
from abonent.customers.models import Task
from abonent.customers.tests.factories import CallCenterStatusFactory, PartyFactory

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post_call(client, party, headers=None, **fields):
    data = {f"call-{k}": v for k, v in {"note": "", "duration": "42", "callback_at": "", "next_step": "",
                                        "campaign": "", **fields}.items()}
    return client.post(f"/callcenter/customers/{party.pk}/calls/", data, **(headers or {}))


def test_the_panel_offers_the_active_outcomes_in_order_with_the_first_focused(client_as):
    OutcomeFactory(code="busy", label={"en": "Busy"}, order=2)
    OutcomeFactory(code="reached", label={"en": "Reached"}, order=1)
    OutcomeFactory(code="old", label={"en": "Old"}, active=False)
    party = PartyFactory()

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/?tab=calls").content.decode()

    assert 'id="call-form"' in page and "autofocus" in page
    assert page.index("1 · Reached") < page.index("2 · Busy")
    assert "Old" not in page


def test_an_agent_logs_a_call_and_gets_a_fresh_panel(client_as, htmx):
    status = CallCenterStatusFactory(name="Interested")
    outcome = OutcomeFactory(sets_status=status)
    party, client = PartyFactory(), client_as(Role.AGENT)

    response = post_call(client, party, htmx, outcome=outcome.pk, note="Wants fibre", duration="95")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Call logged." in page and 'data-call-saved="1"' in page
    assert "Wants fibre" in page  # in the list of calls, the panel's note is empty again
    call = Call.objects.get()
    assert (call.agent, call.duration, call.note) == (client.user, 95, "Wants fibre")
    party.refresh_from_db()
    assert party.call_center_status == status


def test_a_callback_outcome_without_a_time_comes_back_with_everything_typed(client_as, htmx):
    outcome = OutcomeFactory(needs_callback=True)
    party, client = PartyFactory(), client_as(Role.AGENT)

    response = post_call(client, party, htmx, outcome=outcome.pk, note="Call me tomorrow <b>after</b> 3",
                         next_step="Offer", duration="61")

    page = response.content.decode()
    assert "Give the time the customer asked to be called back." in page
    assert "Call me tomorrow &lt;b&gt;after&lt;/b&gt; 3</textarea>" in page
    assert 'value="61"' in page and 'value="Offer"' in page
    assert 'data-call-saved' not in page
    assert not Call.objects.exists()


def test_a_callback_in_the_past_is_explained_and_the_note_kept(client_as, htmx):
    party, client = PartyFactory(), client_as(Role.AGENT)

    response = post_call(client, party, htmx, outcome=OutcomeFactory().pk, note="Keep me",
                         callback_at="2026-03-16T08:00")

    page = response.content.decode()
    assert "already passed" in page and "Keep me</textarea>" in page


def test_a_callback_becomes_a_task_for_the_day_the_customer_asked(client_as, htmx):
    party, client = PartyFactory(), client_as(Role.AGENT)

    post_call(client, party, htmx, outcome=OutcomeFactory(needs_callback=True).pk, callback_at="2026-03-17T14:30")

    task = Task.objects.get()
    assert (task.due_on, task.owner, task.title) == (dt.date(2026, 3, 17), client.user, "Call back at 17/03/2026 14:30")


def test_without_javascript_the_form_posts_and_comes_back_to_the_tab(client_as):
    party, client = PartyFactory(), client_as(Role.AGENT)

    response = post_call(client, party, outcome=OutcomeFactory().pk)

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{party.pk}/?tab=calls&saved=1"


def test_a_sales_rep_reads_the_calls_but_gets_no_panel_and_cannot_post(client_as):
    party = PartyFactory()
    client = client_as(Role.SALES_REP)

    page = client.get(f"/customers/{party.pk}/?tab=calls")
    refused = post_call(client, party, outcome=OutcomeFactory().pk)

    assert page.status_code == 200 and 'id="call-form"' not in page.content.decode()
    assert refused.status_code == 403
    assert not Call.objects.exists()


def test_people_without_the_call_center_do_not_see_the_tab(client_as, agents_without_call_center):
    party = PartyFactory()
    client = client_as(Role.AGENT)

    assert "Calls and requests" not in client.get(f"/customers/{party.pk}/").content.decode()
    assert client.get(f"/customers/{party.pk}/tab/calls/", HTTP_HX_REQUEST="true").status_code == 403
