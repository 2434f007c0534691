"""The banking lists stay fast: indexes under every sort and filter, queries that do not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abonent.banking.lists import BANK_LINES, MATCHING, STATEMENTS
from abonent.banking.models import MatchState
from abonent.banking.tests.factories import BankLineFactory
from abonent.core.grid.declaration import Search
from abonent.core.roles import Role


def _indexed_first(model, field_name: str) -> list[tuple[str, ...]]:
    field = model._meta.get_field(field_name)
    found = [(field_name,)] if field.db_index or field.unique or field.is_relation else []
    for index in model._meta.indexes:
        fields = tuple(f.lstrip("-") for f in index.fields)
        if fields and fields[0] == field_name:
            found.append(fields)
    return found


@pytest.mark.parametrize("spec", [BANK_LINES, MATCHING, STATEMENTS], ids=lambda spec: spec.key)
def test_every_sort_and_filter_of_the_list_has_an_index(spec):
    missing = set()
    for column in spec.columns:
        if column.sortable and not any(f[:2] == (column.attname, "id")
                                       for f in _indexed_first(spec.model, column.attname)):
            missing.add(column.attname)
    for declared in spec.filters:
        if not isinstance(declared, Search) and not _indexed_first(spec.model, declared.model_field.name):
            missing.add(declared.model_field.name)

    assert missing == set()


@pytest.mark.parametrize("url", ["/banking/", "/banking/matching/?group=state", "/banking/?group=account&cols="
                                 "booked,amount,currency,counterparty,state,party,account"])
def test_the_number_of_queries_does_not_grow_with_the_lines_shown(client_as, url, django_assert_max_num_queries):
    client = client_as(Role.ADMINISTRATOR)
    BankLineFactory.create_batch(60, state=MatchState.SUGGESTED)  # more than a page: counted
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    BankLineFactory.create_batch(60, state=MatchState.SUGGESTED)

    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
