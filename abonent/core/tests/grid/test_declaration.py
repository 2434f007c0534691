import pytest

from abonent.core.grid.declaration import Choice, Column
from abonent.core.tests.grid.lists import ENTRIES, spec


def test_a_nullable_column_cannot_be_sortable():
    # Keyset paging compares (value, id); rows without a value would drop out of every page.
    with pytest.raises(AssertionError, match="nullable"):
        spec(columns=[*ENTRIES.columns, Column("actor_id", "Who", sortable=True)])


def test_grouping_needs_a_choice_filter():
    with pytest.raises(AssertionError, match="choice filter"):
        spec(group_by=["q"])


def test_grouping_by_a_nullable_field_needs_a_choice_for_no_value():
    actor = Choice("actor", "Who", choices=[])

    with pytest.raises(AssertionError):
        spec(filters=[actor], group_by=["actor"])


def test_the_default_sort_must_be_sortable():
    with pytest.raises(AssertionError, match="default sort"):
        spec(default_sort="channel")


def test_two_filters_cannot_share_a_parameter():
    with pytest.raises(AssertionError, match="parameter"):
        spec(filters=[*ENTRIES.filters, Choice("channel", "Again", choices=[])])


def test_columns_know_their_model_fields():
    assert ENTRIES.column("target").model_field.name == "target_label"
    assert ENTRIES.default_columns == ["at", "action", "channel", "actor"]
