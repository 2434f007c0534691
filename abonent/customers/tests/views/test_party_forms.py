import html
import re

from django.test import Client

from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role
from abonent.customers.models import Address, BankAccount, ContactPoint, Note, Party, PartyKind, Stage, Task
from abonent.customers.tests.factories import person


def errors_of(page: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'<div class="invalid-feedback d-block">([^<]+)</div>', page)]


def test_an_agent_creates_a_person_and_lands_on_the_page(client_as):
    client = client_as(Role.AGENT)

    response = client.post("/customers/new/", {
        "kind": "person", "first_name": "Jana", "last_name": "Nováková", "name": "left over", "country": "CZ",
        "phone": "601 123 456", "email": "Jana@Example.cz", "stage": "lead",
    })

    party = Party.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/{party.pk}/"
    assert (party.name, party.phone, party.email, party.stage) == ("Jana Nováková", "+420601123456",
                                                                   "jana@example.cz", Stage.LEAD)
    assert ContactPoint.objects.filter(party=party).count() == 2
    entry = AuditEntry.objects.get(action="abonent.customers.party.created")
    assert (entry.actor, entry.channel) == (client.user, Channel.UI)


def test_a_wrong_identifier_is_reported_on_its_own_field_for_the_country(client_as):
    client = client_as(Role.AGENT)

    page = client.post("/customers/new/", {
        "kind": "organisation", "name": "Alfa s.r.o.", "country": "CZ", "tax_id": "25596642", "phone": "12",
        "iban": "CZ00 1234", "stage": "prospect",
    }).content.decode()

    assert not Party.objects.exists()
    tax = page.split('for="id_tax_id"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "“25596642” is not a valid IČO." in tax
    assert "“12” is not a valid phone number." in page.split('for="id_phone"', 1)[1]
    assert "“CZ00 1234” is not a valid IBAN." in page.split('for="id_iban"', 1)[1]


def test_an_organisation_needs_a_name_and_a_person_a_name(client_as):
    client = client_as(Role.AGENT)

    organisation = client.post("/customers/new/", {"kind": "organisation", "country": "PL",
                                                   "stage": "prospect"}).content.decode()
    individual = client.post("/customers/new/", {"kind": "person", "country": "PL",
                                                 "stage": "prospect"}).content.decode()

    assert "Type the organisation's name." in errors_of(organisation)
    assert "Type the person's first or last name." in errors_of(individual)
    assert not Party.objects.exists()


def test_the_form_asks_in_a_sensible_order(client_as):
    page = client_as(Role.AGENT).get("/customers/new/").content.decode()

    names = re.findall(r'name="(kind|first_name|last_name|name|country|tax_id|vat_id|phone|email|iban|stage|'
                       r'sales_rep|call_center_status)"', page)
    order = list(dict.fromkeys(names))
    assert order == ["kind", "first_name", "last_name", "name", "country", "tax_id", "vat_id", "phone", "email",
                     "iban", "stage", "sales_rep", "call_center_status"]


def test_editing_changes_the_record_and_records_it(client_as):
    party = person(first_name="Jana", last_name="Nováková")
    client = client_as(Role.AGENT)

    response = client.post(f"/customers/{party.pk}/edit/", {
        "kind": "organisation", "name": "Nováková s.r.o.", "country": "CZ", "tax_id": "25596641",
    })

    party.refresh_from_db()
    assert response.status_code == 302
    assert (party.kind, party.name, party.first_name, party.tax_id) == (PartyKind.ORGANISATION, "Nováková s.r.o.",
                                                                        "", "25596641")
    assert AuditEntry.objects.get(action="abonent.customers.party.changed").changes["tax_id"] == ["", "25596641"]


def test_moving_the_stage_to_former_needs_a_reason(client_as):
    party = person(stage=Stage.CUSTOMER)
    client = client_as(Role.AGENT)

    client.post(f"/customers/{party.pk}/stage/", {"to_stage": "former"})
    party.refresh_from_db()
    assert party.stage == Stage.CUSTOMER
    page = client.get(f"/customers/{party.pk}/").content.decode()
    assert "Say why the customer is leaving." in page

    client.post(f"/customers/{party.pk}/stage/", {"to_stage": "former", "reason": "Moved abroad"})
    party.refresh_from_db()
    assert party.stage == Stage.FORMER
    assert "Moved abroad" in client.get(f"/customers/{party.pk}/").content.decode()


def test_contacts_are_added_through_htmx_and_errors_stay_in_the_tab(client_as, htmx):
    party = person(phone="", email="")
    client = client_as(Role.AGENT)

    url = f"/customers/{party.pk}/contact/add/"
    added = client.post(url, {"contact-kind": "phone", "contact-value": "601 123 456"}, **htmx)
    refused = client.post(url, {"contact-kind": "email", "contact-value": "nope"}, **htmx)

    assert "Contact saved." in added.content.decode() and "+420 601 123 456" in added.content.decode()
    assert "“nope” is not a valid e-mail address." in errors_of(refused.content.decode())
    assert "<html" not in refused.content.decode()
    assert list(ContactPoint.objects.values_list("value", flat=True)) == ["+420601123456"]


def test_without_javascript_a_contact_form_posts_and_returns_to_the_tab(client_as):
    party = person(phone="", email="")
    client = client_as(Role.AGENT)

    response = client.post(f"/customers/{party.pk}/address/add/", {
        "address-kind": "registered", "address-street": "Národní 1", "address-city": "Praha",
        "address-postal_code": "110 00", "address-country": "CZ",
    })
    refused = client.post(f"/customers/{party.pk}/bank_account/add/", {"bank_account-iban": "CZ00"})

    assert response["Location"] == f"/customers/{party.pk}/?tab=contacts"
    assert Address.objects.get().city == "Praha"
    assert "<html" in refused.content.decode()
    assert "“CZ00” is not a valid IBAN." in errors_of(refused.content.decode())


def test_a_row_is_edited_made_primary_and_removed(client_as, htmx):
    party = person(iban="CZ6508000000192000145399")
    second = BankAccount.objects.create(party=party, iban="CZ6907101781240000004159")
    client = client_as(Role.AGENT)

    form = client.get(f"/customers/{party.pk}/bank_account/{second.pk}/edit/", **htmx).content.decode()
    client.post(f"/customers/{party.pk}/bank_account/{second.pk}/edit/",
                {"edit-iban": second.iban, "edit-label": "savings"}, **htmx)
    client.post(f"/customers/{party.pk}/bank_account/{second.pk}/primary/", **htmx)
    client.post(f"/customers/{party.pk}/bank_account/{second.pk}/remove/", **htmx)

    assert 'value="CZ6907101781240000004159"' in form
    party.refresh_from_db()
    assert party.iban == "CZ6508000000192000145399"
    assert list(BankAccount.objects.values_list("iban", "is_primary")) == [("CZ6508000000192000145399", True)]
    entries = list(AuditEntry.objects.filter(action__startswith="abonent.customers.bank_account", target_id=second.pk)
                   .values_list("action", "changes").order_by("id"))
    assert entries == [
        ("abonent.customers.bank_account.changed", {"label": ["", "savings"]}),
        ("abonent.customers.bank_account.changed", {"is_primary": [False, True]}),
        ("abonent.customers.bank_account.removed", {"iban": ["CZ6907101781240000004159", None],
                                                    "label": ["savings", None], "is_primary": [True, None]}),
    ]


def test_another_customers_row_cannot_be_reached_through_this_one(client_as):
    mine, theirs = person(phone="601123456"), person(phone="602111222")
    contact = ContactPoint.objects.get(party=theirs)

    response = client_as(Role.AGENT).post(f"/customers/{mine.pk}/contact/{contact.pk}/remove/")

    assert response.status_code == 404
    assert ContactPoint.objects.filter(pk=contact.pk).exists()


def test_notes_typed_without_the_editor_are_text_and_with_it_sanitised_html(client_as, htmx):
    party = person()
    client = client_as(Role.AGENT)

    client.post(f"/customers/{party.pk}/notes/add/", {"body": "a <b> b", "format": "text"}, **htmx)
    client.post(f"/customers/{party.pk}/notes/add/", {"body": "<b>bold</b><script>x()</script>", "format": "html"},
                **htmx)

    assert sorted(Note.objects.values_list("body", flat=True)) == ["<b>bold</b>", "<p>a &lt;b&gt; b</p>"]


def test_a_task_is_added_done_and_removed(client_as, htmx):
    party = person()
    client = client_as(Role.AGENT)

    added = client.post(f"/customers/{party.pk}/tasks/add/", {"title": "Call back", "due_on": "2026-03-05"},
                        **htmx).content.decode()
    task = Task.objects.get()
    client.post(f"/customers/{party.pk}/tasks/{task.pk}/done/", {"done": "1"}, **htmx)
    task.refresh_from_db()

    assert "Call back" in added and task.owner == client.user and task.done_at is not None
    client.post(f"/customers/{party.pk}/tasks/{task.pk}/remove/", **htmx)
    assert not Task.objects.exists()


def test_every_form_needs_the_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.AGENT))
    party = person()

    for url, data in [(f"/customers/{party.pk}/notes/add/", {"body": "x"}), ("/customers/new/", {}),
                      (f"/customers/{party.pk}/stage/", {"to_stage": "lead"}),
                      (f"/customers/{party.pk}/contact/add/", {"contact-kind": "phone", "contact-value": "601123456"})]:
        assert client.post(url, data).status_code == 403, url
    assert not Note.objects.exists()
