"""Demo custom attributes and two independent hierarchies, with values and placements for the first customers."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from abonent.core.models import Channel
from abonent.customers.attribute_services import attribute_choice_save, attribute_define, attribute_set
from abonent.customers.hierarchy_services import level_add, node_add, party_place, structure_create
from abonent.customers.models import (
    AttributeAppliesTo,
    AttributeDefinition,
    AttributeType,
    Node,
    NodeMembership,
    Party,
    PartyKind,
    Stage,
    Structure,
)

SYSTEM = {"by": None, "channel": Channel.SYSTEM}

SEGMENTS = {
    "residential": {"en": "Residential", "cs": "Domácnosti", "pl": "Gospodarstwa domowe", "ro": "Rezidențial",
                    "ru": "Частные клиенты"},
    "sme": {"en": "Small business", "cs": "Malé firmy", "pl": "Małe firmy", "ro": "Întreprinderi mici",
            "ru": "Малый бизнес"},
    "enterprise": {"en": "Enterprise", "cs": "Velké firmy", "pl": "Duże firmy", "ro": "Corporații",
                   "ru": "Крупный бизнес"},
}

# Sales organisation: company → region → branch; the region follows the customer's country.
REGIONS = {
    "CZ": ("Czechia", ["Prague", "Brno"]),
    "PL": ("Poland", ["Warsaw", "Kraków"]),
    "RO": ("Romania", ["Bucharest", "Cluj-Napoca"]),
    "RU": ("Russia", ["Moscow", "Saint Petersburg"]),
}
BILLING_GROUPS = {
    "Monthly invoices": ["Paper invoice", "E-mail invoice"],
    "Quarterly invoices": ["Key accounts"],
}


def demo_structures_load(*, customers: int = 60) -> None:
    """Declare the demo attributes and structures once, then give the first customers values and places."""
    with transaction.atomic():
        if not AttributeDefinition.objects.filter(code="segment").exists():
            _attributes()
        if not Structure.objects.filter(code="sales-organisation").exists():
            _sales_organisation()
        if not Structure.objects.filter(code="billing-groups").exists():
            _billing_groups()
    parties = (Party.objects.active().filter(external_ref__startswith="demo-")
               .exclude(attribute_values__isnull=False).order_by("external_ref")[:customers])
    for party in parties:
        with transaction.atomic():
            _values_and_places(party)


def _attributes() -> None:
    segment = attribute_define(code="segment", type=AttributeType.CHOICE, order=10, **SYSTEM, label={
        "en": "Segment", "cs": "Segment", "pl": "Segment", "ro": "Segment", "ru": "Сегмент"})
    for order, (code, label) in enumerate(SEGMENTS.items()):
        attribute_choice_save(definition=segment, code=code, label=label, order=order, **SYSTEM)
    attribute_define(code="employees", type=AttributeType.NUMBER, order=20,
                     applies_to=AttributeAppliesTo.ORGANISATION, **SYSTEM, label={
                         "en": "Employees", "cs": "Počet zaměstnanců", "pl": "Liczba pracowników",
                         "ro": "Număr de angajați", "ru": "Число сотрудников"})
    attribute_define(code="marketing-consent", type=AttributeType.BOOLEAN, order=30, **SYSTEM, label={
        "en": "Marketing consent", "cs": "Souhlas s marketingem", "pl": "Zgoda marketingowa",
        "ro": "Acord de marketing", "ru": "Согласие на рассылку"})
    attribute_define(code="preferred-contact-time", type=AttributeType.TEXT, order=40, multilingual=True,
                     **SYSTEM, label={"en": "Preferred contact time", "cs": "Kdy volat", "pl": "Kiedy dzwonić",
                                      "ro": "Ora preferată de contact", "ru": "Удобное время звонка"})


def _sales_organisation() -> None:
    structure = structure_create(name="Sales organisation", kind="organisation", code="sales-organisation",
                                 **SYSTEM)
    company, region, branch = (level_add(structure=structure, name=name, order=order, **SYSTEM)
                               for order, name in enumerate(["Company", "Region", "Branch"]))
    root = node_add(structure=structure, name="Abonent Telecom", level=company, **SYSTEM)
    for region_name, branches in REGIONS.values():
        region_node = node_add(structure=structure, name=region_name, parent=root, level=region, **SYSTEM)
        for branch_name in branches:
            node_add(structure=structure, name=branch_name, parent=region_node, level=branch, **SYSTEM)


def _billing_groups() -> None:
    structure = structure_create(name="Billing groups", kind="billing", code="billing-groups", **SYSTEM)
    group, subgroup = (level_add(structure=structure, name=name, order=order, **SYSTEM)
                       for order, name in enumerate(["Billing group", "Sub-group"]))
    for group_name, children in BILLING_GROUPS.items():
        node = node_add(structure=structure, name=group_name, level=group, **SYSTEM)
        for child in children:
            node_add(structure=structure, name=child, parent=node, level=subgroup, **SYSTEM)


def _values_and_places(party: Party) -> None:
    rng = random.Random(party.external_ref)
    start = dt.date(2025, 1, 1)
    definitions = {d.code: d for d in AttributeDefinition.objects.all()}
    first = "enterprise" if party.kind == PartyKind.ORGANISATION else "residential"
    attribute_set(party=party, definition=definitions["segment"], value=first, active_from=start, **SYSTEM)
    if party.kind == PartyKind.ORGANISATION:
        attribute_set(party=party, definition=definitions["employees"], value=rng.randint(3, 900),
                      active_from=start, **SYSTEM)
        if rng.random() < 0.5:  # some grew or shrank: a history of values to look at
            attribute_set(party=party, definition=definitions["segment"], value="sme",
                          active_from=dt.date(2026, 6, 1), **SYSTEM)
    attribute_set(party=party, definition=definitions["marketing-consent"], value=rng.random() < 0.7,
                  active_from=start, **SYSTEM)
    _, branches = REGIONS.get(party.country, REGIONS["CZ"])
    branch = Node.objects.get(structure__code="sales-organisation", name=rng.choice(branches))
    if not NodeMembership.objects.filter(party=party).exists():
        party_place(party=party, node=branch, active_from=start, **SYSTEM)
        if party.stage in {Stage.CUSTOMER, Stage.FORMER}:
            group = "Key accounts" if party.kind == PartyKind.ORGANISATION else rng.choice(
                ["Paper invoice", "E-mail invoice"])
            party_place(party=party, node=Node.objects.get(structure__code="billing-groups", name=group),
                        active_from=start, **SYSTEM)

