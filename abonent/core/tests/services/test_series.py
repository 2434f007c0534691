import datetime as dt

import pytest
from django.db import transaction

from abonent.core.models import AuditEntry, DocumentSeries
from abonent.core.roles import Role
from abonent.core.services import SeriesInactive, series_for, series_next_number, series_save
from abonent.core.tests.factories import DocumentSeriesFactory

MARCH_2026 = dt.date(2026, 3, 15)


def test_it_numbers_documents_with_the_prefix_year_and_padding(db):
    series = DocumentSeriesFactory(prefix="SR{yyyy}-", padding=6)

    numbers = [series_next_number(series=series, on=MARCH_2026) for _ in range(3)]

    assert numbers == ["SR2026-000001", "SR2026-000002", "SR2026-000003"]


def test_it_writes_a_two_digit_year_for_yy(db):
    series = DocumentSeriesFactory(prefix="F{yy}/", padding=4)

    assert series_next_number(series=series, on=dt.date(2007, 1, 1)) == "F07/0001"


def test_it_numbers_without_a_prefix(db):
    series = DocumentSeriesFactory(prefix="", padding=3)

    assert series_next_number(series=series, on=MARCH_2026) == "001"


def test_a_yearly_series_starts_again_at_one_in_a_new_year(db):
    series = DocumentSeriesFactory(prefix="{yyyy}/", padding=3, reset_yearly=True)
    series_next_number(series=series, on=dt.date(2026, 1, 5))
    series_next_number(series=series, on=dt.date(2026, 12, 31))

    number = series_next_number(series=series, on=dt.date(2027, 1, 1))

    assert number == "2027/001"


def test_a_yearly_series_continues_its_own_year_after_numbering_another(db):
    series = DocumentSeriesFactory(prefix="{yyyy}/", padding=3, reset_yearly=True)
    series_next_number(series=series, on=dt.date(2026, 12, 30))
    series_next_number(series=series, on=dt.date(2027, 1, 2))

    # a late document dated in the old year
    assert series_next_number(series=series, on=dt.date(2026, 12, 31)) == "2026/002"


def test_a_series_that_does_not_restart_continues_into_the_new_year(db):
    series = DocumentSeriesFactory(prefix="{yyyy}/", padding=3, reset_yearly=False)
    series_next_number(series=series, on=dt.date(2026, 12, 30))
    series_next_number(series=series, on=dt.date(2026, 12, 31))

    number = series_next_number(series=series, on=dt.date(2027, 1, 1))

    assert number == "2027/003"


def test_it_refuses_to_number_from_an_inactive_series(db):
    series = DocumentSeriesFactory(name="Old invoices", active=False)

    with pytest.raises(SeriesInactive) as refused:
        series_next_number(series=series, on=MARCH_2026)

    assert str(refused.value) == "The document series “Old invoices” is inactive."
    assert not series.counters.exists()


def test_a_number_taken_in_a_transaction_that_rolls_back_is_given_back(db):
    # given a document whose validation fails after it took a number
    series = DocumentSeriesFactory(prefix="INV", padding=4)
    series_next_number(series=series, on=MARCH_2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert series_next_number(series=series, on=MARCH_2026) == "INV0002"
        raise RuntimeError("the document failed validation")

    # when the next document is validated
    number = series_next_number(series=series, on=MARCH_2026)

    # then it gets the number given back, leaving no gap
    assert number == "INV0002"


def test_series_for_returns_the_active_default_series_of_a_document_type(db):
    DocumentSeriesFactory(document_type="invoice", code="inv-old", is_default=False)
    default = DocumentSeriesFactory(document_type="invoice", code="inv", is_default=True)
    DocumentSeriesFactory(document_type="credit_note", is_default=True)

    assert series_for(document_type="invoice") == default


def test_series_for_explains_when_no_default_series_is_set_up(db):
    DocumentSeriesFactory(document_type="invoice", is_default=False)

    with pytest.raises(SeriesInactive) as refused:
        series_for(document_type="invoice")

    assert str(refused.value) == "No active default document series is set up for “invoice”."


def test_series_for_refuses_an_inactive_default_series(db):
    DocumentSeriesFactory(document_type="invoice", is_default=True, active=False)

    with pytest.raises(SeriesInactive):
        series_for(document_type="invoice")


def test_series_save_creates_a_series_and_audits_it(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    series = DocumentSeries(code="sr", document_type="service_request", name="Service requests", prefix="SR")

    series_save(by=admin, series=series, changed=["code", "name", "prefix"])

    entry = AuditEntry.objects.get(action="abonent.core.series.created")
    assert DocumentSeries.objects.get(code="sr").name == "Service requests"
    assert entry.actor == admin
    assert entry.target_id == str(series.pk)
    assert entry.changes == {"code": [None, "sr"], "name": [None, "Service requests"], "prefix": [None, "SR"]}


def test_series_save_audits_the_old_and_new_values_of_a_change(make_user):
    # given
    admin = make_user(Role.ADMINISTRATOR)
    series = DocumentSeriesFactory(name="Invoices", prefix="INV", padding=6)
    series_next_number(series=series, on=MARCH_2026)
    series = DocumentSeries.objects.get(pk=series.pk)

    # when
    series.prefix, series.padding = "F{yyyy}-", 8
    series_save(by=admin, series=series, changed=["prefix", "padding"])

    # then
    entry = AuditEntry.objects.get(action="abonent.core.series.changed")
    assert entry.changes == {"prefix": ["INV", "F{yyyy}-"], "padding": [6, 8]}
    assert series_next_number(series=series, on=MARCH_2026) == "F2026-00000002"
