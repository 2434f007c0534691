import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.core.grid.query import list_page
from abonent.core.models import AuditEntry
from abonent.core.tests.factories import AuditEntryFactory
from abonent.core.tests.grid.lists import state_of

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def entries(db):
    """23 entries, several sharing a moment, so that paging must break ties by id."""
    return [AuditEntryFactory(at=START + dt.timedelta(minutes=n // 3), action=f"a.{n % 4}") for n in range(23)]


def walk(query: str, user) -> list[list[int]]:
    """Follow the "next" links from the first page to the last; return the ids of each page."""
    pages = []
    state = state_of(query, user=user)
    while True:
        page = list_page(state)
        pages.append([row.pk for row in page.rows])
        if not page.has_next:
            return pages
        state = state_of(page.next_query, user=user)


def walk_back(query: str, user) -> list[list[int]]:
    """Go to the last page, then follow the "previous" links back to the first."""
    pages = walk(query, user)
    state = state_of(query, user=user)
    state = state_of(list_page(state_of(query, user=user)).next_query, user=user)
    while list_page(state).has_next:
        state = state_of(list_page(state).next_query, user=user)
    back = [[row.pk for row in list_page(state).rows]]
    while (page := list_page(state)).has_previous:
        state = state_of(page.previous_query, user=user)
        back.append([row.pk for row in list_page(state).rows])
    assert back[::-1] == pages
    return back


@pytest.mark.parametrize(("query", "order"), [
    ("", ("-at", "-pk")),
    ("sort=at", ("at", "pk")),
    ("sort=action", ("action", "pk")),
    ("sort=-action", ("-action", "-pk")),
])
def test_next_links_walk_every_row_once_in_the_lists_order(entries, make_user, query, order):
    pages = walk(query, make_user())

    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert sum(pages, []) == list(AuditEntry.objects.order_by(*order).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["", "sort=action", "sort=-action"])
def test_previous_links_walk_back_through_the_same_pages(entries, make_user, query):
    walk_back(query, make_user())


def test_the_first_page_reached_backwards_has_no_previous_link(entries, make_user):
    user = make_user()
    second = state_of(list_page(state_of("", user=user)).next_query, user=user)

    back = list_page(state_of(list_page(second).previous_query, user=user))

    assert not back.has_previous and back.has_next
    assert len(back.rows) == 5


def test_paging_filters_and_pages_together(entries, make_user):
    pages = walk("q=a.1", make_user())

    assert sum(pages, []) == list(
        AuditEntry.objects.filter(action="a.1").order_by("-at", "-pk").values_list("pk", flat=True)
    )


def test_a_deep_page_is_found_by_its_boundary_row_not_by_skipping_rows(entries, make_user):
    user = make_user()
    state = state_of("", user=user)
    for _ in range(3):
        state = state_of(list_page(state).next_query, user=user)

    with CaptureQueriesContext(connection) as queries:
        list_page(state)

    rows_query = next(q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"])
    assert "OFFSET" not in rows_query.upper()
    assert "LIMIT 6" in rows_query.upper()


def test_a_link_past_the_last_row_shows_an_empty_page(entries, make_user):
    user = make_user()
    last = AuditEntry.objects.order_by("at", "pk").first()
    from abonent.core.grid.state import cursor_encode

    page = list_page(state_of(f"after={cursor_encode(last.at, last.pk)}", user=user))

    assert page.rows == [] and not page.has_next
