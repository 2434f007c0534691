import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role
from abonent.customers.hierarchy_selectors import node_children, node_members, party_placements
from abonent.customers.hierarchy_services import party_place, party_unplace
from abonent.customers.models import NodeMembership
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def agent(make_user):
    return make_user(Role.AGENT)


def placements(party, structure) -> list[tuple]:
    return [
        (m.node.name, m.active_from, m.active_to)
        for m in NodeMembership.objects.filter(party=party, structure=structure).order_by("active_from")
    ]


def test_a_party_sits_in_one_node_per_structure_at_a_time(agent):
    # given
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {}, "Brno": {}})
    party = PartyFactory()
    party_place(party=party, node=nodes["Prague"], active_from=JAN, by=agent, now=NOW)

    # when it moves to Brno from March
    party_place(party=party, node=nodes["Brno"], active_from=MAR, by=agent, now=NOW)

    # then Prague ends the day before
    assert placements(party, structure) == [("Prague", JAN, MAR), ("Brno", MAR, None)]


def test_a_party_sits_in_several_structures_at_once(agent):
    organisation, billing = StructureFactory(name="Organisation"), StructureFactory(name="Billing")
    prague = tree(organisation, {"Prague": {}})["Prague"]
    payer = tree(billing, {"Head office pays": {}})["Head office pays"]
    party = PartyFactory()

    party_place(party=party, node=prague, active_from=JAN, by=agent, now=NOW)
    party_place(party=party, node=payer, active_from=JAN, by=agent, now=NOW)

    shown = {p.structure.name: p.current_path for p in party_placements(party=party, on=FEB)}
    assert shown == {"Billing": "Head office pays", "Organisation": "Prague"}


def test_a_back_dated_placement_never_overlaps_a_planned_one(agent):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {}, "Brno": {}, "Ostrava": {}})
    party = PartyFactory()
    party_place(party=party, node=nodes["Prague"], active_from=JAN, by=agent, now=NOW)
    party_place(party=party, node=nodes["Brno"], active_from=MAR, by=agent, now=NOW)

    party_place(party=party, node=nodes["Ostrava"], active_from=FEB, by=agent, now=NOW)

    assert placements(party, structure) == [("Prague", JAN, FEB), ("Ostrava", FEB, MAR), ("Brno", MAR, None)]


def test_placing_in_the_same_node_again_changes_nothing(agent):
    structure = StructureFactory()
    prague = tree(structure, {"Prague": {}})["Prague"]
    party = PartyFactory()
    party_place(party=party, node=prague, active_from=JAN, by=agent, now=NOW)

    party_place(party=party, node=prague, active_from=MAR, by=agent, now=NOW)

    assert placements(party, structure) == [("Prague", JAN, None)]
    assert AuditEntry.objects.filter(action="abonent.customers.placement.placed").count() == 1


def test_placements_are_audited_under_the_party_with_the_paths(agent):
    structure = StructureFactory(code="organisation")
    nodes = tree(structure, {"Prague": {"Sales": {}}, "Brno": {}})
    party = PartyFactory()
    party_place(party=party, node=nodes["Sales"], active_from=JAN, by=agent, now=NOW)

    membership = party_place(party=party, node=nodes["Brno"], active_from=MAR, by=agent, channel=Channel.API, now=NOW)

    entry = AuditEntry.objects.filter(action="abonent.customers.placement.placed").latest("id")
    assert entry.changes == {"organisation": ["Prague › Sales", "Brno"]}
    assert (entry.target_id, entry.subject_id, entry.channel) == (str(membership.pk), str(party.pk), Channel.API)


def test_unplacing_ends_the_placement_and_is_audited(agent):
    structure = StructureFactory(code="billing")
    prague = tree(structure, {"Prague": {}})["Prague"]
    party = PartyFactory()
    party_place(party=party, node=prague, active_from=JAN, by=agent, now=NOW)

    party_unplace(party=party, structure=structure, active_from=MAR, by=agent, now=NOW)

    assert placements(party, structure) == [("Prague", JAN, MAR)]
    entry = AuditEntry.objects.get(action="abonent.customers.placement.removed")
    assert entry.changes == {"billing": ["Prague", None]}
    assert entry.subject_id == str(party.pk)


def test_the_placement_history_shows_where_the_party_sat_on_a_past_day(agent):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {}, "Brno": {}})
    party = PartyFactory()
    party_place(party=party, node=nodes["Prague"], active_from=JAN, by=agent, now=NOW)
    party_place(party=party, node=nodes["Brno"], active_from=MAR, by=agent, now=NOW)

    (in_february,) = party_placements(party=party, on=FEB)
    (in_march,) = party_placements(party=party, on=MAR)

    assert (in_february.current_path, in_march.current_path) == ("Prague", "Brno")
    assert [path for _m, path in in_march.history] == ["Brno", "Prague"]


def test_a_node_lists_the_parties_placed_in_it_on_the_day(agent):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {}, "Brno": {}})
    stays, leaves = PartyFactory(name="Stays"), PartyFactory(name="Leaves")
    party_place(party=stays, node=nodes["Prague"], active_from=JAN, by=agent, now=NOW)
    party_place(party=leaves, node=nodes["Prague"], active_from=JAN, by=agent, now=NOW)
    party_place(party=leaves, node=nodes["Brno"], active_from=MAR, by=agent, now=NOW)

    assert [m.party.name for m in node_members(node=nodes["Prague"], on=FEB)] == ["Leaves", "Stays"]
    assert [m.party.name for m in node_members(node=nodes["Prague"], on=MAR)] == ["Stays"]
    counts = {n.name: n.member_count for n in node_children(structure=structure, parent=None, on=MAR)}
    assert counts == {"Brno": 1, "Prague": 1}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(["Prague", "Brno", None]), st.integers(0, 30)), min_size=1,
                        max_size=10))
def test_any_sequence_of_placements_never_overlaps(make_user, changes):
    agent = make_user(Role.AGENT)
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {}, "Brno": {}})
    party = PartyFactory()

    for name, offset in changes:
        day = JAN + dt.timedelta(days=offset)
        if name is None:
            party_unplace(party=party, structure=structure, active_from=day, by=agent, now=NOW)
        else:
            party_place(party=party, node=nodes[name], active_from=day, by=agent, now=NOW)

        (shown,) = [p for p in party_placements(party=party, on=day) if p.structure == structure]
        assert shown.current_path == (name or "")
        rows = placements(party, structure)
        for (_n, _f, earlier_to), (_m, later_from, _t) in zip(rows, rows[1:], strict=False):
            assert earlier_to is not None and earlier_to <= later_from
