"""The catalogue pages: editing a product (its currency fixed once contracts use it) and ending a discount."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from abonent.contracts.models import Discount, Product
from abonent.contracts.tests.factories import NOW, ProductFactory, active_contract
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import Node, NodeMembership, StructureKind
from abonent.customers.tests.hierarchies.factories import StructureFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)


def product_post(product: Product, **values) -> dict:
    return {"name_en": product.name["en"], "price": str(product.price), "currency": product.currency,
            "billing_period": product.billing_period, "vat_rate": str(product.vat_rate), "active": "on",
            "order": "0", **values}


def test_a_product_no_contract_uses_can_change_its_currency(client_as):
    product = ProductFactory()

    response = client_as(Role.ADMINISTRATOR).post(f"/contracts/products/{product.pk}/",
                                                  product_post(product, currency="EUR", price="14.90"))

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.currency, product.price) == ("EUR", D("14.90"))


def test_a_product_in_use_keeps_its_currency_but_takes_a_new_price(client_as):
    product = ProductFactory()
    contract = active_contract(products=[product])
    client = client_as(Role.ADMINISTRATOR)

    form = client.get(f"/contracts/products/{product.pk}/").content.decode()
    response = client.post(f"/contracts/products/{product.pk}/", product_post(product, currency="EUR", price="329"))

    assert "Contracts use this product, so its currency is fixed." in form
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.currency, product.price) == ("CZK", D("329.00"))
    assert contract.lines.get().unit_price == D("310.00")  # existing contracts keep their price


def test_an_agent_cannot_open_or_post_the_product_form(client_as):
    product = ProductFactory()
    client = client_as(Role.AGENT)

    assert client.get(f"/contracts/products/{product.pk}/").status_code == 403
    assert client.post(f"/contracts/products/{product.pk}/", product_post(product, price="1")).status_code == 403
    product.refresh_from_db()
    assert product.price == D("310.00")


def loyalty_discount(party) -> Discount:
    structure = StructureFactory(kind=StructureKind.DISCOUNTS)
    node = Node.objects.add_root({"structure": structure, "name": "Loyal customers"})
    NodeMembership.objects.create(structure=structure, node=node, party=party, active_from=dt.date(2025, 1, 1))
    return Discount.objects.create(node=node, name="Loyalty", percent=D(10), active_from=dt.date(2026, 1, 1),
                                   created_at=NOW)


@time_machine.travel(TODAY, tick=False)
def test_a_manager_ends_a_discount_from_a_day(client_as):
    contract = active_contract(start=dt.date(2026, 1, 1))
    discount = loyalty_discount(contract.party)
    client = client_as(Role.MANAGER)

    response = client.post(f"/contracts/discounts/{discount.pk}/end/", {"active_to": "2026-05-01"})

    assert response.status_code == 302
    discount.refresh_from_db()
    assert discount.active_to == dt.date(2026, 5, 1)  # the schedules follow: billing's test_discounts_in_schedule
    assert AuditEntry.objects.filter(action="abonent.contracts.discount.ended", actor=client.user).exists()


@time_machine.travel(TODAY, tick=False)
def test_ending_a_discount_without_a_day_asks_for_it(client_as):
    contract = active_contract()
    discount = loyalty_discount(contract.party)

    page = client_as(Role.MANAGER).post(f"/contracts/discounts/{discount.pk}/end/", {"active_to": ""},
                                        follow=True).content.decode()

    assert "Give the day the discount stops." in page
    discount.refresh_from_db()
    assert discount.active_to is None


def test_an_agent_cannot_end_a_discount(client_as):
    discount = loyalty_discount(active_contract().party)

    response = client_as(Role.AGENT).post(f"/contracts/discounts/{discount.pk}/end/", {"active_to": "2026-05-01"})

    assert response.status_code == 403
    discount.refresh_from_db()
    assert discount.active_to is None
