"""The customers list stays fast on big tables: a fixed number of queries, and indexes under its filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.core.grid.declaration import Search
from abonent.core.models import SavedView
from abonent.core.roles import Role
from abonent.customers.lists import CUSTOMERS
from abonent.customers.models import Party
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import names_on

# Filters and sorts still waiting for their index on Party (asked of the customers models' owner).
# The test below fails once an index arrives, so that the entry is removed here.

EVERYTHING = "/customers/?group=stage&group=rep&cols=name,kind,country,stage,phone,email,tax_id,sales_rep,created"


def queries_for(client, url: str, make_parties) -> int:
    make_parties()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [
    EVERYTHING,
    "/customers/?q=a&stage=customer&country=CZ&created_from=2020-01-01",
    "/customers/?sort=-created&count=exact",
])
def test_the_number_of_queries_does_not_grow_with_the_rows_shown(client_as, make_user, url,
                                                                 django_assert_max_num_queries):
    # given a list of a few customers, each with a different rep, and a saved view and column layout
    client = client_as(Role.MANAGER)
    client.post("/customers/views/", {"name": "Mine", "query": "stage=lead", "shared": "1"})
    client.post("/customers/columns/", {"order": ["name", "sales_rep"], "col": ["name", "sales_rep"]})

    def some(n):
        return lambda: [PartyFactory(name=f"Customer {i}", sales_rep=make_user(Role.SALES_REP)) for i in range(n)]

    few = queries_for(client, url, some(3))
    # when the page shows fifty customers and their fifty reps
    with django_assert_max_num_queries(few):
        response = client.get(url)
    PartyFactory.create_batch(60)
    with django_assert_max_num_queries(few):
        response = client.get(url)

    # then it takes no more queries than for three
    assert response.status_code == 200
    assert few <= 14


def test_opening_a_saved_view_takes_no_more_queries(client_as, make_user, django_assert_max_num_queries):
    client = client_as(Role.AGENT)
    for _ in range(60):
        PartyFactory(sales_rep=make_user(Role.SALES_REP))
    client.post("/customers/views/", {"name": "By rep", "query": "group=rep"})
    view = SavedView.objects.get()

    with django_assert_max_num_queries(14):
        response = client.get(f"/customers/?view={view.pk}")

    assert len(names_on(response)) == 50


def _indexed_first(model, field_name: str) -> list[tuple[str, ...]]:
    """The column lists of the indexes on `model` that start with the field."""
    field = model._meta.get_field(field_name)
    found = []
    if field.db_index or field.unique or field.is_relation:
        found.append((field_name,))
    for index in model._meta.indexes:
        fields = tuple(f.lstrip("-") for f in index.fields)
        if fields and fields[0] == field_name:
            found.append(fields)
    return found


def test_every_sort_and_filter_of_the_list_has_an_index():
    missing = set()
    for column in CUSTOMERS.columns:
        if column.sortable and not any(f[:2] == (column.attname, "id") for f in _indexed_first(Party,
                                                                                              column.attname)):
            missing.add(column.attname)
    for declared in CUSTOMERS.filters:
        if not isinstance(declared, Search) and not _indexed_first(Party, declared.model_field.name):
            missing.add(declared.model_field.name)

    assert missing == set()


def test_a_page_reads_only_the_fields_its_columns_show(client_as, make_user):
    PartyFactory(sales_rep=make_user(Role.SALES_REP))
    client = client_as(Role.AGENT)

    with CaptureQueriesContext(connection) as captured:
        client.get("/customers/?cols=name,sales_rep")

    [rows] = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and "customers_party" in q["sql"]]
    assert '"customers_party"."name"' in rows and '"accounts_user"."last_name"' in rows
    assert '"customers_party"."iban"' not in rows
    assert '"accounts_user"."password"' not in rows
