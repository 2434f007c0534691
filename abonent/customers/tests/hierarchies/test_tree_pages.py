import datetime as dt

import pytest

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.hierarchy_selectors import node_paths
from abonent.customers.hierarchy_services import party_place
from abonent.customers.models import Node, Structure
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

JAN = dt.date(2026, 1, 1)


@pytest.fixture
def organisation(db):
    structure = StructureFactory(name="Organisation")
    return structure, tree(structure, {"Prague": {"Sales": {"Team A": {}}, "Support": {}}, "Brno": {}})


def test_an_administrator_creates_a_structure(client_as):
    response = client_as(Role.ADMINISTRATOR).post("/customers/structures/", {"name": "Discounts", "kind": "discounts"})

    structure = Structure.objects.get(name="Discounts")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/structures/{structure.pk}/"


def test_the_tree_shows_the_top_nodes_and_loads_deeper_ones_when_opened(client_as, organisation):
    structure, nodes = organisation
    client = client_as(Role.AGENT)

    page = client.get(f"/customers/structures/{structure.pk}/").content.decode()
    children = client.get(f"/customers/nodes/{nodes['Prague'].pk}/children/", HTTP_HX_REQUEST="true")

    assert "Prague" in page and "Brno" in page and "Sales" not in page
    assert f'hx-get="/customers/nodes/{nodes["Prague"].pk}/children/"' in page
    assert [n in children.content.decode() for n in ("Sales", "Support", "Team A")] == [True, True, False]


def test_choosing_a_node_opens_the_tree_down_to_it(client_as, organisation):
    structure, nodes = organisation

    page = client_as(Role.AGENT).get(f"/customers/structures/{structure.pk}/",
                                     {"node": nodes["Team A"].pk}).content.decode()

    assert "Prague › Sales › Team A" in page
    tree_part = page.split('aria-label="Tree"', 1)[1].split("</nav>", 1)[0]
    assert "Support" in tree_part and "Team A" in tree_part


def test_the_node_panel_lists_the_customers_placed_there(client_as, make_user, organisation):
    structure, nodes = organisation
    party_place(party=PartyFactory(name="Eva Malá"), node=nodes["Sales"], active_from=JAN, by=make_user())

    panel = client_as(Role.AGENT).get(f"/customers/nodes/{nodes['Sales'].pk}/", HTTP_HX_REQUEST="true")

    assert "Eva Malá" in panel.content.decode()


def test_search_shows_matching_nodes_with_their_path(client_as, organisation):
    structure, _nodes = organisation

    results = client_as(Role.AGENT).get(f"/customers/structures/{structure.pk}/search/", {"q": "team"},
                                        HTTP_HX_REQUEST="true").content.decode()

    assert "Team A" in results and "in Prague › Sales" in results
    assert "Brno" not in results


def test_search_works_without_javascript(client_as, organisation):
    structure, _nodes = organisation

    page = client_as(Role.AGENT).get(f"/customers/structures/{structure.pk}/", {"q": "sup"}).content.decode()

    assert "1 node matches “sup”" in page


def test_an_administrator_adds_renames_moves_and_deletes_nodes(client_as, organisation):
    structure, nodes = organisation
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/customers/structures/{structure.pk}/nodes/new/", {"name": "Team B", "parent": nodes["Sales"].pk})
    client.post(f"/customers/nodes/{nodes['Support'].pk}/rename/", {"name": "Customer care"})
    client.post(f"/customers/nodes/{nodes['Sales'].pk}/move/", {"target": nodes["Brno"].pk})
    client.post(f"/customers/nodes/{Node.objects.get(name='Team B').pk}/delete/")

    labels = sorted(node_paths(Node.objects.filter(structure=structure)).values())
    assert labels == ["Brno", "Brno › Sales", "Brno › Sales › Team A", "Prague", "Prague › Customer care"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"abonent.customers.node.added", "abonent.customers.node.renamed", "abonent.customers.node.moved",
            "abonent.customers.node.deleted"} <= actions


def test_moving_under_a_descendant_is_refused_with_a_clear_message(client_as, organisation):
    structure, nodes = organisation

    response = client_as(Role.ADMINISTRATOR).post(f"/customers/nodes/{nodes['Prague'].pk}/move/",
                                                  {"target": nodes["Team A"].pk})

    assert response.status_code == 200
    assert "“Prague” cannot move under “Team A”, which is inside it." in response.content.decode()
    assert Node.objects.get(pk=nodes["Prague"].pk).depth == 1


def test_the_move_target_is_found_by_searching_and_excludes_the_subtree(client_as, organisation):
    structure, nodes = organisation

    options = client_as(Role.ADMINISTRATOR).get(
        f"/customers/structures/{structure.pk}/pick/",
        {"q": "a", "field": "target", "exclude": nodes["Sales"].pk}, HTTP_HX_REQUEST="true",
    ).content.decode()

    assert 'name="target"' in options
    assert f'value="{nodes["Prague"].pk}"' in options
    assert f'value="{nodes["Team A"].pk}"' not in options


def test_refusing_to_delete_a_node_that_holds_customers_says_why(client_as, make_user, organisation):
    structure, nodes = organisation
    party_place(party=PartyFactory(), node=nodes["Brno"], active_from=JAN, by=make_user())

    response = client_as(Role.ADMINISTRATOR).post(f"/customers/nodes/{nodes['Brno'].pk}/delete/", follow=True)

    assert "it can be renamed or moved, not deleted" in response.content.decode()
    assert Node.objects.filter(pk=nodes["Brno"].pk).exists()


def test_an_agent_reads_the_tree_but_cannot_change_it(client_as, organisation):
    structure, nodes = organisation
    client = client_as(Role.AGENT)

    page = client.get(f"/customers/structures/{structure.pk}/", {"node": nodes["Sales"].pk}).content.decode()

    assert page.count("Sales") >= 1
    assert "/rename/" not in page and "/move/" not in page and "/delete/" not in page
    for url, data in [
        ("/customers/structures/", {"name": "Mine", "kind": "x"}),
        (f"/customers/structures/{structure.pk}/nodes/new/", {"name": "X"}),
        (f"/customers/structures/{structure.pk}/levels/", {"name": "X", "order": 1}),
        (f"/customers/nodes/{nodes['Sales'].pk}/rename/", {"name": "X"}),
        (f"/customers/nodes/{nodes['Sales'].pk}/move/", {"target": "top"}),
        (f"/customers/nodes/{nodes['Brno'].pk}/delete/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert Node.objects.filter(structure=structure).count() == 5
    assert not Structure.objects.filter(name="Mine").exists()


def test_a_portal_customer_cannot_see_the_trees(client_as, organisation):
    structure, nodes = organisation
    client = client_as(Role.CUSTOMER)

    for url in ("/customers/structures/", f"/customers/structures/{structure.pk}/",
                f"/customers/nodes/{nodes['Prague'].pk}/children/"):
        assert client.get(url).status_code == 403


def test_node_names_are_escaped(client_as):
    structure = StructureFactory()
    tree(structure, {"<img src=x onerror=alert(1)>": {}})

    page = client_as(Role.AGENT).get(f"/customers/structures/{structure.pk}/").content.decode()

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_opening_a_branch_takes_a_fixed_number_of_queries(client_as, make_user, django_assert_max_num_queries):
    structure = StructureFactory()
    nodes = tree(structure, {"Top": {f"Child {n}": {"Leaf": {}} for n in range(30)}})
    agent = make_user(Role.AGENT)
    for n in range(30):
        party_place(party=PartyFactory(), node=nodes[f"Child {n}"], active_from=JAN, by=agent)
    client = client_as(Role.AGENT)

    # the session, the user, their devices, rights and favourites; the node; its children with their counts
    with django_assert_max_num_queries(7):
        response = client.get(f"/customers/nodes/{nodes['Top'].pk}/children/", HTTP_HX_REQUEST="true")

    assert response.content.decode().count("<li>") == 30
