"""Discounts at nodes of a discount structure: who gets them, and the schedule follows."""

import datetime as dt
from decimal import Decimal

import pytest

from abonent.billing.models import ExpectedPayment, ItemStatus
from abonent.contracts.catalogue_services import discount_create, discount_end
from abonent.contracts.pricing import contract_prices
from abonent.contracts.services import ContractError
from abonent.contracts.tests.factories import NOW, ProductFactory, active_contract
from abonent.customers.models import NodeMembership, StructureKind
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def programmes():
    structure = StructureFactory(kind=StructureKind.DISCOUNTS)
    return tree(structure, {"Loyalty": {"Five years": {}}, "Staff": {}})


def place(party, node):
    NodeMembership.objects.create(structure=node.structure, node=node, party=party, active_from=dt.date(2025, 1, 1))


def amounts(contract, n=3):
    return [i.amount for i in ExpectedPayment.objects.filter(contract=contract, status=ItemStatus.OPEN)
            .order_by("period_from")[:n]]


def test_a_discount_applies_to_customers_at_its_node_and_below(programmes):
    below, elsewhere = active_contract(), active_contract()
    place(below.party, programmes["Five years"])
    place(elsewhere.party, programmes["Staff"])

    discount_create(by=None, node=programmes["Loyalty"], name="Loyalty", percent=D(10),
                    active_from=dt.date(2026, 1, 1), now=NOW)

    assert amounts(below) == [D("279.00")] * 3
    assert amounts(elsewhere) == [D("310.00")] * 3


def test_discounts_of_a_node_and_its_parent_compound(programmes):
    contract = active_contract()
    place(contract.party, programmes["Five years"])

    discount_create(by=None, node=programmes["Loyalty"], name="Loyalty", percent=D(10),
                    active_from=dt.date(2026, 1, 1), now=NOW)
    discount_create(by=None, node=programmes["Five years"], name="Five years", percent=D(10),
                    active_from=dt.date(2026, 1, 1), now=NOW)

    [price] = contract_prices(contract, on=dt.date(2026, 2, 1))
    assert (price.base, price.effective) == (D("310.00"), D("251.10"))
    assert [off for _discount, off in price.structure_discounts] == [D("31.00"), D("27.90")]


def test_a_discount_for_one_product_leaves_the_others(programmes):
    fibre, tv = ProductFactory(price=D("500.00")), ProductFactory(price=D("200.00"))
    contract = active_contract(products=[fibre, tv])
    place(contract.party, programmes["Staff"])

    discount_create(by=None, node=programmes["Staff"], name="Staff fibre", percent=D(50), product=fibre,
                    active_from=dt.date(2026, 1, 1), now=NOW)

    assert amounts(contract, 1) == [D("450.00")]


def test_ending_a_discount_restores_the_price_from_that_day(programmes):
    contract = active_contract()
    place(contract.party, programmes["Staff"])
    discount = discount_create(by=None, node=programmes["Staff"], name="Staff", percent=D(10),
                               active_from=dt.date(2026, 1, 1), now=NOW)

    discount_end(by=None, discount=discount, active_to=dt.date(2026, 2, 15), now=NOW)

    # February: 14 days at 279, 14 at 310
    assert amounts(contract) == [D("279.00"), D("294.50"), D("310.00")]


def test_discounts_belong_to_discount_structures_only():
    organisation = tree(StructureFactory(kind=StructureKind.ORGANISATION), {"Prague": {}})

    with pytest.raises(ContractError, match="discount structure"):
        discount_create(by=None, node=organisation["Prague"], name="X", percent=D(5),
                        active_from=dt.date(2026, 1, 1), now=NOW)
