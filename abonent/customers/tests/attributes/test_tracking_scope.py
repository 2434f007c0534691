"""An administrator's tracking scope decides which attribute changes reach the customer's history."""

import datetime as dt

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.attribute_services import attribute_set
from abonent.customers.models import AttributeType, TrackingScope
from abonent.customers.tests.attributes.factories import AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tracking import trackables


def test_an_untracked_attribute_changes_without_a_history_entry(make_user):
    agent = make_user(Role.AGENT)
    party = PartyFactory()
    tracked = AttributeDefinitionFactory(code="segment", type=AttributeType.TEXT)
    untracked = AttributeDefinitionFactory(code="internal-score", type=AttributeType.NUMBER)
    TrackingScope.objects.create(entity="attribute", field="internal-score", tracked=False)

    attribute_set(party=party, definition=tracked, value="SME", active_from=dt.date(2026, 1, 1), by=agent)
    attribute_set(party=party, definition=untracked, value=7, active_from=dt.date(2026, 1, 1), by=agent)

    changed = [list(e.changes) for e in AuditEntry.objects.filter(subject_id=str(party.pk))
               if e.action.startswith("abonent.customers.attribute")]
    assert ["segment"] in changed
    assert not any("internal-score" in fields for fields in changed)


def test_the_tracking_page_offers_attributes_and_structures_by_code(db):
    AttributeDefinitionFactory(code="segment")

    offered = {t.entity: [code for code, _label in t.fields()] for t in trackables()}

    assert "segment" in offered["attribute"]
    assert "placement" in offered


def test_a_number_is_recorded_in_the_history_without_trailing_zeros(make_user):
    party = PartyFactory(kind="organisation", name="Firma")
    employees = AttributeDefinitionFactory(code="employees", type=AttributeType.NUMBER)

    attribute_set(party=party, definition=employees, value=628, active_from=dt.date(2026, 1, 1),
                  by=make_user(Role.AGENT))

    entry = AuditEntry.objects.get(action="abonent.customers.attribute.set")
    assert entry.changes == {"employees": [None, "628"]}
