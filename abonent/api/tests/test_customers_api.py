"""Customers through the REST API: search, create, read, change, stage and history, as the back office does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from abonent.accounts.rights import DEFAULT_RIGHTS
from abonent.accounts.services import api_token_create, api_token_revoke
from abonent.api.customers import CustomerFilters
from abonent.core.models import AuditEntry
from abonent.core.roles import Access, Role
from abonent.customers.attribute_services import attribute_set
from abonent.customers.contact_services import address_add, bank_account_add, contact_add
from abonent.customers.hierarchy_services import party_place
from abonent.customers.lists import CUSTOMERS
from abonent.customers.merge_services import party_merge
from abonent.customers.models import Party, PartyKind, Stage, StageChange
from abonent.customers.services import party_set_tags
from abonent.customers.tests.attributes.factories import AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory, person
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
IBAN = "CZ6508000000192000145399"
OTHER_IBANS = ["CZ6608000000000000019019", "CZ8508000000000000027019", "CZ0708000000000000035019",
               "CZ2608000000000000043019", "CZ4508000000000000051019"]
JSON = "application/json"


def post(client, path, body, headers):
    return client.post(path, body, content_type=JSON, headers=headers)


def patch(client, path, body, headers):
    return client.patch(path, body, content_type=JSON, headers=headers)


@pytest.fixture
def agent(bearer):
    return bearer(Role.AGENT)


# --- search ----------------------------------------------------------------------------------------


def test_the_list_searches_by_name_phone_digits_and_tax_id(client, agent):
    _user, headers = agent
    jana = person(phone="601 123 456")
    firm = person(kind=PartyKind.ORGANISATION, name="Komerční banka", first_name="", last_name="",
                  tax_id="25596641", phone="")

    def names(query):
        return [c["name"] for c in client.get(f"/api/customers?q={query}", headers=headers).json()]

    assert names("nováková") == [jana.name]
    assert names("601 123") == [jana.name]
    assert names("2559") == [firm.name]


def test_the_list_filters_like_the_back_office_list(client, agent, make_user):
    _user, headers = agent
    rep = make_user(Role.SALES_REP)
    lead = PartyFactory(stage=Stage.LEAD, country="PL", sales_rep=rep, created_at=NOW)
    PartyFactory(stage=Stage.CUSTOMER, country="CZ", created_at=NOW - dt.timedelta(days=10))
    firm = PartyFactory(stage=Stage.PROSPECT, kind=PartyKind.ORGANISATION, created_at=NOW - dt.timedelta(days=20))

    def ids(query):
        response = client.get(f"/api/customers?{query}", headers=headers)
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()}

    assert ids("stage=lead&stage=prospect") == {lead.pk, firm.pk}
    assert ids("kind=organisation") == {firm.pk}
    assert ids("country=PL") == {lead.pk}
    assert ids(f"rep={rep.pk}") == {lead.pk}
    assert lead.pk not in ids("rep=none")
    assert ids("created_from=2026-02-15&created_to=2026-02-25") == {
        p.pk for p in Party.objects.filter(created_at__date="2026-02-20")
    }


def test_the_list_offers_every_filter_of_the_back_office_list():
    declared = {param for f in CUSTOMERS.filters for param in f.params}

    assert declared == set(CustomerFilters.model_fields)


def test_the_list_leaves_out_merged_duplicates(client, agent):
    user, headers = agent
    survivor, duplicate = person(), person(first_name="Jane")
    party_merge(survivor=survivor, merged=duplicate, by=user)

    body = client.get("/api/customers", headers=headers).json()

    assert [c["id"] for c in body] == [survivor.pk]


def test_the_list_pages_by_id(client, agent):
    _user, headers = agent
    made = [PartyFactory().pk for _n in range(5)]

    first = client.get("/api/customers?limit=2", headers=headers).json()
    rest = client.get(f"/api/customers?limit=10&after={first[-1]['id']}", headers=headers).json()

    assert [c["id"] for c in first + rest] == made


@pytest.mark.parametrize(("query", "field"), [
    ("limit=201", "limit"), ("limit=0", "limit"), ("stage=gone", "stage.0"), ("created_from=tuesday", "created_from"),
    ("created_from=2026-03-02&created_to=2026-03-01", "created_to"), ("rep=jana", "rep"),
])
def test_a_filter_the_list_cannot_take_is_refused_with_its_name(client, agent, query, field):
    response = client.get(f"/api/customers?{query}", headers=agent[1])

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]


def test_the_list_reads_a_bounded_number_of_queries(client, agent, make_user, django_assert_max_num_queries):
    _user, headers = agent
    for _n in range(30):
        PartyFactory(sales_rep=make_user(Role.SALES_REP))
    client.get("/api/customers", headers=headers)  # rights and content types cached, as in a running server

    # token, its user's rights, the page with its reps
    with django_assert_max_num_queries(3):
        body = client.get("/api/customers?limit=200", headers=headers).json()

    assert len(body) == 30
    assert all(c["sales_rep"]["name"] for c in body)


# --- create ----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_creating_a_customer_checks_normalises_and_records_it_as_made_through_the_api(client, agent):
    user, headers = agent

    response = post(client, "/api/customers", {
        "kind": "organisation", "name": "Komerční banka", "country": "cz", "phone": "601 123 456",
        "email": " Info@KB.cz ", "tax_id": "255 96 641", "iban": "cz65 0800 0000 1920 0014 5399", "stage": "lead",
        "tags": ["VIP", "bank"], "external_ref": "crm-1",
    }, headers)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["country"], body["stage"], body["tax_id"]) == ("Komerční banka", "CZ", "lead",
                                                                              "25596641")
    assert [(c["kind"], c["value"], c["is_primary"]) for c in body["contacts"]] == [
        ("phone", "+420601123456", True), ("email", "info@kb.cz", True),
    ]
    assert [a["iban"] for a in body["bank_accounts"]] == [IBAN]
    assert body["tags"] == ["VIP", "bank"]
    assert body["external_ref"] == "crm-1"
    created = AuditEntry.objects.get(action="abonent.customers.party.created")
    assert (created.channel, created.actor, created.at) == ("api", user, NOW)
    assert created.changes["iban"] == [None, IBAN]
    assert AuditEntry.objects.get(action="abonent.customers.party.tags_changed").channel == "api"


def test_a_person_is_named_by_their_first_and_last_name(client, agent):
    response = post(client, "/api/customers", {"first_name": "Jana", "last_name": "Nováková", "country": "CZ"},
                    agent[1])

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["name"]) == ("person", "Jana Nováková")


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"iban": "CZ6508000000192000145390"}, "iban", "“CZ6508000000192000145390” is not a valid IBAN."),
    ({"phone": "12"}, "phone", "“12” is not a valid phone number."),
    ({"tax_id": "25596642"}, "tax_id", "“25596642” is not a valid IČO."),
    ({"email": "jana@"}, "email", "“jana@” is not a valid e-mail address."),
    ({"first_name": "", "last_name": ""}, "last_name", "Type the person's first or last name."),
    ({"country": "XX"}, "country", "Select a valid choice. XX is not one of the available choices."),
])
def test_a_customer_the_rules_refuse_is_answered_with_a_readable_message(client, agent, values, field, message):
    body = {"first_name": "Jana", "last_name": "Nováková", "country": "CZ", **values}

    response = post(client, "/api/customers", body, agent[1])

    assert response.status_code == 422
    assert (response.json()["detail"], response.json()["field"]) == (message, field)
    assert not Party.objects.exists()


def test_a_token_is_answered_in_its_users_language(client, bearer):
    _user, headers = bearer(Role.AGENT, language="cs")

    response = post(client, "/api/customers", {"first_name": "Jana", "country": "CZ", "iban": "CZ00"}, headers)

    assert response.json()["detail"] == "„CZ00“ není platný IBAN."
    assert response["Content-Language"] == "cs"


def test_every_problem_is_listed_not_only_the_first(client, agent):
    body = {"first_name": "Jana", "country": "CZ", "phone": "12", "iban": "CZ00"}

    errors = post(client, "/api/customers", body, agent[1]).json()["errors"]

    assert [e["field"] for e in errors] == ["phone", "iban"]


def test_a_malformed_body_is_answered_in_the_same_shape(client, agent):
    response = post(client, "/api/customers", {"first_name": "Jana", "country": "CZ", "stage": "vip"}, agent[1])

    assert response.status_code == 422
    assert response.json()["field"] == "stage"
    assert response.json()["detail"].startswith("stage: ")


def test_an_external_id_belongs_to_one_customer(client, agent):
    PartyFactory(external_ref="crm-1")

    response = post(client, "/api/customers", {"first_name": "Jana", "country": "CZ", "external_ref": "crm-1"},
                    agent[1])

    assert response.status_code == 422
    assert response.json()["field"] == "external_ref"


# --- read ------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_customer_comes_with_contacts_addresses_accounts_tags_attributes_and_placements(client, agent):
    user, headers = agent
    party = person(phone="601 123 456", iban=IBAN)
    address_add(party=party, by=user, street="Václavské náměstí 1", city="Praha", postal_code="110 00")
    party_set_tags(party=party, names=["VIP"], by=user)
    segment = AttributeDefinitionFactory(code="segment")
    attribute_set(party=party, definition=segment, value="retail", active_from=dt.date(2026, 1, 1), by=user)
    structure = StructureFactory(code="sales")
    nodes = tree(structure, {"Prague": {"Centre": {}}})
    party_place(party=party, node=nodes["Centre"], active_from=dt.date(2026, 1, 1), by=user)

    body = client.get(f"/api/customers/{party.pk}", headers=headers).json()

    assert (body["name"], body["stage"], body["city"]) == ("Jana Nováková", "prospect", "Praha")
    assert [c["value"] for c in body["contacts"]] == ["+420601123456"]
    assert [(a["street"], a["is_primary"]) for a in body["addresses"]] == [("Václavské náměstí 1", True)]
    assert [a["iban"] for a in body["bank_accounts"]] == [IBAN]
    assert body["tags"] == ["VIP"]
    assert [(a["code"], a["value"], a["text"]) for a in body["attributes"]] == [("segment", "retail", "retail")]
    assert [(p["structure"], p["node_name"], p["path"]) for p in body["placements"]] == [
        ("sales", "Centre", "Prague › Centre"),
    ]
    before = client.get(f"/api/customers/{party.pk}?on=2025-12-31", headers=headers).json()
    assert (before["attributes"][0]["value"], before["placements"]) == (None, [])


def test_a_customer_that_does_not_exist_is_not_found(client, agent):
    response = client.get("/api/customers/999999", headers=agent[1])

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no customer 999999."}


def test_a_merged_duplicate_redirects_to_the_customer_it_was_merged_into(client, agent):
    user, headers = agent
    survivor, duplicate = person(), person(first_name="Jane")
    party_merge(survivor=survivor, merged=duplicate, by=user)

    response = client.get(f"/api/customers/{duplicate.pk}?on=2026-01-01", headers=headers)

    assert response.status_code == 308
    assert response["Location"] == f"/api/customers/{survivor.pk}?on=2026-01-01"
    assert response.json()["merged_into"] == survivor.pk
    history = client.get(f"/api/customers/{duplicate.pk}/history", headers=headers)
    assert history["Location"] == f"/api/customers/{survivor.pk}/history"
    assert client.get(f"/api/customers/{duplicate.pk}", headers=headers, follow=True).json()["id"] == survivor.pk


def test_a_merged_duplicate_cannot_be_changed(client, agent):
    user, headers = agent
    survivor, duplicate = person(), person(first_name="Jane")
    party_merge(survivor=survivor, merged=duplicate, by=user)

    response = patch(client, f"/api/customers/{duplicate.pk}", {"first_name": "Janet"}, headers)

    assert response.status_code == 409
    assert response.json()["merged_into"] == survivor.pk


def test_the_customer_reads_the_same_number_of_queries_however_much_it_holds(
    client, agent, django_assert_max_num_queries,
):
    user, headers = agent
    party = person(phone="601 123 456", iban=IBAN)
    client.get(f"/api/customers/{party.pk}", headers=headers)  # rights and content types cached
    for n in range(5):
        contact_add(party=party, kind="email", value=f"jana{n}@example.cz", by=user)
        address_add(party=party, by=user, street=f"Street {n}", city="Brno")
        bank_account_add(party=party, iban=OTHER_IBANS[n], by=user)
    party_set_tags(party=party, names=["a", "b", "c"], by=user)
    for n in range(3):
        attribute_set(party=party, definition=AttributeDefinitionFactory(), value=f"v{n}",
                      active_from=dt.date(2026, 1, 1), by=user)
        nodes = tree(StructureFactory(), {"Top": {"Middle": {"Bottom": {}}}})
        party_place(party=party, node=nodes["Bottom"], active_from=dt.date(2026, 1, 1), by=user)

    # token, rights, party, contacts, addresses, accounts, tags, attributes (2), placements (3)
    with django_assert_max_num_queries(12):
        body = client.get(f"/api/customers/{party.pk}", headers=headers).json()

    assert [len(body[k]) for k in ("contacts", "addresses", "bank_accounts", "tags", "attributes", "placements")] == [
        6, 5, 6, 3, 3, 3,
    ]


# --- change ----------------------------------------------------------------------------------------


def test_a_change_is_audited_old_to_new_and_shows_in_the_history(client, agent, make_user):
    user, headers = agent
    party = person(tax_id="")
    rep = make_user(Role.SALES_REP)

    response = patch(client, f"/api/customers/{party.pk}",
                     {"last_name": "Dvořáková", "tax_id": "25596641", "sales_rep": rep.pk, "tags": ["VIP"]}, headers)

    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["sales_rep"]["id"]) == ("Jana Dvořáková", rep.pk)
    history = client.get(f"/api/customers/{party.pk}/history", headers=headers).json()
    changed, tags = history[1], history[0]
    assert changed["action"] == "abonent.customers.party.changed"
    assert changed["changes"]["last_name"] == ["Nováková", "Dvořáková"]
    assert changed["changes"]["name"] == ["Jana Nováková", "Jana Dvořáková"]
    assert changed["changes"]["tax_id"] == ["", "25596641"]
    assert (changed["channel"], changed["actor_id"]) == ("api", user.pk)
    assert tags["changes"] == {"tags": [[], ["VIP"]]}
    assert history[-1]["action"] == "abonent.customers.party.created"


def test_a_change_leaves_the_fields_not_sent_as_they_were(client, agent):
    party = person(kind=PartyKind.ORGANISATION, name="Firma", first_name="", last_name="", tax_id="25596641")

    response = patch(client, f"/api/customers/{party.pk}", {"vat_id": "CZ25596641"}, agent[1])

    party.refresh_from_db()
    assert response.status_code == 200
    assert (party.name, party.tax_id, party.vat_id) == ("Firma", "25596641", "CZ25596641")
    assert AuditEntry.objects.filter(action="abonent.customers.party.changed").get().changes == {
        "vat_id": ["", "CZ25596641"],
    }


@pytest.mark.parametrize(("values", "field"), [
    ({"tax_id": "25596642"}, "tax_id"), ({"country": "PL"}, "tax_id"), ({"vat_id": "CZ1"}, "vat_id"),
    ({"kind": "organisation", "name": ""}, "name"), ({"sales_rep": 999999}, "sales_rep"),
    ({"stage": "lead"}, "stage"), ({"phone": "601 123 456"}, "phone"),
])
def test_a_change_the_rules_refuse_changes_nothing(client, agent, values, field):
    party = person(tax_id="25596641")

    response = patch(client, f"/api/customers/{party.pk}", values, agent[1])

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not AuditEntry.objects.filter(action="abonent.customers.party.changed").exists()


# --- stage -----------------------------------------------------------------------------------------


def test_the_stage_moves_with_its_reason(client, agent):
    user, headers = agent
    party = person(stage=Stage.CUSTOMER)

    response = post(client, f"/api/customers/{party.pk}/stage", {"stage": "former", "reason": "Moved abroad"},
                    headers)

    assert response.status_code == 200
    assert (response.json()["from_stage"], response.json()["to_stage"]) == ("customer", "former")
    change = StageChange.objects.filter(party=party).first()
    assert (change.to_stage, change.reason, change.by) == ("former", "Moved abroad", user)
    entry = AuditEntry.objects.get(action="abonent.customers.party.stage_changed")
    assert (entry.channel, entry.changes, entry.note) == ("api", {"stage": ["customer", "former"]}, "Moved abroad")


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"stage": "former"}, "reason", "Say why the customer is leaving."),
    ({"stage": "customer"}, "stage", "The customer is already at this stage."),
])
def test_a_stage_move_the_rules_refuse_says_why(client, agent, body, field, message):
    party = person(stage=Stage.CUSTOMER)

    response = post(client, f"/api/customers/{party.pk}/stage", body, agent[1])

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == (field, message)


# --- history ---------------------------------------------------------------------------------------


def test_the_history_pages_backwards_by_id(client, agent):
    user, headers = agent
    party = person()
    for name in ("A", "B", "C"):
        patch(client, f"/api/customers/{party.pk}", {"first_name": name}, headers)

    first = client.get(f"/api/customers/{party.pk}/history?limit=2", headers=headers).json()
    rest = client.get(f"/api/customers/{party.pk}/history?before_id={first[-1]['id']}", headers=headers).json()

    assert [e["changes"].get("first_name", [None, None])[1] for e in first + rest] == ["C", "B", "A", "Jana"]
    assert {e["actor"] for e in first} == {user.get_full_name()}


def test_the_history_of_a_survivor_holds_its_merged_duplicates_changes(client, agent):
    user, headers = agent
    survivor, duplicate = person(), person(first_name="Jane")
    party_merge(survivor=survivor, merged=duplicate, by=user)

    history = client.get(f"/api/customers/{survivor.pk}/history", headers=headers).json()

    assert str(duplicate.pk) in {e["subject_id"] for e in history}


# --- who may call ----------------------------------------------------------------------------------

ROLES = [Role.CUSTOMER, Role.AGENT, Role.SALES_REP, Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN]
CALLS = [
    ("get", "/api/customers", None), ("post", "/api/customers", {"first_name": "Eva", "country": "CZ"}),
    ("get", "/api/customers/{customer_id}", None), ("patch", "/api/customers/{customer_id}", {"first_name": "Eva"}),
    ("post", "/api/customers/{customer_id}/stage", {"stage": "lead"}),
    ("get", "/api/customers/{customer_id}/history", None),
    ("post", "/api/customers/{customer_id}/contacts", {"kind": "email", "value": "eva@example.cz"}),
    ("patch", "/api/customers/{customer_id}/contacts/{contact_id}", {"label": "home"}),
    ("delete", "/api/customers/{customer_id}/contacts/{contact_id}", None),
    ("post", "/api/customers/{customer_id}/addresses", {"street": "Nádražní 1", "city": "Brno"}),
    ("patch", "/api/customers/{customer_id}/addresses/{address_id}", {"city": "Ostrava"}),
    ("delete", "/api/customers/{customer_id}/addresses/{address_id}", None),
    ("post", "/api/customers/{customer_id}/bank-accounts", {"iban": OTHER_IBANS[0]}),
    ("patch", "/api/customers/{customer_id}/bank-accounts/{account_id}", {"label": "main"}),
    ("delete", "/api/customers/{customer_id}/bank-accounts/{account_id}", None),
]
SUCCESS = {"get": 200, "post": 201, "patch": 200, "delete": 204}  # a stage move answers 200: see expected()


def test_the_table_names_every_customers_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    served = {(method, path) for path, operations in schema["paths"].items() if path.startswith("/api/customers")
              for method in operations}

    assert served == {(method, path) for method, path, _body in CALLS}


def _call(client, method, path, body, headers):
    party = person(stage=Stage.PROSPECT, phone="601 123 456")
    ids = {
        "customer_id": party.pk, "contact_id": party.contacts.get().pk,
        "address_id": address_add(party=party, by=None, street="Nádražní 2", city="Brno").pk,
        "account_id": bank_account_add(party=party, by=None, iban=IBAN).pk,
    }
    url = path.format(**ids)
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, body, content_type=JSON, headers=headers)


def expected(role, method, path):
    if role == "anonymous":
        return 401
    needed = Access.READ if method == "get" else Access.WRITE
    allowed = role == Role.SUPERADMIN or DEFAULT_RIGHTS[role].get("customers", Access.NONE) >= needed
    if not allowed:
        return 403
    return 200 if path.endswith("/stage") else SUCCESS[method]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize(("method", "path", "body"), CALLS)
def test_a_token_may_do_what_the_default_rights_of_its_role_allow(client, bearer, role, method, path, body):
    headers = {} if role == "anonymous" else bearer(role)[1]

    response = _call(client, method, path, body, headers)

    assert response.status_code == expected(role, method, path), response.content


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.AGENT, Role.SALES_REP])
def test_a_browser_session_gets_the_same_answers_as_a_token(client, make_user, role):
    client.force_login(make_user(role))

    for method, path, body in CALLS:
        assert _call(client, method, path, body, {}).status_code == expected(role, method, path), (method, path)


def test_a_session_write_needs_the_csrf_token(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.AGENT))
    body = {"first_name": "Eva", "country": "CZ"}

    refused = browser.post("/api/customers", body, content_type=JSON)
    browser.get("/")  # any page sets the CSRF cookie
    allowed = browser.post("/api/customers", body, content_type=JSON,
                           headers={"X-CSRFToken": browser.cookies["csrftoken"].value})

    assert (refused.status_code, refused.json()["detail"]) == (403, "CSRF check Failed")
    assert allowed.status_code == 201
    assert browser.get("/api/customers").status_code == 200


def test_a_write_with_a_revoked_token_is_unauthorised_not_a_csrf_failure(make_user):
    user = make_user(Role.AGENT)
    token, secret = api_token_create(user=user, name="CRM")
    api_token_revoke(by=user, token=token)

    response = Client(enforce_csrf_checks=True).post(
        "/api/customers", {"first_name": "Eva", "country": "CZ"}, content_type=JSON,
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 401
