"""A customer's contacts, addresses and bank accounts through the REST API."""

from __future__ import annotations

import pytest

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.contact_services import address_add, bank_account_add, contact_add
from abonent.customers.merge_services import party_merge
from abonent.customers.models import Address, BankAccount, ContactPoint, Party
from abonent.customers.tests.factories import person

IBAN = "CZ6508000000192000145399"
OTHER_IBAN = "CZ6608000000000000019019"
JSON = "application/json"


@pytest.fixture
def agent(bearer):
    return bearer(Role.AGENT)


def send(client, method, path, body, headers):
    return getattr(client, method)(path, body, content_type=JSON, headers=headers)


# --- contacts --------------------------------------------------------------------------------------


def test_a_phone_is_added_in_e164_becomes_primary_and_is_recorded_as_made_through_the_api(client, agent):
    user, headers = agent
    party = person(phone="")

    response = send(client, "post", f"/api/customers/{party.pk}/contacts",
                    {"kind": "phone", "value": "601 123 456", "label": "mobile"}, headers)

    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("kind", "value", "label", "is_primary")} == {
        "kind": "phone", "value": "+420601123456", "label": "mobile", "is_primary": True,
    }
    party.refresh_from_db()
    assert party.phone == "+420601123456"
    entry = AuditEntry.objects.get(action="abonent.customers.contact.added")
    assert (entry.channel, entry.actor, entry.subject_id) == ("api", user, str(party.pk))


@pytest.mark.parametrize(("body", "message"), [
    ({"kind": "phone", "value": "12"}, "“12” is not a valid phone number."),
    ({"kind": "email", "value": "jana@"}, "“jana@” is not a valid e-mail address."),
    ({"kind": "phone", "value": "+420 601 123 456"}, "The customer already has +420601123456."),
])
def test_a_contact_the_rules_refuse_is_answered_with_a_readable_message(client, agent, body, message):
    party = person(phone="601 123 456")

    response = send(client, "post", f"/api/customers/{party.pk}/contacts", body, agent[1])

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == ("value", message)


def test_another_phone_made_primary_takes_over_and_the_old_primary_cannot_just_be_demoted(client, agent):
    user, headers = agent
    party = person(phone="601 123 456")
    first = party.contacts.get()
    second = contact_add(party=party, kind="phone", value="602 000 001", by=user)

    refused = send(client, "patch", f"/api/customers/{party.pk}/contacts/{first.pk}", {"is_primary": False}, headers)
    promoted = send(client, "patch", f"/api/customers/{party.pk}/contacts/{second.pk}", {"is_primary": True},
                    headers)

    assert refused.status_code == 422
    assert (refused.json()["field"], refused.json()["detail"]) == ("is_primary", "Make another one primary instead.")
    assert promoted.status_code == 200
    party.refresh_from_db()
    assert party.phone == "+420602000001"
    assert not ContactPoint.objects.get(pk=first.pk).is_primary


def test_a_contacts_value_changes_without_touching_its_label(client, agent):
    user, headers = agent
    party = person(phone="")
    contact = contact_add(party=party, kind="email", value="jana@example.cz", label="home", by=user)

    response = send(client, "patch", f"/api/customers/{party.pk}/contacts/{contact.pk}",
                    {"value": "Jana@Example.com"}, headers)

    assert (response.json()["value"], response.json()["label"]) == ("jana@example.com", "home")
    entry = AuditEntry.objects.filter(action="abonent.customers.contact.changed").get()
    assert (entry.channel, entry.changes) == ("api", {"value": ["jana@example.cz", "jana@example.com"]})


def test_removing_the_primary_phone_promotes_the_oldest_other(client, agent):
    user, headers = agent
    party = person(phone="601 123 456")
    first = party.contacts.get()
    contact_add(party=party, kind="phone", value="602 000 001", by=user)

    response = client.delete(f"/api/customers/{party.pk}/contacts/{first.pk}", headers=headers)

    assert response.status_code == 204
    party.refresh_from_db()
    assert party.phone == "+420602000001"
    assert AuditEntry.objects.get(action="abonent.customers.contact.removed").channel == "api"


def test_a_row_of_another_customer_is_not_found(client, agent):
    party, other = person(phone="601 123 456"), person(phone="602 000 001")
    contact = other.contacts.get()

    response = send(client, "patch", f"/api/customers/{party.pk}/contacts/{contact.pk}", {"label": "x"}, agent[1])

    assert response.status_code == 404
    assert client.delete(f"/api/customers/{party.pk}/contacts/{contact.pk}", headers=agent[1]).status_code == 404
    assert ContactPoint.objects.filter(pk=contact.pk, label="").exists()


def test_a_merged_duplicate_takes_no_new_rows(client, agent):
    user, headers = agent
    survivor, duplicate = person(), person(first_name="Jane")
    party_merge(survivor=survivor, merged=duplicate, by=user)

    response = send(client, "post", f"/api/customers/{duplicate.pk}/contacts",
                    {"kind": "email", "value": "jane@example.cz"}, headers)

    assert response.status_code == 409
    assert response.json()["merged_into"] == survivor.pk
    assert not ContactPoint.objects.filter(value="jane@example.cz").exists()


# --- addresses -------------------------------------------------------------------------------------


def test_an_address_is_in_the_customers_country_unless_told_otherwise(client, agent):
    party = person(country="PL", phone="")

    response = send(client, "post", f"/api/customers/{party.pk}/addresses",
                    {"street": " Marszałkowska  1 ", "city": "Warszawa", "latitude": "52.2297",
                     "longitude": "21.0122"}, agent[1])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["street"], body["country"], body["kind"], body["is_primary"]) == (
        "Marszałkowska 1", "PL", "registered", True,
    )
    assert (body["latitude"], body["longitude"]) == ("52.229700", "21.012200")
    party.refresh_from_db()
    assert party.city == "Warszawa"


def test_an_address_position_needs_both_coordinates(client, agent):
    user, headers = agent
    party = person()
    address = address_add(party=party, by=user, street="Nádražní 1", city="Brno")

    response = send(client, "patch", f"/api/customers/{party.pk}/addresses/{address.pk}", {"latitude": 49.19},
                    headers)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == (
        "longitude", "Give both the latitude and the longitude, or neither.",
    )


def test_an_address_changes_only_what_is_sent_and_is_removed(client, agent):
    user, headers = agent
    party = person()
    address = address_add(party=party, by=user, street="Nádražní 1", city="Brno", postal_code="602 00")

    changed = send(client, "patch", f"/api/customers/{party.pk}/addresses/{address.pk}", {"city": "Ostrava"},
                   headers)
    removed = client.delete(f"/api/customers/{party.pk}/addresses/{address.pk}", headers=headers)

    assert (changed.json()["street"], changed.json()["city"], changed.json()["postal_code"]) == (
        "Nádražní 1", "Ostrava", "602 00",
    )
    assert AuditEntry.objects.get(action="abonent.customers.address.changed").changes == {"city": ["Brno", "Ostrava"]}
    assert removed.status_code == 204
    assert not Address.objects.exists()
    assert Party.objects.get(pk=party.pk).city == ""


# --- bank accounts ---------------------------------------------------------------------------------


def test_a_bank_account_is_checked_compacted_and_recorded(client, agent):
    party = person()

    response = send(client, "post", f"/api/customers/{party.pk}/bank-accounts",
                    {"iban": "cz65 0800 0000 1920 0014 5399", "bic": "gibacz px"}, agent[1])

    assert response.status_code == 201
    assert (response.json()["iban"], response.json()["bic"], response.json()["is_primary"]) == (
        IBAN, "GIBACZPX", True,
    )
    assert AuditEntry.objects.get(action="abonent.customers.bank_account.added").channel == "api"


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"iban": "CZ6508000000192000145390"}, "iban", "“CZ6508000000192000145390” is not a valid IBAN."),
    ({"iban": IBAN, "bic": "nonsense"}, "bic", "“nonsense” is not a valid BIC."),
    ({"account_number": "19-2000145399/0800"}, "iban", "Customers in this country pay from an IBAN; type the IBAN."),
    ({"iban": OTHER_IBAN}, "iban", "The customer already has this bank account."),
])
def test_a_bank_account_the_rules_refuse_is_answered_with_a_readable_message(client, agent, body, field, message):
    party = person(iban=OTHER_IBAN)

    response = send(client, "post", f"/api/customers/{party.pk}/bank-accounts", body, agent[1])

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == (field, message)
    assert BankAccount.objects.count() == 1


def test_a_bank_accounts_iban_is_changed_checked_and_the_account_removed(client, agent):
    user, headers = agent
    party = person()
    account = bank_account_add(party=party, iban=IBAN, label="main", by=user)
    path = f"/api/customers/{party.pk}/bank-accounts/{account.pk}"

    refused = send(client, "patch", path, {"iban": "CZ00"}, headers)
    changed = send(client, "patch", path, {"iban": OTHER_IBAN}, headers)
    removed = client.delete(path, headers=headers)

    assert (refused.status_code, refused.json()["field"]) == (422, "iban")
    assert (changed.status_code, changed.json()["iban"], changed.json()["label"]) == (200, OTHER_IBAN, "main")
    assert removed.status_code == 204
    assert Party.objects.get(pk=party.pk).iban == ""


def test_the_customer_role_may_not_touch_rows(client, bearer):
    _customer, headers = bearer(Role.CUSTOMER)
    party = person(phone="601 123 456")
    contact = party.contacts.get()

    assert client.delete(f"/api/customers/{party.pk}/contacts/{contact.pk}", headers=headers).status_code == 403
    assert ContactPoint.objects.filter(pk=contact.pk).exists()
