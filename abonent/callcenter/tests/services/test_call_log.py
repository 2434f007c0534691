"""Logging a call: the call itself and what its outcome does to the customer."""

import datetime as dt

import pytest

from abonent.callcenter.call_services import CallError, call_log
from abonent.callcenter.models import CampaignTarget, PartyCallState
from abonent.callcenter.tests.factories import NOW, CampaignFactory, OutcomeFactory
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import Task
from abonent.customers.tests.factories import CallCenterStatusFactory, PartyFactory


@pytest.fixture
def agent(make_user):
    return make_user(Role.AGENT)


def log(party, agent, outcome, **kwargs):
    values = {"note": "Spoke about the offer.", "duration": 95, "now": NOW, **kwargs}
    return call_log(party=party, agent=agent, outcome=outcome, **values)


def test_a_logged_call_keeps_who_when_how_long_and_the_note(agent):
    party, outcome = PartyFactory(), OutcomeFactory()

    call = log(party, agent, outcome, next_step="Send the price list")

    assert (call.party, call.agent, call.outcome, call.duration) == (party, agent, outcome, 95)
    assert call.started_at == NOW - dt.timedelta(seconds=95)
    assert (call.note, call.next_step, call.channel) == ("Spoke about the offer.", "Send the price list", "ui")


def test_an_outcome_that_sets_a_status_changes_the_customers_call_center_status(agent):
    interested = CallCenterStatusFactory(name="Interested")
    party = PartyFactory(call_center_status=CallCenterStatusFactory(name="New"))

    call = log(party, agent, OutcomeFactory(sets_status=interested))

    party.refresh_from_db()
    assert party.call_center_status == interested
    assert call.status_after == interested
    assert AuditEntry.objects.filter(action="abonent.customers.party.changed", subject_id=str(party.pk)).exists()


def test_an_outcome_without_a_status_leaves_the_customers_status_alone(agent):
    new = CallCenterStatusFactory(name="New")
    party = PartyFactory(call_center_status=new)

    log(party, agent, OutcomeFactory())

    party.refresh_from_db()
    assert party.call_center_status == new


def test_a_callback_time_becomes_a_task_for_the_agent_on_that_day_and_the_customers_pending_callback(agent):
    party = PartyFactory()
    callback_at = dt.datetime(2026, 3, 18, 13, 0, tzinfo=dt.UTC)  # 14:00 in Prague

    call = log(party, agent, OutcomeFactory(needs_callback=True), callback_at=callback_at)

    task = call.callback_task
    assert (task.party, task.owner, task.due_on) == (party, agent, dt.date(2026, 3, 18))
    assert "14:00" in task.title
    assert PartyCallState.objects.get(party=party).next_callback_at == callback_at


def test_an_outcome_that_needs_a_callback_is_refused_without_its_time(agent):
    with pytest.raises(CallError, match="needs the time the customer asked to be called back"):
        log(PartyFactory(), agent, OutcomeFactory(needs_callback=True))


def test_a_callback_time_in_the_past_is_refused(agent):
    with pytest.raises(CallError, match="already passed"):
        log(PartyFactory(), agent, OutcomeFactory(), callback_at=NOW - dt.timedelta(minutes=1))


def test_the_next_call_closes_the_callback_task_and_the_pending_callback(agent):
    party = PartyFactory()
    first = log(party, agent, OutcomeFactory(needs_callback=True), callback_at=NOW + dt.timedelta(days=1))

    log(party, agent, OutcomeFactory(reached=True), now=NOW + dt.timedelta(days=1))

    first.callback_task.refresh_from_db()
    assert first.callback_task.is_done
    state = PartyCallState.objects.get(party=party)
    assert (state.next_callback_at, state.calls) == (None, 2)


def test_a_reached_outcome_in_a_campaign_marks_the_customer_reached_there(agent):
    party, campaign = PartyFactory(), CampaignFactory()
    log(party, agent, OutcomeFactory(reached=False), campaign=campaign)
    assert CampaignTarget.objects.get(campaign=campaign, party=party).reached_at is None

    log(party, agent, OutcomeFactory(reached=True), campaign=campaign)

    assert CampaignTarget.objects.get(campaign=campaign, party=party).reached_at == NOW


def test_a_closed_campaign_or_an_unused_outcome_is_refused(agent):
    with pytest.raises(CallError, match="closed"):
        log(PartyFactory(), agent, OutcomeFactory(), campaign=CampaignFactory(active=False))
    with pytest.raises(CallError, match="no longer used"):
        log(PartyFactory(), agent, OutcomeFactory(active=False))


@pytest.mark.parametrize("duration", [-1, 24 * 3600 + 1])
def test_a_duration_out_of_range_is_refused(agent, duration):
    with pytest.raises(CallError, match="duration"):
        log(PartyFactory(), agent, OutcomeFactory(), duration=duration)


def test_the_call_is_in_the_customers_history(agent):
    party = PartyFactory()

    call = log(party, agent, OutcomeFactory(code="reached"), channel="api")

    entry = AuditEntry.objects.get(action="abonent.callcenter.call.logged")
    assert (entry.subject_id, entry.target_id, entry.channel, entry.actor) == (str(party.pk), str(call.pk), "api",
                                                                               agent)
    assert entry.changes["outcome"] == [None, "reached"]
    assert entry.changes["note"] == [None, "Spoke about the offer."]


def test_a_refused_call_leaves_nothing_behind(agent):
    party = PartyFactory(call_center_status=None)
    status = CallCenterStatusFactory()

    with pytest.raises(CallError):
        log(party, agent, OutcomeFactory(sets_status=status, needs_callback=True))

    party.refresh_from_db()
    assert party.call_center_status is None
    assert not Task.objects.exists()
