import datetime as dt
from decimal import Decimal

import pytest

from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Role
from abonent.customers.attribute_services import AttributeRefused, attribute_clear, attribute_set
from abonent.customers.models import AttributeAppliesTo, AttributeType, AttributeValue, PartyKind
from abonent.customers.tests.attributes.factories import AttributeChoiceFactory, AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))


def periods(party, definition) -> list[tuple]:
    """(value, from, until) of every period, in time order."""
    return [
        (v.raw(), v.active_from, v.active_to)
        for v in AttributeValue.objects.filter(party=party, definition=definition).order_by("active_from")
    ]


@pytest.fixture
def agent(make_user):
    return make_user(Role.AGENT)


@pytest.fixture
def segment(db):
    return AttributeDefinitionFactory(code="segment", type=AttributeType.TEXT)


def test_a_new_value_closes_the_open_period_the_day_it_starts(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)

    attribute_set(party=party, definition=segment, value="business", active_from=MAR, by=agent, now=NOW)

    assert periods(party, segment) == [("retail", JAN, MAR), ("business", MAR, None)]


def test_a_back_dated_value_fits_between_the_periods_without_overlapping(agent, segment):
    # given retail from January and business planned from April
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)
    attribute_set(party=party, definition=segment, value="business", active_from=APR, by=agent, now=NOW)

    # when VIP is set from February
    attribute_set(party=party, definition=segment, value="vip", active_from=FEB, by=agent, now=NOW)

    # then VIP lasts until the planned change, and no two periods overlap
    assert periods(party, segment) == [("retail", JAN, FEB), ("vip", FEB, APR), ("business", APR, None)]


def test_a_value_before_the_first_one_ends_where_the_first_begins(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=MAR, by=agent, now=NOW)

    attribute_set(party=party, definition=segment, value="trial", active_from=JAN, by=agent, now=NOW)

    assert periods(party, segment) == [("trial", JAN, MAR), ("retail", MAR, None)]


def test_a_value_set_again_from_the_same_day_corrects_that_period(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retial", active_from=MAR, by=agent, now=NOW)

    attribute_set(party=party, definition=segment, value="retail", active_from=MAR, by=agent, now=NOW)

    assert periods(party, segment) == [("retail", MAR, None)]


def test_setting_the_value_already_in_force_changes_nothing_and_audits_nothing(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)

    attribute_set(party=party, definition=segment, value="retail", active_from=MAR, by=agent, now=NOW)

    assert periods(party, segment) == [("retail", JAN, None)]
    assert AuditEntry.objects.filter(action="abonent.customers.attribute.set").count() == 1


def test_every_change_is_audited_with_old_and_new_value_under_the_customer(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)

    row = attribute_set(party=party, definition=segment, value="business", active_from=MAR, by=agent,
                        channel=Channel.API, now=NOW)

    entry = AuditEntry.objects.filter(action="abonent.customers.attribute.set").latest("id")
    assert (entry.actor, entry.channel, entry.at) == (agent, Channel.API, NOW)
    assert entry.changes == {"segment": ["retail", "business"]}
    assert (entry.target_id, entry.subject_id) == (str(row.pk), str(party.pk))
    assert entry.subject_type.model == "party"
    assert "2026-03-01" in entry.note


@pytest.mark.parametrize(("kind", "typed", "stored"), [
    (AttributeType.NUMBER, "1 250,5", Decimal("1250.5")),
    (AttributeType.NUMBER, "-0.25", Decimal("-0.25")),
    (AttributeType.NUMBER, Decimal("3"), Decimal("3")),
    (AttributeType.DATE, "2026-05-31", dt.date(2026, 5, 31)),
    (AttributeType.BOOLEAN, False, False),
])
def test_values_are_stored_in_the_column_of_their_type(agent, kind, typed, stored):
    definition = AttributeDefinitionFactory(type=kind)

    row = attribute_set(party=PartyFactory(), definition=definition, value=typed, active_from=JAN, by=agent, now=NOW)

    row.refresh_from_db()
    assert row.raw() == stored


@pytest.mark.parametrize(("kind", "typed"), [
    (AttributeType.NUMBER, "twelve"),
    (AttributeType.NUMBER, True),
    (AttributeType.NUMBER, "1e20"),
    (AttributeType.DATE, "31.5.2026"),
    (AttributeType.DATE, 20260531),
    (AttributeType.BOOLEAN, "yes"),
    (AttributeType.TEXT, "   "),
    (AttributeType.TEXT, 12),
])
def test_a_value_of_the_wrong_type_is_refused_and_nothing_is_saved(agent, kind, typed):
    definition = AttributeDefinitionFactory(type=kind)

    with pytest.raises(AttributeRefused):
        attribute_set(party=PartyFactory(), definition=definition, value=typed, active_from=JAN, by=agent, now=NOW)

    assert not AttributeValue.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_choice_must_be_one_of_the_active_choices(agent):
    gold = AttributeChoiceFactory(code="gold")
    definition = gold.definition
    AttributeChoiceFactory(definition=definition, code="retired", active=False)
    party = PartyFactory()

    row = attribute_set(party=party, definition=definition, value="gold", active_from=JAN, by=agent, now=NOW)

    assert row.choice == gold
    for refused in ("retired", "platinum"):
        with pytest.raises(AttributeRefused):
            attribute_set(party=party, definition=definition, value=refused, active_from=MAR, by=agent, now=NOW)


def test_a_multilingual_text_keeps_a_value_per_language(agent):
    definition = AttributeDefinitionFactory(code="greeting", multilingual=True)

    row = attribute_set(party=PartyFactory(), definition=definition, value={"": "Hello", "cs": "Dobrý den", "pl": ""},
                        active_from=JAN, by=agent, now=NOW)

    row.refresh_from_db()
    assert (row.text, row.text_translations) == ("Hello", {"cs": "Dobrý den"})


def test_a_single_language_text_refuses_translations(agent, segment):
    with pytest.raises(AttributeRefused):
        attribute_set(party=PartyFactory(), definition=segment, value={"": "retail", "cs": "maloobchod"},
                      active_from=JAN, by=agent, now=NOW)


def test_an_attribute_for_organisations_is_refused_for_a_person(agent):
    definition = AttributeDefinitionFactory(applies_to=AttributeAppliesTo.ORGANISATION)

    with pytest.raises(AttributeRefused) as refused:
        attribute_set(party=PartyFactory(kind=PartyKind.PERSON), definition=definition, value="x",
                      active_from=JAN, by=agent, now=NOW)

    assert "does not apply" in str(refused.value)


def test_an_inactive_attribute_takes_no_new_values(agent):
    definition = AttributeDefinitionFactory(active=False)

    with pytest.raises(AttributeRefused):
        attribute_set(party=PartyFactory(), definition=definition, value="x", active_from=JAN, by=agent, now=NOW)


def test_clearing_ends_the_value_the_day_before_and_is_audited(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)

    attribute_clear(party=party, definition=segment, active_from=MAR, by=agent, now=NOW)

    assert periods(party, segment) == [("retail", JAN, MAR)]
    entry = AuditEntry.objects.get(action="abonent.customers.attribute.cleared")
    assert entry.changes == {"segment": ["retail", None]}
    assert entry.subject_id == str(party.pk)


def test_clearing_from_the_first_day_of_a_period_removes_it_and_keeps_the_planned_one(agent, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)
    attribute_set(party=party, definition=segment, value="business", active_from=MAR, by=agent, now=NOW)

    attribute_clear(party=party, definition=segment, active_from=JAN, by=agent, now=NOW)

    assert periods(party, segment) == [("business", MAR, None)]
    entry = AuditEntry.objects.get(action="abonent.customers.attribute.cleared")
    assert entry.target_id  # names the removed period


def test_a_required_attribute_cannot_be_cleared(agent):
    definition = AttributeDefinitionFactory(required=True)
    party = PartyFactory()
    attribute_set(party=party, definition=definition, value="x", active_from=JAN, by=agent, now=NOW)

    with pytest.raises(AttributeRefused):
        attribute_clear(party=party, definition=definition, active_from=MAR, by=agent, now=NOW)

    assert periods(party, definition) == [("x", JAN, None)]


def test_untracked_attributes_change_without_an_audit_entry(agent, segment, monkeypatch):
    monkeypatch.setattr("abonent.customers.attribute_services._tracked", lambda code: code != "segment")

    attribute_set(party=PartyFactory(), definition=segment, value="retail", active_from=JAN, by=agent, now=NOW)

    assert AttributeValue.objects.count() == 1
    assert not AuditEntry.objects.exists()
