"""People changing the same customer at the same moment queue on the customer's row: periods never overlap."""

import datetime as dt
import threading

import pytest
from django.db import connection

from abonent.accounts.tests.factories import UserFactory
from abonent.customers.attribute_services import attribute_set
from abonent.customers.hierarchy_services import node_add, party_place
from abonent.customers.models import AttributeValue, Node, NodeMembership
from abonent.customers.tests.attributes.factories import AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

JAN = dt.date(2026, 1, 1)


def in_threads(jobs) -> None:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def assert_no_overlap(rows) -> None:
    rows = sorted(rows, key=lambda r: r.active_from)
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert earlier.active_to is not None and earlier.active_to <= later.active_from


@pytest.mark.django_db(transaction=True)
def test_values_set_at_once_from_different_days_never_overlap():
    agent = UserFactory()
    definition = AttributeDefinitionFactory()
    party = PartyFactory()
    days = [JAN + dt.timedelta(days=7 * n) for n in range(8)]

    in_threads([
        lambda day=day, n=n: attribute_set(party=party, definition=definition, value=f"v{n}", active_from=day, by=agent)
        for n, day in enumerate(days)
    ])

    rows = list(AttributeValue.objects.filter(party=party, definition=definition))
    assert sorted(r.active_from for r in rows) == days
    assert_no_overlap(rows)


@pytest.mark.django_db(transaction=True)
def test_placements_made_at_once_never_overlap():
    agent = UserFactory()
    structure = StructureFactory()
    nodes = tree(structure, {f"N{n}": {} for n in range(6)})
    party = PartyFactory()

    in_threads([
        lambda n=n: party_place(party=party, node=nodes[f"N{n}"], active_from=JAN + dt.timedelta(days=n), by=agent)
        for n in range(6)
    ])

    rows = list(NodeMembership.objects.filter(party=party))
    assert len(rows) == 6
    assert_no_overlap(rows)


@pytest.mark.django_db(transaction=True)
def test_nodes_added_at_once_under_one_parent_all_get_a_place():
    admin = UserFactory()
    structure = StructureFactory()
    parent = tree(structure, {"Top": {}})["Top"]

    in_threads([
        lambda n=n: node_add(by=admin, structure=structure, name=f"Child {n}", parent=Node.objects.get(pk=parent.pk))
        for n in range(8)
    ])

    parent.refresh_from_db()
    assert parent.numchild == 8
    assert Node.objects.filter(path__startswith=parent.path, depth=2).count() == 8
