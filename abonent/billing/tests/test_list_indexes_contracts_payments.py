"""The contracts and payments lists page by keyset and filter on indexed columns only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.billing.lists import PAYMENTS
from abonent.billing.models import Payment
from abonent.billing.tests.factories import paid
from abonent.contracts.lists import CONTRACTS
from abonent.contracts.models import Contract
from abonent.contracts.tests.factories import active_contract
from abonent.core.grid.declaration import Search
from abonent.core.roles import Role


def indexed_first(model, field_name: str) -> list[tuple[str, ...]]:
    field = model._meta.get_field(field_name)
    found = [(field_name,)] if field.db_index or field.unique or field.is_relation else []
    for index in model._meta.indexes:
        fields = tuple(f.lstrip("-") for f in index.fields)
        if fields and fields[0] == field_name:
            found.append(fields)
    return found


@pytest.mark.parametrize(("spec", "model"), [(CONTRACTS, Contract), (PAYMENTS, Payment)], ids=["contracts",
                                                                                             "payments"])
def test_every_sort_and_filter_has_an_index(spec, model):
    missing = set()
    for column in spec.columns:
        if column.sortable and not any(f[:2] == (column.attname, "id") for f in indexed_first(model, column.attname)):
            missing.add(column.attname)
    for declared in spec.filters:
        if not isinstance(declared, Search) and not indexed_first(model, declared.model_field.name):
            missing.add(declared.model_field.name)

    assert missing == set()


def queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "group"), [("/contracts/", "status"), ("/billing/payments/", "source")])
def test_the_number_of_queries_does_not_grow_with_the_rows(client_as, url, group):
    client = client_as(Role.MANAGER)
    for _ in range(2):
        paid(active_contract().party, "310.00")
    few = queries(client, url, group=group)

    for _ in range(4):
        paid(active_contract().party, "310.00")

    assert queries(client, url, group=group) == few


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "columns"), [("/contracts/", "number,status"),
                                              ("/billing/payments/", "amount,source")])
def test_the_list_works_with_the_customer_column_hidden(client_as, url, columns):
    paid(active_contract().party, "310.00")

    response = client_as(Role.MANAGER).get(url, {"cols": columns})

    assert response.status_code == 200
    assert "310.00" in response.content.decode() or "C2026-000001" in response.content.decode()
