import datetime as dt

import pytest

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.hierarchy_selectors import node_children, node_paths, node_search
from abonent.customers.hierarchy_services import (
    HierarchyRefused,
    level_add,
    node_add,
    node_delete,
    node_move,
    node_rename,
    party_place,
    structure_create,
)
from abonent.customers.models import Node
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR)


def paths(structure) -> list[str]:
    nodes = list(Node.objects.filter(structure=structure))
    return sorted(node_paths(nodes).values())


def test_a_structure_is_created_with_a_code_from_its_name_and_audited(admin):
    structure = structure_create(by=admin, name="Billing groups", kind="Billing")

    assert (structure.code, structure.kind) == ("billing-groups", "billing")
    entry = AuditEntry.objects.get(action="abonent.customers.structure.created")
    assert entry.changes["name"] == [None, "Billing groups"]


def test_two_structures_cannot_share_a_name(admin):
    structure_create(by=admin, name="Organisation", kind="organisation")

    with pytest.raises(HierarchyRefused):
        structure_create(by=admin, name="organisation", kind="organisation")


def test_nodes_take_the_level_named_for_their_depth(admin):
    structure = StructureFactory()
    centre = level_add(by=admin, structure=structure, name="Centre", order=1)
    department = level_add(by=admin, structure=structure, name="Department", order=2)

    prague = node_add(by=admin, structure=structure, name="Prague")
    sales = node_add(by=admin, structure=structure, name="Sales", parent=prague)
    team = node_add(by=admin, structure=structure, name="Team A", parent=sales)

    assert (prague.level, sales.level, team.level) == (centre, department, None)
    assert paths(structure) == ["Prague", "Prague › Sales", "Prague › Sales › Team A"]
    assert AuditEntry.objects.filter(action="abonent.customers.node.added").count() == 3


def test_structures_are_independent_trees(admin):
    organisation, billing = StructureFactory(name="Organisation"), StructureFactory(name="Billing")
    node_add(by=admin, structure=organisation, name="Prague")
    node_add(by=admin, structure=billing, name="Key accounts")
    node_add(by=admin, structure=organisation, name="Brno")

    top = {s.name: [n.name for n in node_children(structure=s, parent=None, on=TODAY)] for s in (organisation, billing)}

    assert top == {"Organisation": ["Brno", "Prague"], "Billing": ["Key accounts"]}


def test_moving_a_node_takes_all_its_descendants_along(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {"Team A": {"Desk 1": {}}, "Team B": {}}}, "Brno": {}})

    node_move(by=admin, node=nodes["Sales"], parent=nodes["Brno"])

    assert paths(structure) == [
        "Brno", "Brno › Sales", "Brno › Sales › Team A", "Brno › Sales › Team A › Desk 1", "Brno › Sales › Team B",
        "Prague",
    ]
    assert Node.objects.get(pk=nodes["Prague"].pk).numchild == 0
    entry = AuditEntry.objects.get(action="abonent.customers.node.moved")
    assert entry.changes == {"parent": ["Prague", "Brno"]}


def test_a_node_keeps_its_key_and_its_customers_when_it_moves(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {}}, "Brno": {}})
    party = PartyFactory()
    placement = party_place(party=party, node=nodes["Sales"], active_from=TODAY, by=admin)

    moved = node_move(by=admin, node=nodes["Sales"], parent=nodes["Brno"])

    assert moved.pk == nodes["Sales"].pk
    placement.refresh_from_db()
    assert placement.node_id == moved.pk
    assert node_paths([placement.node]) == {moved.pk: "Brno › Sales"}


def test_a_node_moves_to_the_top_of_its_structure(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {"Team A": {}}}})

    node_move(by=admin, node=nodes["Sales"], parent=None)

    assert paths(structure) == ["Prague", "Sales", "Sales › Team A"]


def test_a_node_cannot_move_under_its_own_descendant(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {"Team A": {}}}})

    with pytest.raises(HierarchyRefused) as refused:
        node_move(by=admin, node=nodes["Prague"], parent=nodes["Team A"])

    assert str(refused.value) == (
        "“Prague” cannot move under “Team A”, which is inside it. Move “Team A” out first."
    )
    assert paths(structure) == ["Prague", "Prague › Sales", "Prague › Sales › Team A"]
    with pytest.raises(HierarchyRefused):
        node_move(by=admin, node=nodes["Sales"], parent=nodes["Sales"])


def test_a_node_cannot_move_to_another_structure(admin):
    organisation, billing = StructureFactory(), StructureFactory()
    prague = tree(organisation, {"Prague": {}})["Prague"]
    keys = tree(billing, {"Key accounts": {}})["Key accounts"]

    with pytest.raises(HierarchyRefused):
        node_move(by=admin, node=prague, parent=keys)


def test_a_tree_twenty_levels_deep_works(admin):
    structure = StructureFactory()
    parent = None
    for depth in range(1, 21):
        parent = node_add(by=admin, structure=structure, name=f"L{depth}", parent=parent)

    deepest = Node.objects.get(pk=parent.pk)
    assert deepest.depth == 20
    assert node_paths([deepest])[deepest.pk] == " › ".join(f"L{d}" for d in range(1, 21))
    # and the whole chain moves under a new top node in one go
    top = node_add(by=admin, structure=structure, name="New top")
    node_move(by=admin, node=Node.objects.get(name="L1"), parent=top)
    assert Node.objects.get(pk=parent.pk).depth == 21
    assert [n.name for n in Node.objects.get_ancestors(Node.objects.get(pk=parent.pk))][:2] == ["New top", "L1"]


def test_renaming_keeps_the_node_and_is_audited(admin):
    structure = StructureFactory()
    department = level_add(by=admin, structure=structure, name="Department", order=2)
    node = tree(structure, {"Sales": {}})["Sales"]

    node_rename(by=admin, node=node, name="Sales and retention", level=department)

    node.refresh_from_db()
    assert (node.name, node.level) == ("Sales and retention", department)
    entry = AuditEntry.objects.get(action="abonent.customers.node.renamed")
    assert entry.changes == {"name": ["Sales", "Sales and retention"], "level": [None, "Department"]}


def test_a_level_of_another_structure_is_refused(admin):
    structure, other = StructureFactory(), StructureFactory()
    foreign = level_add(by=admin, structure=other, name="Region", order=1)

    with pytest.raises(HierarchyRefused):
        node_add(by=admin, structure=structure, name="Prague", level=foreign)


def test_only_an_empty_node_can_be_deleted(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {}}, "Brno": {}})
    party_place(party=PartyFactory(), node=nodes["Brno"], active_from=TODAY, by=admin)

    with pytest.raises(HierarchyRefused, match="still has nodes under it"):
        node_delete(by=admin, node=nodes["Prague"])
    with pytest.raises(HierarchyRefused, match="Customers are or were placed"):
        node_delete(by=admin, node=nodes["Brno"])
    node_delete(by=admin, node=nodes["Sales"])

    assert paths(structure) == ["Brno", "Prague"]
    assert Node.objects.get(pk=nodes["Prague"].pk).numchild == 0
    assert AuditEntry.objects.get(action="abonent.customers.node.deleted").changes == {"name": ["Sales", None]}


def test_search_finds_nodes_by_part_of_their_name_with_their_path(admin):
    structure, other = StructureFactory(), StructureFactory()
    tree(structure, {"Prague": {"Sales": {"Team Sales East": {}}}, "Brno": {"Field sales": {}}})
    tree(other, {"Sales elsewhere": {}})

    found = node_search(structure=structure, query="SALES")

    assert [f.path for f in found] == [
        "Brno › Field sales", "Prague › Sales", "Prague › Sales › Team Sales East",
    ]


def test_search_for_a_move_target_leaves_out_the_node_and_its_subtree(admin):
    structure = StructureFactory()
    nodes = tree(structure, {"Prague": {"Sales": {"Sales desk": {}}}, "Brno": {"Sales Brno": {}}})

    found = node_search(structure=structure, query="sales", exclude_subtree_of=nodes["Sales"])

    assert [f.path for f in found] == ["Brno › Sales Brno"]


def test_paths_of_many_nodes_take_one_query(admin, django_assert_num_queries):
    structure = StructureFactory()
    nodes = tree(structure, {"A": {"B": {"C": {"D": {}}}}, "E": {"F": {}}})
    loaded = list(Node.objects.filter(pk__in=[n.pk for n in nodes.values()]))

    with django_assert_num_queries(1):
        labels = node_paths(loaded)

    assert labels[nodes["D"].pk] == "A › B › C › D"

