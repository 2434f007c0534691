import datetime as dt
from collections import Counter

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from schwifty import IBAN
from stdnum import vatin
from stdnum.cz import dic as cz_dic
from stdnum.pl import nip as pl_nip
from stdnum.ro import cui as ro_cui
from stdnum.ru import inn as ru_inn

from abonent.accounts.models import Team, User
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.attribute_selectors import attribute_values
from abonent.customers.demo import DEMO_PASSWORD, demo_load, demo_party
from abonent.customers.models import AttributeValue, NodeMembership, Party, PartyKind, Stage, Structure

TAX_ID_CHECKS = {"CZ": cz_dic, "PL": pl_nip, "RO": ro_cui, "RU": ru_inn}


@pytest.fixture
def demo(db):
    """The demo data with 40 customers, loaded once for the test."""
    return demo_load(customers=40)


def test_it_creates_demo_staff_for_every_role_who_can_sign_in(demo):
    staff = User.objects.filter(username__in=["superadmin", "admin", "manager", "agent", "agent2", "rep", "rep2",
                                              "customer"])

    assert {user.role for user in staff} == set(Role.values)
    assert all(user.check_password(DEMO_PASSWORD) for user in staff)
    assert User.objects.get(username="superadmin").is_superuser
    assert not User.objects.get(username="admin").is_superuser
    assert demo["staff"] == 8


def test_it_puts_the_demo_staff_in_teams(demo):
    call_center = Team.objects.get(name="Call center")

    assert call_center.leader.username == "manager"
    assert {u.username for u in call_center.members.all()} == {"agent", "agent2"}
    assert {u.username for u in Team.objects.get(name="Field sales").members.all()} == {"rep", "rep2"}


def test_it_spreads_40_customers_over_four_countries(demo):
    assert demo["customers_created"] == 40
    assert demo["customers_total"] == 40
    assert Counter(Party.objects.values_list("country", flat=True)) == {"CZ": 10, "PL": 10, "RO": 10, "RU": 10}
    assert Party.objects.filter(kind=PartyKind.ORGANISATION).exists()
    assert Party.objects.filter(kind=PartyKind.PERSON).exists()


def test_every_demo_phone_is_a_valid_number_of_the_customer_s_country(demo):
    for party in Party.objects.all():
        number = phonenumbers.parse(party.phone)
        assert phonenumbers.is_valid_number(number), party.phone
        assert phonenumbers.region_code_for_number(number) == party.country, party.phone
        assert party.phone == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_every_demo_tax_id_and_vat_number_is_valid(demo):
    organisations = Party.objects.filter(kind=PartyKind.ORGANISATION)

    assert organisations.exists()
    for party in organisations:
        module = TAX_ID_CHECKS[party.country]
        assert module.is_valid(party.tax_id), (party.country, party.tax_id)
        assert party.tax_id == module.compact(party.tax_id)
        if party.country == "RU":
            assert party.vat_id == ""
        else:
            assert vatin.is_valid(party.vat_id), party.vat_id
    assert not Party.objects.filter(kind=PartyKind.PERSON).exclude(tax_id="").exists()


def test_every_demo_iban_is_valid_down_to_the_national_account_number(demo):
    for party in Party.objects.exclude(country="RU"):
        iban = IBAN(party.iban, validate_bban=True)
        assert iban.country_code == party.country
        assert party.iban == iban.compact
    # Russia does not use IBAN
    assert set(Party.objects.filter(country="RU").values_list("iban", flat=True)) == {""}


def test_every_demo_e_mail_address_is_valid_and_unique(demo):
    emails = list(Party.objects.values_list("email", flat=True))

    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            pytest.fail(f"{email!r} is not a valid e-mail address")
    assert len(set(emails)) == len(emails)


def test_customers_past_the_prospect_stage_have_a_sales_rep(demo):
    assert not Party.objects.exclude(stage=Stage.PROSPECT).filter(sales_rep=None).exists()
    assert set(Party.objects.exclude(sales_rep=None).values_list("sales_rep__role", flat=True)) == {Role.SALES_REP}


def test_loading_the_demo_again_creates_nothing(demo):
    users, parties, entries = User.objects.count(), Party.objects.count(), AuditEntry.objects.count()

    again = demo_load(customers=40)

    assert again == {"staff": 8, "customers_created": 0, "customers_total": 40}
    assert (User.objects.count(), Party.objects.count(), AuditEntry.objects.count()) == (users, parties, entries)


def test_loading_more_demo_customers_adds_only_the_missing_ones(demo):
    first = set(Party.objects.values_list("external_ref", "name"))

    more = demo_load(customers=44)

    assert more["customers_created"] == 4
    assert first < set(Party.objects.values_list("external_ref", "name"))


def test_the_demo_load_is_audited_once(demo):
    entry = AuditEntry.objects.get(action="abonent.customers.demo.loaded")

    assert entry.actor is None
    assert entry.note == "40 demo customers"


def test_a_demo_customer_is_the_same_every_time(db):
    first, second = demo_party(7, []), demo_party(7, [])

    fields = ["kind", "name", "country", "email", "phone", "tax_id", "vat_id", "iban", "stage", "external_ref"]
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]


def test_the_demo_has_attributes_and_two_independent_hierarchies_in_use(demo):
    assert set(Structure.objects.values_list("code", flat=True)) == {"sales-organisation", "billing-groups"}
    party = Party.objects.filter(country="PL").order_by("external_ref").first()
    shown = {a.definition.code: a.text for a in attribute_values(party=party, on=dt.date.today(), language="cs")}
    assert shown["segment"] in {"Domácnosti", "Velké firmy", "Malé firmy"}
    branch = NodeMembership.objects.get(party=party, node__structure__code="sales-organisation").node
    assert [n.name for n in type(branch).objects.get_ancestors(branch)] == ["Abonent Telecom", "Poland"]
    values = AttributeValue.objects.count()

    demo_load(customers=40)

    assert AttributeValue.objects.count() == values
