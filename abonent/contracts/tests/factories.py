"""Products and contracts for tests; `active_contract` builds one the way the UI does (audited, numbered)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from abonent.contracts.models import BillingPeriod, Contract, Product
from abonent.core.models import DocumentSeries
from abonent.customers.tests.factories import PartyFactory

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"product-{n}")
    name = factory.LazyAttribute(lambda p: {"en": f"Product {p.code}", "cs": f"Produkt {p.code}"})
    price = Decimal("310.00")
    currency = "CZK"
    billing_period = BillingPeriod.MONTHLY
    vat_rate = Decimal("21.00")


class ContractFactory(factory.django.DjangoModelFactory):
    """A draft contract (no lines, no number)."""

    class Meta:
        model = Contract

    party = factory.SubFactory(PartyFactory)
    currency = "CZK"
    start_date = dt.date(2026, 1, 1)
    created_at = NOW


def contract_series() -> DocumentSeries:
    """The default contract series (migration 0002 makes it; a flushed test database may have lost it)."""
    series, _created = DocumentSeries.objects.get_or_create(
        code="contracts", defaults={"document_type": "contract", "name": "Contracts", "prefix": "C{yyyy}-",
                                    "padding": 6, "is_default": True},
    )
    return series


def active_contract(
    *, party=None, products=None, start: dt.date = dt.date(2026, 1, 1), by=None, now: dt.datetime = NOW,
    **values,
) -> Contract:
    """An activated contract with one line per product (a 310 CZK monthly product by default)."""
    from abonent.contracts.services import contract_activate, contract_create, contract_line_add

    contract_series()
    party = party or PartyFactory()
    products = products if products is not None else [ProductFactory(currency=values.get("currency", "CZK"))]
    values.setdefault("currency", products[0].currency if products else "CZK")
    contract = contract_create(by=by, party=party, start_date=start, now=now, **values)
    for product in products:
        contract_line_add(by=by, contract=contract, product=product, now=now)
    return contract_activate(by=by, contract=contract, now=now)
