"""Demo products in five languages and each currency, a discount structure, and contracts for demo customers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from abonent.contracts.catalogue_services import discount_create, product_create
from abonent.contracts.models import BillingPeriod, Contract, Discount, Product
from abonent.contracts.services import (
    contract_activate,
    contract_create,
    contract_line_add,
    contract_suspend,
    contract_terminate,
)
from abonent.core.models import Channel, DocumentSeries
from abonent.customers.hierarchy_services import level_add, node_add, party_place, structure_create
from abonent.customers.models import Node, Party, PartyKind, Stage, Structure

SYSTEM = {"by": None, "channel": Channel.SYSTEM}
CURRENCY = {"CZ": "CZK", "PL": "PLN", "RO": "RON", "RU": "RUB"}
VAT = {"CZK": Decimal("21"), "PLN": Decimal("23"), "RON": Decimal("19"), "RUB": Decimal("20"), "EUR": Decimal("21")}
# code: (names, billing period, prices per currency)
PRODUCTS = {
    "fibre-300": ({"en": "Fibre 300", "cs": "Optika 300", "pl": "Światłowód 300", "ro": "Fibră 300",
                   "ru": "Оптика 300"}, BillingPeriod.MONTHLY,
                  {"CZK": "499", "PLN": "89", "RON": "59", "RUB": "790", "EUR": "24.90"}),
    "mobile-10gb": ({"en": "Mobile 10 GB", "cs": "Mobil 10 GB", "pl": "Komórka 10 GB", "ro": "Mobil 10 GB",
                     "ru": "Мобильный 10 ГБ"}, BillingPeriod.MONTHLY,
                    {"CZK": "349", "PLN": "45", "RON": "35", "RUB": "450", "EUR": "14.90"}),
    "tv-basic": ({"en": "TV Basic", "cs": "TV Základ", "pl": "TV Podstawowa", "ro": "TV de bază",
                  "ru": "ТВ Базовый"}, BillingPeriod.MONTHLY,
                 {"CZK": "199", "PLN": "39", "RON": "25", "RUB": "299", "EUR": "9.90"}),
    "static-ip": ({"en": "Static IP address", "cs": "Veřejná IP adresa", "pl": "Stały adres IP", "ro": "IP fix",
                   "ru": "Статический IP-адрес"}, BillingPeriod.YEARLY,
                  {"CZK": "1200", "PLN": "220", "RON": "150", "RUB": "2400", "EUR": "48"}),
    "installation": ({"en": "Installation", "cs": "Instalace", "pl": "Instalacja", "ro": "Instalare",
                      "ru": "Подключение"}, BillingPeriod.ONE_OFF,
                     {"CZK": "990", "PLN": "149", "RON": "99", "RUB": "1500", "EUR": "39"}),
}
BUNDLES = [["fibre-300"], ["fibre-300", "tv-basic"], ["mobile-10gb"], ["fibre-300", "installation"],
           ["fibre-300", "static-ip"], ["mobile-10gb", "tv-basic"]]
REASONS = ["Moved abroad", "Cheaper offer from a competitor", "Not satisfied with the speed", "Business closed"]
# A contract with its schedule and payments takes about half a second to load: the demo gives this many customers one.
CONTRACT_CUSTOMERS = 400
# Nodes of the customers demo's "Billing groups" structure that pay for some organisations' contracts.
PAYER_NODES = ("Key accounts", "Quarterly invoices")
PAYER_SHARE = 0.35


def demo_products_load(*, now: dt.datetime) -> int:
    """Every demo product in every currency, once."""
    made = 0
    for order, (code, (names, period, prices)) in enumerate(PRODUCTS.items()):
        for currency, price in prices.items():
            full = f"{code}-{currency.lower()}"
            if not Product.objects.filter(code=full).exists():
                product_create(code=full, name=names, price=Decimal(price), currency=currency, billing_period=period,
                               vat_rate=VAT[currency], order=order * 10, now=now, **SYSTEM)
                made += 1
    return made


def _discount_structure(now: dt.datetime) -> Structure:
    structure = Structure.objects.filter(code="discount-programmes").first()
    if structure is not None:
        return structure
    structure = structure_create(name="Discount programmes", kind="discounts", code="discount-programmes", **SYSTEM)
    programme, tier = (level_add(structure=structure, name=name, order=order, **SYSTEM)
                       for order, name in enumerate(["Programme", "Tier"], start=1))
    loyalty = node_add(structure=structure, name="Loyalty", level=programme, **SYSTEM)
    node_add(structure=structure, name="Five years and more", parent=loyalty, level=tier, **SYSTEM)
    node_add(structure=structure, name="Employees", level=programme, **SYSTEM)
    return structure


def _discounts(structure: Structure, now: dt.datetime) -> None:
    if Discount.objects.filter(node__structure=structure).exists():
        return
    loyalty = Node.objects.get(structure=structure, name="Loyalty")
    senior = Node.objects.get(structure=structure, name="Five years and more")
    employees = Node.objects.get(structure=structure, name="Employees")
    start = dt.date(2024, 1, 1)
    discount_create(node=loyalty, name="Loyalty 5 %", percent=Decimal(5), active_from=start, now=now, **SYSTEM)
    discount_create(node=senior, name="Five years 5 %", percent=Decimal(5), active_from=start, now=now, **SYSTEM)
    discount_create(node=employees, name="Staff 30 %", percent=Decimal(30), active_from=start, now=now, **SYSTEM)


def _ensure_series() -> None:
    if not DocumentSeries.objects.filter(document_type="contract", is_default=True).exists():
        DocumentSeries.objects.get_or_create(code="contracts", defaults={
            "document_type": "contract", "name": "Contracts", "prefix": "C{yyyy}-", "padding": 6,
            "is_default": True})


def demo_contracts_load(*, now: dt.datetime, limit: int = CONTRACT_CUSTOMERS) -> str:
    """A contract (with its schedule) for each of the first `limit` demo customers and former customers.

    "First" by demo number, so running again, even after more customers were loaded, adds nothing.
    """
    _ensure_series()
    products = demo_products_load(now=now)
    structure = _discount_structure(now)
    _discounts(structure, now)
    today = timezone.localdate(now)
    first = (Party.objects.active().filter(external_ref__startswith="demo-", stage__in=(Stage.CUSTOMER, Stage.FORMER))
             .order_by("external_ref").values_list("pk", flat=True)[:limit])
    parties = list(Party.objects.filter(pk__in=list(first), contracts__isnull=True).order_by("external_ref"))
    payers = list(Node.objects.filter(structure__code="billing-groups", name__in=PAYER_NODES).order_by("path"))
    made = 0
    for party in parties:
        with transaction.atomic():
            _contract_for(party, structure, payers, today=today, now=now)
        made += 1
    return f"{products} products, {made} contracts"


def _payer(party: Party, payers: list[Node]) -> Node | None:
    # A generator of its own, so the other choices stay what they were before payers were added.
    rng = random.Random(f"payer-{party.external_ref}")
    if party.kind != PartyKind.ORGANISATION or not payers or rng.random() >= PAYER_SHARE:
        return None
    return rng.choice(payers)


def _contract_for(party: Party, structure: Structure, payers: list[Node], *, today: dt.date,
                  now: dt.datetime) -> Contract:
    rng = random.Random(f"contract-{party.external_ref}")
    currency = CURRENCY.get(party.country, "EUR")
    start = today - dt.timedelta(days=rng.randint(40, 800))
    contract = contract_create(party=party, currency=currency, start_date=start, payment_day=rng.choice([5, 10, 15,
                                                                                                         20, 25]),
                               minimum_term_months=rng.choice([0, 12, 24]), payer=_payer(party, payers), now=now,
                               **SYSTEM)
    for code in rng.choice(BUNDLES):
        contract_line_add(contract=contract, product=Product.objects.get(code=f"{code}-{currency.lower()}"),
                          now=now, **SYSTEM)
    if rng.random() < 0.15:
        node = Node.objects.get(structure=structure, name=rng.choice(["Loyalty", "Five years and more", "Employees"]))
        party_place(party=party, node=node, active_from=start, **SYSTEM)
    contract = contract_activate(contract=contract, now=now, **SYSTEM)
    if party.stage == Stage.FORMER:
        end = start + dt.timedelta(days=rng.randint(20, max(21, (today - start).days - 1)))
        contract = contract_terminate(contract=contract, end_date=end, reason=rng.choice(REASONS), now=now, **SYSTEM)
    elif rng.random() < 0.05:
        contract = contract_suspend(contract=contract, reason="Customer asked for a pause", now=now, **SYSTEM)
    return contract
