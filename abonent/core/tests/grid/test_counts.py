import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.core.grid.query import list_page
from abonent.core.models import Channel
from abonent.core.tests.factories import AuditEntryFactory
from abonent.core.tests.grid.lists import state_of


def counting_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_list_that_fits_on_one_page_is_counted_without_a_count_query(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(4)

    with CaptureQueriesContext(connection) as captured:
        page = list_page(state_of("", user=user))

    assert (page.count, page.count_more, page.count_exact) == (4, False, True)
    assert counting_queries(captured) == []


def test_a_longer_list_is_counted_exactly_below_the_cap(make_user):
    AuditEntryFactory.create_batch(11)

    page = list_page(state_of("", user=make_user()))

    assert (page.count, page.count_more, page.count_exact) == (11, False, True)


def test_counting_stops_at_the_cap_and_the_page_says_there_are_more(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(15)

    with CaptureQueriesContext(connection) as captured:
        page = list_page(state_of("", user=user))

    assert (page.count, page.count_more, page.count_exact) == (12, True, False)
    [count] = counting_queries(captured)
    # The count reads at most cap + 1 rows, however big the table.
    assert "LIMIT 13" in count.upper()


def test_the_exact_count_is_given_when_asked_for(make_user):
    AuditEntryFactory.create_batch(15)

    page = list_page(state_of("count=exact", user=make_user()))

    assert (page.count, page.count_more, page.count_exact) == (15, False, True)


def test_the_count_follows_the_filters(make_user):
    AuditEntryFactory.create_batch(14, channel=Channel.API)
    AuditEntryFactory.create_batch(3, channel=Channel.IMPORT)

    page = list_page(state_of("channel=import", user=make_user()))

    assert (page.count, page.count_more) == (3, False)


def test_the_exact_count_link_is_kept_while_paging(make_user):
    user = make_user()
    AuditEntryFactory.create_batch(15)

    second = list_page(state_of(list_page(state_of("count=exact", user=user)).next_query, user=user))

    assert (second.count, second.count_exact) == (15, True)


@pytest.mark.parametrize("query", ["group=channel", "group=channel&group=actor"])
def test_a_grouped_list_is_counted_exactly_by_its_groups(make_user, query):
    user = make_user()
    AuditEntryFactory.create_batch(15)

    with CaptureQueriesContext(connection) as captured:
        page = list_page(state_of(query, user=user))

    assert (page.count, page.count_more, page.count_exact) == (15, False, True)
    assert all("GROUP BY" in sql.upper() for sql in counting_queries(captured))
