import datetime as dt
from decimal import Decimal

import pytest

from abonent.core.grid.query import list_page
from abonent.core.grid.services import list_layout_save
from abonent.core.grid.state import cursor_encode
from abonent.core.models import Channel
from abonent.core.tests.grid.lists import ENTRIES, state_of


@pytest.fixture
def user(make_user):
    return make_user()


def test_filters_are_read_from_the_query_string(user):
    state = state_of("channel=api&channel=import&at_from=2026-03-01&at_to=2026-03-31&id_min=5&q=+party+", user=user)

    assert state.valid
    assert state.data["channel"] == ["api", "import"]
    assert state.data["at_from"] == dt.date(2026, 3, 1)
    assert state.data["at_to"] == dt.date(2026, 3, 31)
    assert state.data["id_min"] == Decimal(5)
    assert state.data["q"] == "party"


@pytest.mark.parametrize(("query", "field"), [
    ("at_from=2026-02-30", "at_from"),
    ("at_from=yesterday", "at_from"),
    ("channel=fax", "channel"),
    ("actor=999999", "actor"),
    ("actor=abc", "actor"),
    ("id_min=ten", "id_min"),
    ("q=" + "x" * 101, "q"),
])
def test_a_value_the_filter_cannot_take_is_an_error_to_show(user, query, field):
    state = state_of(query, user=user)

    assert not state.valid
    assert field in state.form.errors


def test_a_range_that_ends_before_it_starts_is_refused(user):
    dates = state_of("at_from=2026-03-02&at_to=2026-03-01", user=user)
    numbers = state_of("id_min=9&id_max=2", user=user)

    assert dates.form.errors == {"at_to": ["The last day must not come before the first day."]}
    assert numbers.form.errors == {"id_max": ["The maximum must not be smaller than the minimum."]}


def test_an_unknown_sort_falls_back_to_the_usual_order_and_says_so(user):
    state = state_of("sort=-target_label", user=user)

    assert state.sort == "-at"
    assert state.notices == ["The list cannot be sorted by “-target_label”; it is in its usual order."]


def test_a_column_that_is_not_declared_sortable_cannot_be_sorted_by(user):
    assert state_of("sort=channel", user=user).sort == "-at"
    assert state_of("sort=action", user=user).sort == "action"


def test_grouping_takes_at_most_two_declared_fields(user):
    state = state_of("group=actor&group=actor&group=q&group=channel", user=user)
    repeated = state_of("group=actor&group=channel&group=channel&group=actor", user=user)

    assert state.group == ["actor", "channel"]
    assert state.notices == ["The list cannot be grouped by “q”."]
    assert repeated.group == ["actor", "channel"] and repeated.notices == []


def test_columns_come_from_the_address_then_the_users_layout_then_the_declaration(user, make_user):
    list_layout_save(user=user, list_key=ENTRIES.key, columns=["actor", "at"])

    from_url = state_of("cols=target,action,nonsense", user=user)
    from_layout = state_of("", user=user)
    by_default = state_of("", user=make_user())

    assert [c.key for c in from_url.columns] == ["target", "action"]
    assert from_url.notices == ["Some of the columns asked for do not exist; they are left out."]
    assert [c.key for c in from_layout.columns] == ["actor", "at"]
    assert [c.key for c in by_default.columns] == ["at", "action", "channel", "actor"]


def test_an_address_with_no_known_column_shows_the_default_ones(user):
    assert [c.key for c in state_of("cols=nonsense", user=user).columns] == ["at", "action", "channel", "actor"]


@pytest.mark.parametrize("token", ["garbage", "", "W10", cursor_encode("not a date", 1), "eyJ4Ijox"])
def test_a_tampered_page_link_gives_the_first_page(user, token):
    state = state_of(f"after={token}", user=user)

    assert state.cursor is None
    page = list_page(state)
    assert not page.has_previous


def test_the_query_string_of_a_state_reads_back_as_the_same_state(user):
    state = state_of("channel=api&at_from=2026-03-01&sort=action&group=channel&cols=action,at", user=user)

    again = state_of(state.query(), user=user)

    assert again.data == state.data
    assert (again.sort, again.group, [c.key for c in again.columns]) == ("action", ["channel"], ["action", "at"])


def test_the_default_sort_is_left_out_of_links(user):
    assert state_of("sort=-at&channel=api", user=user).query() == "channel=api"


def test_a_filter_value_that_needs_fixing_is_kept_in_links(user):
    state = state_of("at_from=2026-02-30&channel=" + Channel.API, user=user)

    assert not state.valid
    assert "at_from=2026-02-30" in state.query()
