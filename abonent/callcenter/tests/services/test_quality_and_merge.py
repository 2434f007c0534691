"""Supervisors' quality reviews of calls; a merged customer's calls and requests follow the survivor."""

import datetime as dt

import pytest

from abonent.callcenter.call_services import CallError, call_log, quality_review_save
from abonent.callcenter.models import Call, CampaignTarget, PartyCallState, ServiceRequest
from abonent.callcenter.tests.factories import NOW, CallFactory, CampaignFactory, OutcomeFactory, service_request
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.merge_services import party_merge
from abonent.customers.tests.factories import PartyFactory


def test_a_manager_scores_a_call_from_the_checklist(make_user):
    call, manager = CallFactory(), make_user(Role.MANAGER)

    review = quality_review_save(call=call, reviewer=manager, checks=["greeting", "need", "note", "bogus"],
                                 comment="Good tone, forgot to confirm the time.", now=NOW)

    call.refresh_from_db()
    assert (review.checks, review.score, call.quality_score) == (["greeting", "need", "note"], 43, 43)
    assert AuditEntry.objects.get(action="abonent.callcenter.call.reviewed").subject_id == str(call.party_id)


def test_reviewing_again_replaces_the_review(make_user):
    call, manager = CallFactory(), make_user(Role.MANAGER)
    quality_review_save(call=call, reviewer=manager, checks=[], comment="", now=NOW)

    quality_review_save(call=call, reviewer=manager, checks=["greeting"], comment="Better", now=NOW)

    call.refresh_from_db()
    assert (call.review.score, call.review.comment) == (14, "Better")


@pytest.mark.parametrize("role", [Role.AGENT, Role.SALES_REP])
def test_an_agent_or_a_rep_cannot_review_calls(make_user, role):
    with pytest.raises(CallError, match="Only a manager"):
        quality_review_save(call=CallFactory(), reviewer=make_user(role), checks=[], comment="", now=NOW)


def test_merging_a_duplicate_moves_its_calls_requests_and_campaign_places(make_user):
    agent = make_user(Role.AGENT)
    survivor, duplicate = PartyFactory(), PartyFactory()
    both, only_duplicate = CampaignFactory(), CampaignFactory()
    call_log(party=survivor, agent=agent, outcome=OutcomeFactory(), note="", duration=10, campaign=both, now=NOW)
    call_log(party=duplicate, agent=agent, outcome=OutcomeFactory(needs_callback=True), note="", duration=10,
             campaign=both, callback_at=NOW + dt.timedelta(days=1), now=NOW + dt.timedelta(minutes=5))
    CampaignTarget.objects.create(campaign=only_duplicate, party=duplicate, added_at=NOW)
    service_request(party=duplicate)

    party_merge(survivor=survivor, merged=duplicate, by=make_user(Role.MANAGER), now=NOW + dt.timedelta(hours=1))

    assert Call.objects.filter(party=survivor).count() == 2
    assert ServiceRequest.objects.get().party == survivor
    assert sorted(CampaignTarget.objects.filter(party=survivor).values_list("campaign", flat=True)) == [
        both.pk, only_duplicate.pk]
    state = PartyCallState.objects.get(party=survivor)
    assert (state.calls, state.next_callback_at) == (2, NOW + dt.timedelta(days=1))
    assert not PartyCallState.objects.filter(party=duplicate).exists()
