import datetime as dt

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.attribute_services import attribute_set
from abonent.customers.models import AttributeChoice, AttributeDefinition, AttributeType
from abonent.customers.tests.attributes.factories import AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory

LABELS = {"label_en": "Preferred contact time", "label_cs": "Čas kontaktu", "label_pl": "", "label_ro": "",
          "label_ru": ""}


def test_an_administrator_declares_an_attribute_with_labels_per_language(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/customers/attributes/new/", {
        "code": "contact-time", "type": "text", "applies_to": "person", "multilingual": "on", "active": "on",
        "order": 3, **LABELS,
    })

    assert response.status_code == 302
    definition = AttributeDefinition.objects.get(code="contact-time")
    assert definition.label == {"en": "Preferred contact time", "cs": "Čas kontaktu"}
    assert (definition.applies_to, definition.multilingual, definition.required) == ("person", True, False)
    entry = AuditEntry.objects.get(action="abonent.customers.attribute_definition.created")
    assert entry.actor == client.user


def test_an_english_label_is_required_as_everyones_fallback(client_as):
    response = client_as(Role.ADMINISTRATOR).post("/customers/attributes/new/", {
        "code": "x", "type": "text", "applies_to": "both", "order": 0, **LABELS, "label_en": "",
    })

    assert response.status_code == 200
    assert "label_en" in response.context["form"].errors
    assert not AttributeDefinition.objects.exists()


def test_the_code_cannot_change_and_the_type_is_locked_once_values_exist(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    definition = AttributeDefinitionFactory(code="segment", type=AttributeType.TEXT)
    attribute_set(party=PartyFactory(), definition=definition, value="retail", active_from=dt.date(2026, 1, 1),
                  by=make_user())

    client.post(f"/customers/attributes/{definition.pk}/", {
        "code": "renamed", "type": "number", "applies_to": "both", "order": 0, "active": "on", **LABELS,
    })

    definition.refresh_from_db()
    assert (definition.code, definition.type) == ("segment", AttributeType.TEXT)
    assert definition.label["en"] == "Preferred contact time"
    entry = AuditEntry.objects.get(action="abonent.customers.attribute_definition.changed")
    assert "type" not in entry.changes and "code" not in entry.changes


def test_an_administrator_adds_and_renames_choices(client_as):
    client = client_as(Role.ADMINISTRATOR)
    definition = AttributeDefinitionFactory(code="segment", type=AttributeType.CHOICE)
    choice_labels = {f"choice-{k}": v for k, v in LABELS.items()}

    client.post(f"/customers/attributes/{definition.pk}/choices/new/", {
        "choice-code": "vip", "choice-order": 1, "choice-active": "on", **choice_labels, "choice-label_en": "VIP",
    })
    choice = AttributeChoice.objects.get(definition=definition, code="vip")
    client.post(f"/customers/attributes/{definition.pk}/choices/{choice.pk}/", {
        "choice-code": "ignored", "choice-order": 2, **choice_labels, "choice-label_en": "Very important",
    })

    choice.refresh_from_db()
    assert (choice.code, choice.label["en"], choice.order, choice.active) == ("vip", "Very important", 2, False)
    assert AuditEntry.objects.filter(action__startswith="abonent.customers.attribute_choice.").count() == 2


def test_the_list_shows_labels_in_the_users_language(client_as):
    AttributeDefinitionFactory(code="contact-time", label={"en": "Contact time", "pl": "Czas kontaktu"})

    page = client_as(Role.ADMINISTRATOR, language="pl").get("/customers/attributes/").content.decode()

    assert "Czas kontaktu" in page


def test_only_those_who_may_change_settings_declare_attributes(client_as):
    for role in (Role.AGENT, Role.SALES_REP, Role.MANAGER, Role.CUSTOMER):
        client = client_as(role)
        assert client.get("/customers/attributes/").status_code == 403
        assert client.post("/customers/attributes/new/", {"code": "x"}).status_code == 403
    assert not AttributeDefinition.objects.exists()
