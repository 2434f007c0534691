import pytest

from abonent.core.models import AuditEntry
from abonent.core.services import AbonentError
from abonent.customers.contact_services import (
    address_add,
    address_change,
    address_remove,
    bank_account_add,
    contact_add,
    contact_change,
    contact_remove,
)
from abonent.customers.identifiers import InvalidIdentifier
from abonent.customers.models import Address, BankAccount, ContactKind, ContactPoint, TrackingScope
from abonent.customers.tests.factories import person


def ru_account(prefix: str, bik: str) -> str:
    """A Russian account number whose control digit (the 9th) fits the БИК."""
    for digit in "0123456789":
        account = prefix[:8] + digit + prefix[8:]
        digits = bik[-3:] + account
        if sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10 == 0:
            return account
    raise AssertionError("no control digit fits")


def test_the_first_phone_is_primary_and_shows_on_the_customer(make_user):
    party = person(phone="")

    contact = contact_add(party=party, kind=ContactKind.PHONE, value="601 123 456", label="mobile", by=make_user())

    party.refresh_from_db()
    assert (contact.value, contact.is_primary, party.phone) == ("+420601123456", True, "+420601123456")
    entry = AuditEntry.objects.get(action="abonent.customers.contact.added")
    assert entry.subject_id == str(party.pk)
    assert entry.changes == {"kind": [None, "phone"], "value": [None, "+420601123456"], "label": [None, "mobile"],
                             "is_primary": [None, True]}


def test_making_another_phone_primary_demotes_the_first(make_user):
    party = person(phone="601 123 456")
    second = contact_add(party=party, kind=ContactKind.PHONE, value="+420 602 111 222", by=make_user())

    contact_change(contact=second, values={"is_primary": True}, by=make_user())

    party.refresh_from_db()
    primaries = list(ContactPoint.objects.filter(party=party, kind=ContactKind.PHONE, is_primary=True))
    assert [c.value for c in primaries] == ["+420602111222"]
    assert party.phone == "+420602111222"


def test_removing_the_primary_promotes_the_next_one(make_user):
    party = person(email="a@example.cz")
    first = ContactPoint.objects.get(party=party, kind=ContactKind.EMAIL)
    contact_add(party=party, kind=ContactKind.EMAIL, value="B@Example.CZ", by=make_user())

    contact_remove(contact=first, by=make_user())

    party.refresh_from_db()
    assert party.email == "b@example.cz"
    assert ContactPoint.objects.get(party=party, kind=ContactKind.EMAIL).is_primary
    removed = AuditEntry.objects.get(action="abonent.customers.contact.removed")
    assert removed.changes["value"] == ["a@example.cz", None]


@pytest.mark.parametrize(("kind", "value"), [(ContactKind.PHONE, "12"), (ContactKind.EMAIL, "not-an-address")])
def test_it_refuses_a_bad_contact(make_user, kind, value):
    party = person()

    with pytest.raises(InvalidIdentifier):
        contact_add(party=party, kind=kind, value=value, by=make_user())

    assert not ContactPoint.objects.filter(party=party).exists()


def test_it_refuses_the_same_number_twice(make_user):
    party = person(phone="601123456")

    with pytest.raises(AbonentError, match="already has"):
        contact_add(party=party, kind=ContactKind.PHONE, value="+420 601 123 456", by=make_user())


def test_an_address_keeps_coordinates_and_gives_the_customer_its_city(make_user):
    party = person()

    address = address_add(party=party, by=make_user(), street=" Národní  1 ", city="Praha", postal_code="110 00",
                          latitude="50.081", longitude="14.4197")

    party.refresh_from_db()
    assert (address.street, address.country, address.is_primary) == ("Národní 1", "CZ", True)
    assert (str(address.latitude), str(address.longitude)) == ("50.081000", "14.419700")
    assert party.city == "Praha"
    address_change(address=address, by=make_user(), values={"city": "Brno"})
    party.refresh_from_db()
    assert party.city == "Brno"
    assert AuditEntry.objects.get(action="abonent.customers.address.changed").changes == {"city": ["Praha", "Brno"]}


@pytest.mark.parametrize(("latitude", "longitude"), [("91", "10"), ("50", None), ("north", "14")])
def test_it_refuses_impossible_coordinates(make_user, latitude, longitude):
    with pytest.raises(AbonentError):
        address_add(party=person(), by=make_user(), street="Národní 1", city="Praha", latitude=latitude,
                    longitude=longitude)

    assert not Address.objects.exists()


def test_removing_the_last_address_clears_the_city(make_user):
    party = person()
    address = address_add(party=party, by=make_user(), street="Národní 1", city="Praha")

    address_remove(address=address, by=make_user())

    party.refresh_from_db()
    assert party.city == ""


def test_a_bank_account_is_an_iban_checked_by_schwifty(make_user):
    party = person(iban="")

    account = bank_account_add(party=party, iban="cz65 0800 0000 1920 0014 5399", bic="gibacz px", by=make_user())

    party.refresh_from_db()
    assert (account.iban, account.bic, account.is_primary) == ("CZ6508000000192000145399", "GIBACZPX", True)
    assert party.iban == "CZ6508000000192000145399"
    with pytest.raises(InvalidIdentifier):
        bank_account_add(party=party, iban="CZ6508000000192000145390", by=make_user())


def test_a_russian_customer_may_pay_from_a_domestic_account_with_its_bik(make_user):
    party = person(country="RU", phone="")
    bik = "044525225"
    account_number = ru_account("4070281033800000001", bik)

    account = bank_account_add(party=party, account_number=account_number, bic=bik, by=make_user())

    assert (account.iban, account.account_number, account.bic) == ("", account_number, bik)
    wrong = account_number[:-1] + str((int(account_number[-1]) + 1) % 10)
    with pytest.raises(InvalidIdentifier, match="does not match"):
        bank_account_add(party=party, account_number=wrong, bic=bik, by=make_user())


def test_a_czech_customer_needs_an_iban(make_user):
    with pytest.raises(InvalidIdentifier, match="IBAN"):
        bank_account_add(party=person(), account_number="19-2000145399/0800", by=make_user())

    assert not BankAccount.objects.exists()


def test_an_untracked_contact_field_is_left_out_of_the_history(make_user):
    TrackingScope.objects.create(entity="contact", field="label", tracked=False)
    party = person(phone="601123456")
    contact = ContactPoint.objects.get(party=party)

    contact_change(contact=contact, values={"label": "work"}, by=make_user())

    contact.refresh_from_db()
    assert contact.label == "work"
    assert not AuditEntry.objects.filter(action="abonent.customers.contact.changed").exists()
