import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.core.grid.query import list_page
from abonent.core.models import Channel
from abonent.core.tests.factories import AuditEntryFactory
from abonent.core.tests.grid.lists import spec, state_of


def tree(page) -> list:
    return [(g.label, g.count, [(c.label, c.count) for c in g.children]) for g in page.groups]


def test_groups_count_the_rows_of_each_value_in_the_declared_order(make_user):
    AuditEntryFactory.create_batch(3, channel=Channel.IMPORT)
    AuditEntryFactory.create_batch(2, channel=Channel.UI)

    page = list_page(state_of("group=channel", user=make_user()))

    assert tree(page) == [("User interface", 2, []), ("Import", 3, [])]
    assert page.groups_total == 5


def test_two_levels_nest_the_second_field_under_the_first(make_user):
    user, alice, bob = make_user(), make_user(username="alice"), make_user(username="bob")
    AuditEntryFactory.create_batch(2, channel=Channel.API, actor=bob)
    AuditEntryFactory(channel=Channel.API, actor=alice)
    AuditEntryFactory(channel=Channel.API, actor=None)
    AuditEntryFactory(channel=Channel.UI, actor=alice)

    page = list_page(state_of("group=channel&group=actor", user=user))

    assert tree(page) == [
        ("User interface", 1, [("alice", 1)]),
        ("API", 4, [("alice", 1), ("bob", 2), ("Nobody", 1)]),
    ]


def test_a_group_links_to_the_list_filtered_to_it(make_user):
    user, bob = make_user(), make_user(username="bob")
    AuditEntryFactory.create_batch(2, channel=Channel.API, actor=bob)
    AuditEntryFactory(channel=Channel.API, actor=None)
    AuditEntryFactory(channel=Channel.UI, actor=None)
    page = list_page(state_of("group=channel&group=actor", user=user))
    api = page.groups[1]

    nobody = list_page(state_of(api.children[1].query, user=user))
    whole_api = list_page(state_of(api.query, user=user))

    assert api.children[1].label == "Nobody"
    assert [(r.channel, r.actor) for r in nobody.rows] == [(Channel.API, None)]
    assert whole_api.count == 3



def test_picking_a_group_keeps_the_others_in_the_tree_and_marks_it(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(2, channel=Channel.API)
    AuditEntryFactory(channel=Channel.UI)
    api = list_page(state_of("group=channel", user=user)).groups[1]

    page = list_page(state_of(api.query, user=user))

    assert [(g.label, g.count, g.active) for g in page.groups] == [("User interface", 1, False), ("API", 2, True)]
    assert (page.count, [r.channel for r in page.rows]) == (2, [Channel.API, Channel.API])


def test_groups_count_only_the_filtered_rows(make_user):
    AuditEntryFactory.create_batch(3, channel=Channel.IMPORT, action="import.done")
    AuditEntryFactory.create_batch(2, channel=Channel.UI, action="ui.done")
    AuditEntryFactory.create_batch(2, channel=Channel.UI, action="import.started")

    page = list_page(state_of("group=channel&q=import", user=make_user()))

    assert tree(page) == [("User interface", 2, []), ("Import", 3, [])]


def test_every_picked_group_is_marked(make_user):
    AuditEntryFactory(channel=Channel.API)
    AuditEntryFactory(channel=Channel.UI)
    AuditEntryFactory(channel=Channel.IMPORT)

    page = list_page(state_of("group=channel&channel=api&channel=import", user=make_user()))

    assert [(g.label, g.active) for g in page.groups] == [("User interface", False), ("API", True), ("Import", True)]


# --- over many rows the counts are estimated from a sample ------------------------------------------

# A tiny limit and sample stand for 100,000 and 50,000: over 10 rows the tree is estimated from 20 ids.
SAMPLED = spec(group_exact_limit=10, group_sample=20)


def test_over_the_exact_limit_group_counts_are_estimates_from_a_sample(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(30, channel=Channel.IMPORT)
    AuditEntryFactory.create_batch(10, channel=Channel.UI)

    page = list_page(state_of("group=channel", user=user, list_spec=SAMPLED))

    assert page.groups_estimated
    assert [(g.label, g.estimated) for g in page.groups] == [("User interface", True), ("Import", True)]
    ui, imports = (g.count for g in page.groups)
    assert 5 <= ui <= 15 and 20 <= imports <= 40
    assert page.groups[0].shown.startswith("≈")
    # the list's own count is not taken from the estimates
    assert (page.count, page.count_more) == (12, True)


def test_the_estimate_is_the_same_on_every_request(make_user):
    user = make_user()
    for n in range(40):
        AuditEntryFactory(channel=Channel.IMPORT if n % 3 else Channel.UI)

    first = list_page(state_of("group=channel", user=user, list_spec=SAMPLED))
    again = list_page(state_of("group=channel", user=user, list_spec=SAMPLED))

    assert tree(first) == tree(again)


def test_asking_for_the_exact_count_counts_the_groups_exactly(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(30, channel=Channel.IMPORT)
    AuditEntryFactory.create_batch(10, channel=Channel.UI)

    page = list_page(state_of("group=channel&count=exact", user=user, list_spec=SAMPLED))

    assert not page.groups_estimated
    assert tree(page) == [("User interface", 10, []), ("Import", 30, [])]


def test_a_few_filtered_rows_of_a_big_table_are_counted_exactly(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(36, channel=Channel.IMPORT, action="import.done")
    AuditEntryFactory.create_batch(4, channel=Channel.UI, action="ui.done")

    page = list_page(state_of("group=channel&q=ui.", user=user, list_spec=SAMPLED))

    assert not page.groups_estimated
    assert tree(page) == [("User interface", 4, [])]
    assert (page.groups_total, page.count, page.count_exact) == (4, 4, True)


def test_estimates_are_rounded_to_two_significant_digits():
    from abonent.core.grid.query import about

    assert [about(n) for n in (0.4, 37.2, 99.6, 1234, 569_874, 1_000_400)] == [1, 37, 100, 1200, 570_000, 1_000_000]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_on_postgresql_few_filtered_rows_are_counted_without_a_sample_first(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(36, channel=Channel.IMPORT, action="import.done")
    AuditEntryFactory.create_batch(4, channel=Channel.UI, action="ui.done")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditentry")

    with CaptureQueriesContext(connection) as captured:
        page = list_page(state_of("group=channel&q=ui.", user=user, list_spec=SAMPLED))

    assert tree(page) == [("User interface", 4, [])]
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not any('"id" >=' in sql for sql in counts)  # no sample windows of ids were read
