import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from abonent.core.roles import Role
from abonent.customers.attribute_selectors import attribute_history, attribute_values
from abonent.customers.attribute_services import attribute_set
from abonent.customers.models import AttributeAppliesTo, AttributeType, PartyKind
from abonent.customers.tests.attributes.factories import AttributeChoiceFactory, AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
JAN, MAR = dt.date(2026, 1, 1), dt.date(2026, 3, 1)


@pytest.fixture
def agent(make_user):
    return make_user(Role.AGENT)


def shown(party, on, language="en") -> dict[str, str]:
    return {a.definition.code: a.text for a in attribute_values(party=party, on=on, language=language)}


def test_it_shows_the_values_in_force_on_the_day_asked(agent):
    # given a segment that changed on 1 March
    segment = AttributeDefinitionFactory(code="segment")
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)
    attribute_set(party=party, definition=segment, value="business", active_from=MAR, by=agent, now=NOW)

    # then each day shows the value of its period; the last day of a period is still in it
    assert shown(party, dt.date(2025, 12, 31)) == {"segment": ""}
    assert shown(party, JAN) == {"segment": "retail"}
    assert shown(party, dt.date(2026, 2, 28)) == {"segment": "retail"}
    assert shown(party, MAR) == {"segment": "business"}
    assert shown(party, dt.date(2030, 1, 1)) == {"segment": "business"}


def test_labels_follow_the_language_then_english_then_the_code(db):
    AttributeDefinitionFactory(code="contact-time", label={"en": "Contact time", "cs": "Čas kontaktu"}, order=1)
    AttributeDefinitionFactory(code="churn-risk", label={}, order=2)
    party = PartyFactory()

    labels = {lang: [a.label for a in attribute_values(party=party, on=JAN, language=lang)]
              for lang in ("cs", "pl")}

    assert labels == {"cs": ["Čas kontaktu", "churn-risk"], "pl": ["Contact time", "churn-risk"]}


def test_it_uses_the_active_language_when_none_is_given(db):
    AttributeDefinitionFactory(code="contact-time", label={"en": "Contact time", "ro": "Ora de contact"})

    with translation.override("ro"):
        labels = [a.label for a in attribute_values(party=PartyFactory(), on=JAN)]

    assert labels == ["Ora de contact"]


def test_choice_labels_and_multilingual_texts_fall_back_the_same_way(agent):
    gold = AttributeChoiceFactory(code="gold", label={"en": "Gold", "pl": "Złoty"})
    greeting = AttributeDefinitionFactory(code="greeting", multilingual=True)
    party = PartyFactory()
    attribute_set(party=party, definition=gold.definition, value="gold", active_from=JAN, by=agent, now=NOW)
    attribute_set(party=party, definition=greeting, value={"": "Hello", "cs": "Dobrý den"}, active_from=JAN,
                  by=agent, now=NOW)

    in_polish, in_czech = shown(party, JAN, "pl"), shown(party, JAN, "cs")

    assert (in_polish[gold.definition.code], in_polish["greeting"]) == ("Złoty", "Hello")
    assert (in_czech[gold.definition.code], in_czech["greeting"]) == ("Gold", "Dobrý den")


def test_numbers_dates_and_yes_no_are_written_the_users_way(agent):
    limit = AttributeDefinitionFactory(code="limit", type=AttributeType.NUMBER)
    since = AttributeDefinitionFactory(code="since", type=AttributeType.DATE)
    vip = AttributeDefinitionFactory(code="vip", type=AttributeType.BOOLEAN)
    party = PartyFactory()
    for definition, value in ((limit, Decimal("1234.5")), (since, dt.date(2024, 5, 31)), (vip, True)):
        attribute_set(party=party, definition=definition, value=value, active_from=JAN, by=agent, now=NOW)

    assert shown(party, JAN, "en") == {"limit": "1,234.5", "since": "31/05/2024", "vip": "Yes"}
    assert shown(party, JAN, "cs") == {"limit": "1\xa0234,5", "since": "31.05.2024", "vip": "Ano"}


def test_only_attributes_for_the_partys_kind_are_offered(db):
    AttributeDefinitionFactory(code="both")
    AttributeDefinitionFactory(code="people", applies_to=AttributeAppliesTo.PERSON)
    AttributeDefinitionFactory(code="firms", applies_to=AttributeAppliesTo.ORGANISATION)
    AttributeDefinitionFactory(code="retired", active=False)

    person = shown(PartyFactory(kind=PartyKind.PERSON), JAN)
    firm = shown(PartyFactory(kind=PartyKind.ORGANISATION), JAN)

    assert sorted(person) == ["both", "people"]
    assert sorted(firm) == ["both", "firms"]


def test_a_retired_attribute_still_shows_the_value_it_had(agent):
    definition = AttributeDefinitionFactory(code="old-segment")
    party = PartyFactory()
    attribute_set(party=party, definition=definition, value="retail", active_from=JAN, by=agent, now=NOW)
    definition.active = False
    definition.save()

    assert shown(party, MAR) == {"old-segment": "retail"}


def test_a_required_attribute_without_a_value_is_marked_missing(db):
    AttributeDefinitionFactory(code="segment", required=True)

    (segment,) = attribute_values(party=PartyFactory(), on=JAN, language="en")

    assert segment.missing


def test_reading_many_attributes_takes_two_queries(agent, django_assert_num_queries):
    party = PartyFactory()
    for n in range(10):
        definition = AttributeDefinitionFactory(code=f"a{n}", type=AttributeType.CHOICE)
        AttributeChoiceFactory(definition=definition, code="x")
        attribute_set(party=party, definition=definition, value="x", active_from=JAN, by=agent, now=NOW)

    with django_assert_num_queries(2):
        attribute_values(party=party, on=MAR, language="en")


def test_the_history_lists_every_period_newest_first(agent):
    segment = AttributeDefinitionFactory(code="segment", label={"en": "Segment"})
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)
    attribute_set(party=party, definition=segment, value="business", active_from=MAR, by=agent, now=NOW)

    history = attribute_history(party=party, on=dt.date(2026, 2, 10), language="en")

    assert [(p.label, p.text, p.active_from, p.last_day, p.current) for p in history] == [
        ("Segment", "business", MAR, None, False),
        ("Segment", "retail", JAN, dt.date(2026, 2, 28), True),
    ]
