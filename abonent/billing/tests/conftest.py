import datetime as dt

import pytest

from abonent.contracts.models import Discount
from abonent.contracts.tests.factories import NOW
from abonent.customers.models import Node, NodeMembership, StructureKind
from abonent.customers.tests.hierarchies.factories import StructureFactory


@pytest.fixture
def discount_at():
    """Place the customer in a node of a new discount structure carrying a discount."""

    def make(party, *, percent, active_from=dt.date(2026, 1, 1), active_to=None, product=None):
        structure = StructureFactory(kind=StructureKind.DISCOUNTS)
        node = Node.objects.add_root({"structure": structure, "name": "Loyal customers"})
        NodeMembership.objects.create(structure=structure, node=node, party=party, active_from=dt.date(2025, 1, 1))
        return Discount.objects.create(node=node, name="Loyalty", percent=percent, product=product,
                                       active_from=active_from, active_to=active_to, created_at=NOW)

    return make
