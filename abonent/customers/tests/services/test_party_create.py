import datetime as dt

import pytest

from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role
from abonent.core.services import AbonentError
from abonent.customers.identifiers import InvalidIdentifier
from abonent.customers.models import Party, PartyKind, Stage
from abonent.customers.services import party_create

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_it_creates_an_organisation_with_its_identifiers_normalised(make_user):
    # when
    party = party_create(
        by=make_user(Role.AGENT), kind=PartyKind.ORGANISATION, country="CZ", name="Komerční banka, a.s.",
        email=" Info@KB.cz ", phone="601 123 456", tax_id="CZ 255 96 641", vat_id="cz 255 96 641",
        iban="cz65 0800 0000 1920 0014 5399", stage=Stage.LEAD, now=NOW,
    )

    # then
    party = Party.objects.get(pk=party.pk)
    assert (party.name, party.kind, party.country, party.stage) == (
        "Komerční banka, a.s.", PartyKind.ORGANISATION, "CZ", Stage.LEAD,
    )
    assert party.email == "info@kb.cz"
    assert party.phone == "+420601123456"
    assert party.tax_id == "25596641"
    assert party.vat_id == "CZ25596641"
    assert party.iban == "CZ6508000000192000145399"
    assert party.created_at == NOW


def test_it_names_a_person_from_the_first_and_last_name(make_user):
    party = party_create(by=make_user(), kind=PartyKind.PERSON, country="PL", first_name="Jan", last_name="Kowalski")

    assert party.name == "Jan Kowalski"


def test_it_reads_a_lowercase_country_as_the_country(make_user):
    # given a country code typed in lowercase, and a tax ID that is wrong for that country
    agent = make_user()

    party = party_create(by=agent, kind=PartyKind.PERSON, country="cz", name="Eva", phone="601 123 456")

    assert (party.country, party.phone) == ("CZ", "+420601123456")
    with pytest.raises(InvalidIdentifier):
        party_create(by=agent, kind=PartyKind.ORGANISATION, country="cz", name="Firma", tax_id="25596642")


def test_it_audits_the_new_customer(make_user):
    agent = make_user(Role.AGENT)

    party = party_create(
        by=agent, kind=PartyKind.PERSON, country="RO", first_name="Ioana", last_name="Popescu",
        phone="0721 234 567", channel=Channel.API, now=NOW,
    )

    entry = AuditEntry.objects.get(action="abonent.customers.party.created")
    assert (entry.actor, entry.channel, entry.at) == (agent, Channel.API, NOW)
    assert (entry.target_id, entry.target_label) == (str(party.pk), "Ioana Popescu")
    assert entry.changes == {
        "name": [None, "Ioana Popescu"], "first_name": [None, "Ioana"], "last_name": [None, "Popescu"],
        "country": [None, "RO"], "stage": [None, "prospect"], "phone": [None, "+40721234567"],
    }


@pytest.mark.parametrize(("field", "value"), [
    ("phone", "12"), ("tax_id", "1234563219"), ("vat_id", "PL1234563219"), ("iban", "PL00 1234"),
])
def test_it_refuses_an_invalid_identifier_and_saves_nothing(make_user, field, value):
    with pytest.raises(InvalidIdentifier):
        party_create(by=make_user(), kind=PartyKind.ORGANISATION, country="PL", name="Firma", **{field: value})

    assert not Party.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_customer_needs_a_name(make_user):
    with pytest.raises(AbonentError) as refused:
        party_create(by=make_user(), kind=PartyKind.ORGANISATION, country="CZ", first_name="Jan")

    assert str(refused.value) == "A customer needs a name."
    assert not Party.objects.exists()
