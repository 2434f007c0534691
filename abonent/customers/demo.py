"""Realistic demo data: staff in every role and customers from CZ, PL, RO and RU with valid identifiers."""

from __future__ import annotations

import random
from dataclasses import dataclass

import phonenumbers
from django.db import transaction
from django.utils import timezone
from faker import Faker
from schwifty import IBAN
from stdnum.cz import dic as cz_dic
from stdnum.pl import nip as pl_nip
from stdnum.ro import cui as ro_cui
from stdnum.ru import inn as ru_inn

from abonent.accounts.models import Team, User
from abonent.accounts.services import rights_seed_defaults, team_create, user_create
from abonent.core.models import Channel
from abonent.core.roles import Role
from abonent.core.services import audit_record
from abonent.customers.demo_structures import demo_structures_load
from abonent.customers.identifiers import iban_normalise, phone_normalise, tax_id_normalise
from abonent.customers.models import (
    Address,
    BankAccount,
    CallCenterStatus,
    ContactKind,
    ContactPoint,
    Party,
    PartyKind,
    Stage,
)

DEMO_PASSWORD = "demo-abonent-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    first_name: str
    last_name: str
    language: str


DEMO_STAFF = [
    DemoLogin("superadmin", Role.SUPERADMIN, "Sofie", "Nováková", "en"),
    DemoLogin("admin", Role.ADMINISTRATOR, "Adam", "Dvořák", "en"),
    DemoLogin("manager", Role.MANAGER, "Magdalena", "Kowalska", "pl"),
    DemoLogin("agent", Role.AGENT, "Andrei", "Popescu", "ro"),
    DemoLogin("agent2", Role.AGENT, "Alena", "Svobodová", "cs"),
    DemoLogin("rep", Role.SALES_REP, "Radek", "Černý", "cs"),
    DemoLogin("rep2", Role.SALES_REP, "Roman", "Smirnov", "ru"),
    DemoLogin("customer", Role.CUSTOMER, "Karel", "Zákazník", "cs"),
]

COUNTRIES = [("CZ", "cs_CZ"), ("PL", "pl_PL"), ("RO", "ro_RO"), ("RU", "ru_RU")]
# Mobile ranges that phonenumbers accepts as valid: (country code, leading digits, national length).
MOBILE = {"CZ": ("420", ["60", "72", "73", "77"], 9), "PL": ("48", ["50", "51", "60", "69", "79"], 9),
          "RO": ("40", ["72", "74", "75", "76"], 9), "RU": ("7", ["91", "92", "95", "98"], 10)}


def demo_staff_load() -> list[User]:
    """Create the demo staff who are missing, and their teams; leave existing users alone."""
    rights_seed_defaults()
    users = []
    for login in DEMO_STAFF:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = user_create(
                by=None, username=login.username, password=DEMO_PASSWORD, role=login.role,
                email=f"{login.username}@abonent.example", first_name=login.first_name,
                last_name=login.last_name, language=login.language, channel=Channel.SYSTEM,
            )
        users.append(user)
    if not Team.objects.filter(name="Call center").exists():
        team_create(by=None, name="Call center", leader=users[2], members=(users[3], users[4]), channel=Channel.SYSTEM)
    if not Team.objects.filter(name="Field sales").exists():
        team_create(by=None, name="Field sales", leader=users[2], members=(users[5], users[6]), channel=Channel.SYSTEM)
    return users


def _phone(rng: random.Random, country: str) -> str:
    code, prefixes, length = MOBILE[country]
    while True:
        prefix = rng.choice(prefixes)
        national = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        if phonenumbers.is_valid_number(phonenumbers.parse(f"+{code}{national}")):
            return phone_normalise(f"+{code}{national}", country=country)


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _tax_id(rng: random.Random, fake: Faker, country: str) -> str:
    """A company number with a correct check digit for the country."""
    while True:
        if country == "CZ":
            base = _digits(rng, 7)
            candidate = base + cz_dic.calc_check_digit_legal(base)
        elif country == "PL":
            candidate = fake.nip()
        elif country == "RO":
            base = _digits(rng, 7)
            candidate = base + ro_cui.calc_check_digit(base)
        else:
            base = _digits(rng, 9)
            candidate = base + ru_inn.calc_company_check_digit(base)
        module = {"CZ": cz_dic, "PL": pl_nip, "RO": ro_cui, "RU": ru_inn}[country]
        if module.is_valid(candidate):
            return tax_id_normalise(candidate, country=country)


def demo_party(index: int, reps: list[User]) -> Party:
    """Build (unsaved) the demo customer number `index`; the same index always gives the same customer."""
    country, locale = COUNTRIES[index % len(COUNTRIES)]
    rng = random.Random(index)
    fake = Faker(locale)
    fake.seed_instance(index)
    is_organisation = rng.random() < 0.3
    # Czech, Polish and Russian surnames agree with the person's gender.
    if rng.random() < 0.5:
        first, last = fake.first_name_female(), fake.last_name_female()
    else:
        first, last = fake.first_name_male(), fake.last_name_male()
    name = fake.company() if is_organisation else f"{first} {last}"
    tax_id = _tax_id(rng, fake, country) if is_organisation else ""
    # Russia does not use IBAN; its customers pay from a domestic account.
    # Faker's IBANs fail the national account checks, so the bank registry's generator makes them.
    iban = iban_normalise(IBAN.random(country_code=country, random=rng).compact) if country != "RU" else ""
    stage = rng.choices(list(Stage.values), weights=[3, 2, 8, 1])[0]
    party = Party(
        kind=PartyKind.ORGANISATION if is_organisation else PartyKind.PERSON,
        name=name[:200], first_name="" if is_organisation else first, last_name="" if is_organisation else last,
        country=country, email=f"{fake.user_name()}.{index}@{fake.free_email_domain()}",
        phone=_phone(rng, country), tax_id=tax_id,
        vat_id=f"{country}{tax_id}" if tax_id and country in {"CZ", "PL", "RO"} else "",
        iban=iban, stage=stage, sales_rep=rng.choice(reps) if reps and stage != Stage.PROSPECT else None,
        external_ref=f"demo-{index:06d}", created_at=timezone.now(), city=fake.city()[:100],
    )
    # Kept beside the party until it is saved and its address can be written.
    party.demo_street, party.demo_postcode = fake.street_address()[:200], fake.postcode()[:20]
    return party


def demo_load(*, customers: int, batch: int = 2000) -> dict[str, int]:
    """Load demo staff and the first `customers` demo customers; run it again and nothing is duplicated."""
    users = demo_staff_load()
    demo_statuses_load()
    reps = [u for u in users if u.role == Role.SALES_REP]
    existing = set(Party.objects.filter(external_ref__startswith="demo-").values_list("external_ref", flat=True))
    created = 0
    pending: list[Party] = []
    for index in range(customers):
        if f"demo-{index:06d}" in existing:
            continue
        pending.append(demo_party(index, reps))
        if len(pending) >= batch:
            created += _save(pending)
            pending = []
    created += _save(pending)
    demo_structures_load()
    if created:
        audit_record(actor=None, action="abonent.customers.demo.loaded", channel=Channel.SYSTEM,
                     note=f"{created} demo customers")
    return {"staff": len(users), "customers_created": created, "customers_total": Party.objects.count()}


DEMO_STATUSES = ["New", "Call back", "Interested", "Not interested", "Do not call"]


def demo_statuses_load() -> None:
    """A starting list of call-center statuses, when the administrator has none yet."""
    if not CallCenterStatus.objects.exists():
        CallCenterStatus.objects.bulk_create(
            CallCenterStatus(name=name, order=10 * (n + 1)) for n, name in enumerate(DEMO_STATUSES)
        )


def _save(parties: list[Party]) -> int:
    """Save the parties with their primary phone, e-mail, bank account and address."""
    if not parties:
        return 0
    with transaction.atomic():
        Party.objects.bulk_create(parties, batch_size=500)
        contacts, accounts, addresses = [], [], []
        for party in parties:
            contacts.append(ContactPoint(party=party, kind=ContactKind.PHONE, value=party.phone, is_primary=True))
            contacts.append(ContactPoint(party=party, kind=ContactKind.EMAIL, value=party.email, is_primary=True))
            if party.iban:
                accounts.append(BankAccount(party=party, iban=party.iban, is_primary=True))
            addresses.append(Address(party=party, street=party.demo_street, postal_code=party.demo_postcode,
                                     city=party.city, country=party.country, is_primary=True))
        ContactPoint.objects.bulk_create(contacts, batch_size=1000)
        BankAccount.objects.bulk_create(accounts, batch_size=1000)
        Address.objects.bulk_create(addresses, batch_size=1000)
    return len(parties)
