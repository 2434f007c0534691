import datetime as dt

import pytest

from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role
from abonent.core.services import AbonentError
from abonent.customers.identifiers import InvalidIdentifier
from abonent.customers.models import PartyKind, Stage, StageChange, TrackingScope
from abonent.customers.services import PartyMerged, party_change_stage, party_set_tags, party_update
from abonent.customers.tests.factories import CallCenterStatusFactory, PartyFactory, person

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_it_changes_the_fields_and_records_old_and_new(make_user):
    agent, rep = make_user(Role.AGENT), make_user(Role.SALES_REP, first_name="Radek", last_name="Černý")
    status = CallCenterStatusFactory(name="Call back")
    party = person(first_name="Jana", last_name="Nováková")

    party_update(party=party, by=agent, values={"last_name": "Svobodová", "sales_rep": rep,
                                                "call_center_status": status}, channel=Channel.API, now=NOW)

    party.refresh_from_db()
    assert (party.name, party.sales_rep, party.call_center_status) == ("Jana Svobodová", rep, status)
    entry = AuditEntry.objects.get(action="abonent.customers.party.changed")
    assert (entry.actor, entry.channel, entry.at, entry.subject_id) == (agent, Channel.API, NOW, str(party.pk))
    assert entry.changes == {
        "last_name": ["Nováková", "Svobodová"], "name": ["Jana Nováková", "Jana Svobodová"],
        "sales_rep": [None, "Radek Černý"], "call_center_status": [None, "Call back"],
    }


def test_it_changes_an_untracked_field_without_a_history_entry(make_user):
    party = person(tax_id="")
    TrackingScope.objects.create(entity="party", field="first_name", tracked=False)
    TrackingScope.objects.create(entity="party", field="name", tracked=False)

    party_update(party=party, by=make_user(), values={"first_name": "Eva"})
    party_update(party=party, by=make_user(), values={"first_name": "Eva", "last_name": "Malá"})

    party.refresh_from_db()
    assert party.name == "Eva Malá"
    entries = list(AuditEntry.objects.filter(action="abonent.customers.party.changed"))
    assert [e.changes for e in entries] == [{"last_name": ["Nováková", "Malá"]}]


def test_saving_the_same_values_writes_nothing(make_user):
    party = person()

    party_update(party=party, by=make_user(), values={"first_name": "Jana", "country": "cz"})

    assert not AuditEntry.objects.filter(action="abonent.customers.party.changed").exists()


def test_it_checks_the_tax_id_against_the_new_country(make_user):
    party = PartyFactory(kind=PartyKind.ORGANISATION, name="Alfa", country="CZ", tax_id="25596641")

    with pytest.raises(InvalidIdentifier):
        party_update(party=party, by=make_user(), values={"country": "PL"})

    party.refresh_from_db()
    assert party.country == "CZ"


def test_it_moves_the_stage_with_the_date_reason_and_who(make_user):
    agent = make_user()
    party = person(stage=Stage.PROSPECT, now=NOW - dt.timedelta(days=3))

    party_change_stage(party=party, to_stage=Stage.LEAD, by=agent, reason="Asked for an offer", now=NOW)

    moves = list(StageChange.objects.filter(party=party).order_by("at"))
    assert [(m.from_stage, m.to_stage, m.reason) for m in moves] == [
        ("", Stage.PROSPECT, ""), (Stage.PROSPECT, Stage.LEAD, "Asked for an offer"),
    ]
    assert (moves[1].at, moves[1].by) == (NOW, agent)
    entry = AuditEntry.objects.get(action="abonent.customers.party.stage_changed")
    assert (entry.changes, entry.note) == ({"stage": ["prospect", "lead"]}, "Asked for an offer")


def test_a_customer_leaves_only_with_a_reason(make_user):
    party = person(stage=Stage.CUSTOMER)

    with pytest.raises(AbonentError, match="Say why"):
        party_change_stage(party=party, to_stage=Stage.FORMER, by=make_user(), reason="  ")

    party.refresh_from_db()
    assert party.stage == Stage.CUSTOMER


def test_moving_to_the_same_stage_is_refused(make_user):
    party = person(stage=Stage.LEAD)

    with pytest.raises(AbonentError):
        party_change_stage(party=party, to_stage=Stage.LEAD, by=make_user())


def test_the_stage_history_is_kept_even_when_the_stage_is_not_tracked(make_user):
    TrackingScope.objects.create(entity="party", field="stage", tracked=False)
    party = person(stage=Stage.LEAD)

    party_change_stage(party=party, to_stage=Stage.CUSTOMER, by=make_user())

    assert StageChange.objects.filter(party=party, to_stage=Stage.CUSTOMER).exists()
    assert not AuditEntry.objects.filter(action="abonent.customers.party.stage_changed").exists()


def test_it_sets_tags_reusing_existing_ones_in_any_case(make_user):
    a, b = person(), person(first_name="Petr")
    party_set_tags(party=a, names=["VIP", " fibre  optic "], by=make_user())

    party_set_tags(party=b, names=["vip", "Business", "business"], by=make_user())

    assert sorted(t.name for t in a.tags.all()) == ["VIP", "fibre optic"]
    assert sorted(t.name for t in b.tags.all()) == ["Business", "VIP"]
    entry = AuditEntry.objects.filter(action="abonent.customers.party.tags_changed", subject_id=str(b.pk)).get()
    assert entry.changes == {"tags": [[], ["Business", "VIP"]]}


def test_a_merged_record_cannot_be_changed(make_user):
    survivor, merged = person(), person(first_name="Duplicate")
    merged.merged_into = survivor
    merged.save()

    with pytest.raises(PartyMerged):
        party_update(party=merged, by=make_user(), values={"first_name": "X"})
