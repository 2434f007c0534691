import datetime as dt

import pytest
import time_machine

from abonent.accounts.models import RoleRight
from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Access, Role
from abonent.customers.hierarchy_services import party_place
from abonent.customers.hierarchy_views import hierarchy_tab
from abonent.customers.models import NodeMembership
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
JAN = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def structures(db):
    organisation = StructureFactory(name="Organisation", code="organisation")
    billing = StructureFactory(name="Billing", code="billing")
    return {
        "organisation": (organisation, tree(organisation, {"Prague": {"Sales": {}}, "Brno": {}})),
        "billing": (billing, tree(billing, {"Head office pays": {}})),
    }


def test_the_tab_shows_the_partys_place_in_every_structure_with_paths(client_as, make_user, structures):
    _org, nodes = structures["organisation"]
    party = PartyFactory()
    party_place(party=party, node=nodes["Sales"], active_from=JAN, by=make_user())

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/hierarchy/").content.decode()

    placements = page.split('id="placements"', 1)[1].split("</table>", 1)[0]
    assert "Prague › Sales" in placements
    assert "Billing" in placements and "Not placed" in placements


def test_an_agent_places_a_party_found_by_searching(client_as, structures):
    billing, nodes = structures["billing"]
    client = client_as(Role.AGENT)
    party = PartyFactory()

    form = client.get(f"/customers/{party.pk}/hierarchy/", {"place": billing.pk, "q": "head"}).content.decode()
    response = client.post(f"/customers/{party.pk}/hierarchy/place/", {
        "structure": billing.pk, "node": nodes["Head office pays"].pk, "active_from": "2026-03-02",
    }, HTTP_HX_REQUEST="true")

    assert f'value="{nodes["Head office pays"].pk}"' in form
    assert response.status_code == 200
    assert "Placed in “Head office pays” from 02/03/2026." in response.content.decode()
    membership = NodeMembership.objects.get(party=party)
    assert (membership.node, membership.active_from) == (nodes["Head office pays"], dt.date(2026, 3, 2))
    entry = AuditEntry.objects.get(action="abonent.customers.placement.placed")
    assert (entry.subject_id, entry.channel, entry.actor) == (str(party.pk), Channel.UI, client.user)


def test_a_node_of_another_structure_is_refused(client_as, structures):
    billing, _ = structures["billing"]
    _org, org_nodes = structures["organisation"]
    party = PartyFactory()

    response = client_as(Role.AGENT).post(f"/customers/{party.pk}/hierarchy/place/", {
        "structure": billing.pk, "node": org_nodes["Brno"].pk, "active_from": "2026-03-02",
    })

    assert response.status_code == 200
    assert "Choose a node." in response.content.decode()
    assert not NodeMembership.objects.exists()


def test_an_agent_takes_a_party_out_of_a_structure(client_as, make_user, structures):
    organisation, nodes = structures["organisation"]
    party = PartyFactory()
    party_place(party=party, node=nodes["Brno"], active_from=JAN, by=make_user())

    response = client_as(Role.AGENT).post(f"/customers/{party.pk}/hierarchy/{organisation.pk}/remove/",
                                          {"active_from": "2026-03-02"})

    assert response.status_code == 302
    assert NodeMembership.objects.get(party=party).active_to == dt.date(2026, 3, 2)
    assert AuditEntry.objects.filter(action="abonent.customers.placement.removed").exists()


def test_the_tab_shows_where_the_party_sat_on_a_past_day(client_as, make_user, structures):
    _org, nodes = structures["organisation"]
    party = PartyFactory()
    party_place(party=party, node=nodes["Brno"], active_from=JAN, by=make_user())
    party_place(party=party, node=nodes["Sales"], active_from=dt.date(2026, 3, 1), by=make_user())

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/hierarchy/", {"as_of": "2026-02-01"}).content.decode()

    placements = page.split('id="placements"', 1)[1].split("</table>", 1)[0]
    assert "Brno" in placements and "Sales" not in placements
    assert "?place=" not in placements


def test_the_tab_function_renders_for_a_party_it_is_given(rf, make_user, structures):
    request = rf.get("/customers/1/", HTTP_HX_REQUEST="true")
    request.user = make_user(Role.AGENT)
    request.htmx = True

    response = hierarchy_tab(request, PartyFactory())

    assert response.content.decode().lstrip().startswith('<section id="hierarchy-tab"')


def test_read_only_access_shows_placements_without_changes(client_as, structures):
    billing, nodes = structures["billing"]
    RoleRight.objects.filter(role=Role.AGENT, module="customers").update(access=Access.READ)
    client = client_as(Role.AGENT)
    party = PartyFactory()

    page = client.get(f"/customers/{party.pk}/hierarchy/").content.decode()
    refused = client.post(f"/customers/{party.pk}/hierarchy/place/", {
        "structure": billing.pk, "node": nodes["Head office pays"].pk, "active_from": "2026-03-02",
    })

    assert "?place=" not in page
    assert refused.status_code == 403
    assert not NodeMembership.objects.exists()


def test_a_portal_customer_is_refused(client_as, structures):
    client = client_as(Role.CUSTOMER)
    party = PartyFactory()

    assert client.get(f"/customers/{party.pk}/hierarchy/").status_code == 403


def test_the_tab_needs_a_fixed_number_of_queries(client_as, make_user, django_assert_max_num_queries):
    party = PartyFactory()
    agent = make_user(Role.AGENT)
    for _ in range(8):
        structure = StructureFactory()
        nodes = tree(structure, {"A": {"B": {"C": {}}}})
        party_place(party=party, node=nodes["A"], active_from=JAN, by=agent)
        party_place(party=party, node=nodes["C"], active_from=dt.date(2026, 2, 1), by=agent)
    client = client_as(Role.AGENT)

    with django_assert_max_num_queries(10):
        assert client.get(f"/customers/{party.pk}/hierarchy/", HTTP_HX_REQUEST="true").status_code == 200
