"""A Values filter: grouping by a field with too many values for a menu (a day, a name), set by the tree."""

from abonent.core.grid.declaration import Values
from abonent.core.grid.query import list_page
from abonent.core.grid.views import _controls
from abonent.core.tests.factories import AuditEntryFactory
from abonent.core.tests.grid.lists import ENTRIES, spec, state_of

BY_ACTION = spec(
    filters=[*ENTRIES.filters, Values("action", "Action", label_values=lambda values: {
        v: v.rsplit(".", 1)[-1].upper() for v in values})],
    group_by=["action", "channel"],
)
BY_TARGET_ID = spec(filters=[*ENTRIES.filters, Values("target", "Target", field="target_id")], group_by=["target"])


def test_a_values_filter_groups_by_every_value_with_labels_from_one_call(make_user):
    AuditEntryFactory.create_batch(2, action="x.opened")
    AuditEntryFactory(action="x.closed")

    page = list_page(state_of("group=action", user=make_user(), list_spec=BY_ACTION))

    assert sorted((g.label, g.count) for g in page.groups) == [("CLOSED", 1), ("OPENED", 2)]


def test_a_group_of_a_values_filter_filters_the_list_to_it(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(2, action="x.opened")
    AuditEntryFactory(action="x.closed")
    opened = next(g for g in list_page(state_of("group=action", user=user, list_spec=BY_ACTION)).groups
                  if g.label == "OPENED")

    page = list_page(state_of(opened.query, user=user, list_spec=BY_ACTION))

    assert [r.action for r in page.rows] == ["x.opened", "x.opened"]
    assert opened.query == "action=x.opened&group=action"


def test_a_values_filter_has_no_menu_but_keeps_its_values_when_filtering_again(make_user):
    state = state_of("action=x.opened&group=action", user=make_user(), list_spec=BY_ACTION)

    [control] = [c for c in _controls(state) if c.filter.key == "action"]

    assert control.kind == "hidden"
    assert control.options == [("x.opened", "x.opened", True)]


def test_a_value_the_field_cannot_hold_is_an_error_to_show_not_a_crash(make_user):
    days = spec(filters=[*ENTRIES.filters, Values("day", "Day", field="at")], group_by=["day"])

    state = state_of("day=not-a-day", user=make_user(), list_spec=days)

    assert not state.valid
    assert "day" in state.form.errors


def test_the_chip_of_a_values_filter_shows_the_label(make_user):
    state = state_of("action=x.opened", user=make_user(), list_spec=BY_ACTION)

    assert BY_ACTION.filter("action").describe(state.data, state.choices["action"]) == "OPENED"


def test_without_labels_a_group_is_shown_by_its_value(make_user):
    AuditEntryFactory(target_id="7")

    page = list_page(state_of("group=target", user=make_user(), list_spec=BY_TARGET_ID))

    assert [(g.value, g.label) for g in page.groups] == [("7", "7")]
