import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abonent.core.roles import Role
from abonent.customers.attribute_selectors import attribute_values
from abonent.customers.attribute_services import attribute_clear, attribute_set
from abonent.customers.models import AttributeValue
from abonent.customers.tests.attributes.factories import AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory

START = dt.date(2026, 1, 1)
DAYS = 40
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

changes = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(min_value=0, max_value=DAYS - 1)),
    min_size=1, max_size=12,
)


def value_on(party, definition, day: dt.date):
    shown = next(a for a in attribute_values(party=party, on=day, language="en") if a.definition == definition)
    return shown.value.raw() if shown.value else None


def every_day(party, definition) -> list:
    """The value on each day of the range, read from the stored periods in one query."""
    rows = list(AttributeValue.objects.filter(party=party, definition=definition))
    days = [START + dt.timedelta(days=d) for d in range(DAYS)]
    return [
        next((r.text for r in rows if r.active_from <= day and (r.active_to is None or day < r.active_to)), None)
        for day in days
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=changes)
def test_any_sequence_of_changes_leaves_periods_that_never_overlap(make_user, changes):
    # given
    agent = make_user(Role.AGENT)
    definition = AttributeDefinitionFactory()
    party = PartyFactory()

    for value, offset in changes:
        day = START + dt.timedelta(days=offset)
        before = every_day(party, definition)[:offset]

        # when
        if value is None:
            attribute_clear(party=party, definition=definition, active_from=day, by=agent, now=NOW)
        else:
            attribute_set(party=party, definition=definition, value=value, active_from=day, by=agent, now=NOW)

        # then the day has the new value, and the days before it are untouched
        assert value_on(party, definition, day) == value
        assert every_day(party, definition)[:offset] == before
        rows = list(AttributeValue.objects.filter(party=party, definition=definition).order_by("active_from"))
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.active_to is not None
            assert earlier.active_to <= later.active_from
        assert all(r.active_to is None or r.active_to > r.active_from for r in rows)


def test_the_database_refuses_a_second_open_ended_period(db):
    definition = AttributeDefinitionFactory()
    party = PartyFactory()
    AttributeValue.objects.create(party=party, definition=definition, text="a", active_from=START)

    with pytest.raises(IntegrityError), transaction.atomic():
        AttributeValue.objects.create(party=party, definition=definition, text="b", active_from=dt.date(2026, 2, 1))


def test_the_database_refuses_an_empty_period(db):
    definition = AttributeDefinitionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AttributeValue.objects.create(party=PartyFactory(), definition=definition, text="a", active_from=START,
                                      active_to=START)
