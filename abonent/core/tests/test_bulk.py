"""core.bulk: many rows at once, on SQLite and PostgreSQL alike, and the writer that writes beside the caller."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from abonent.core import bulk
from abonent.core.models import AuditEntry, ClosedPeriod, DocumentSeries

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
AUDIT = ("at", "actor_id", "actor_label", "action", "channel", "target_id", "target_label", "subject_id",
         "changes", "note")
SERIES = ("code", "document_type", "name", "prefix", "padding", "reset_yearly", "is_default", "active")


def audit_row(n, **changes):
    return (NOW, None, "system", f"abonent.test.{n}", "system", str(n), f"row {n}", "", changes, "")


def mine():
    return DocumentSeries.objects.filter(document_type="test")  # not the series the migrations create


def series_row(code):
    return (code, "test", code.upper(), "", 6, False, False, True)


def test_rows_go_in_with_their_json_and_moments_and_are_changed_by_id():
    bulk.rows_insert(AuditEntry, AUDIT, [audit_row(n, name=[None, f"Nováková {n}"]) for n in range(3)])
    ids = dict(AuditEntry.objects.values_list("target_id", "id"))

    bulk.rows_update(AuditEntry, ("note", "changes"), [(ids["1"], "fixed", {"name": ["a", "b"]})])

    entries = {e.target_id: e for e in AuditEntry.objects.all()}
    assert entries["0"].changes == {"name": [None, "Nováková 0"]} and entries["0"].at == NOW
    assert (entries["1"].note, entries["1"].changes) == ("fixed", {"name": ["a", "b"]})
    assert entries["2"].note == ""


def test_reserved_ids_are_new_and_rows_can_be_written_with_them():
    DocumentSeries.objects.create(code="first", document_type="test", name="First")

    ids = bulk.ids_reserve(DocumentSeries, 3)
    bulk.rows_insert(DocumentSeries, ("id", *SERIES), [(pk, *series_row(f"s{pk}")) for pk in ids])

    assert len(set(ids)) == 3
    assert set(DocumentSeries.objects.filter(id__in=ids).values_list("code", flat=True)) == {f"s{pk}" for pk in ids}


def test_rows_are_found_by_thousands_of_values_at_once():
    bulk.rows_insert(DocumentSeries, SERIES, [series_row(f"code-{n}") for n in range(50)])
    wanted = [f"code-{n}" for n in range(0, 70_000, 7)]  # 10,000 values (SQLite allows 999 parameters), 8 stored
    table = DocumentSeries._meta.db_table

    found = bulk.rows_where(f"SELECT t.code FROM {table} t WHERE t.code {{any}} AND t.active = %s",  # noqa: S608
                            [wanted, True])

    assert sorted(code for (code,) in found) == sorted(c for c in wanted if int(c.split("-")[1]) < 50)


def test_the_writer_runs_what_was_queued_in_order_once_started_and_all_of_it_before_it_is_left():
    with transaction.atomic(), bulk.Writer() as writer:
        writer.insert(DocumentSeries, SERIES, [series_row("a"), series_row("b")])
        queued = mine().count()  # the caller may still read: nothing has run yet
        writer.start()
        writer.check_keys()
        writer.insert(DocumentSeries, SERIES, [series_row("c")])

    assert queued == 0
    assert sorted(mine().values_list("code", flat=True)) == ["a", "b", "c"]


def test_the_writer_updates_rows_after_the_inserts_given_before():
    ids = bulk.ids_reserve(DocumentSeries, 2)
    with transaction.atomic(), bulk.Writer() as writer:
        writer.start()
        writer.insert(DocumentSeries, ("id", *SERIES), [(pk, *series_row(f"s{pk}")) for pk in ids])
        writer.update(DocumentSeries, ("name",), [(ids[0], "Renamed")])

    assert DocumentSeries.objects.get(pk=ids[0]).name == "Renamed"
    assert DocumentSeries.objects.get(pk=ids[1]).name == f"S{ids[1]}"


def test_the_databases_refusal_reaches_the_caller_when_the_writer_is_left():
    DocumentSeries.objects.create(code="taken", document_type="test", name="Taken")

    with pytest.raises(IntegrityError), transaction.atomic(), bulk.Writer() as writer:
        writer.start()
        writer.insert(DocumentSeries, SERIES, [series_row("new"), series_row("taken")])

    assert list(mine().values_list("code", flat=True)) == ["taken"]


def test_an_error_before_the_start_leaves_the_queued_writes_unwritten():
    with pytest.raises(ValueError, match="no payments"), bulk.Writer() as writer:
        writer.insert(DocumentSeries, SERIES, [series_row("queued")])
        raise ValueError("no payments")

    assert not mine().exists()


def test_values_with_quotes_backslashes_commas_and_braces_are_found_as_they_are():
    names = ['Müller "Kommandit", s.r.o.', "C:\\path\\{x}", "a,b", "plain"]
    bulk.rows_insert(DocumentSeries, SERIES, [(f"c{n}", "test", name, "", 6, False, False, True)
                                              for n, name in enumerate(names)])
    table = DocumentSeries._meta.db_table

    found = bulk.rows_where(f"SELECT t.name FROM {table} t WHERE t.name {{any}}", [[*names[:3], "a"]])  # noqa: S608
    by_id = bulk.rows_where(f"SELECT t.code FROM {table} t WHERE t.id {{any}}",  # noqa: S608
                            [list(mine().filter(name="plain").values_list("id", flat=True))])
    nothing = bulk.rows_where(f"SELECT t.code FROM {table} t WHERE t.id {{any}}", [[]])  # noqa: S608

    assert sorted(name for (name,) in found) == sorted(names[:3])
    assert by_id == [("c3",)]
    assert nothing == []


def test_the_writer_stores_values_of_every_kind_as_the_orm_does():
    odd = 'Müller "Kommandit", s.r.o. \\ {x} \u2028 ꙮ'
    with transaction.atomic(), bulk.Writer() as writer:
        writer.start()
        writer.insert(DocumentSeries, SERIES, [(odd[:40], "test", odd, "", 7, True, False, False)])
        writer.insert(ClosedPeriod, ("active_from", "active_to", "domain", "note", "closed_by_id", "closed_at"),
                      [(dt.date(2026, 1, 1), dt.date(2026, 2, 1), "billing", odd, None, NOW)])
        writer.insert(AuditEntry, AUDIT, [audit_row(1, name=[None, odd], amount=["1.50", None])])

    series, period, entry = mine().get(), ClosedPeriod.objects.get(), AuditEntry.objects.get(target_id="1")
    assert (series.name, series.padding, series.reset_yearly, series.active) == (odd, 7, True, False)
    assert (period.active_from, period.active_to, period.note, period.closed_by, period.closed_at) == (
        dt.date(2026, 1, 1), dt.date(2026, 2, 1), odd, None, NOW)
    assert entry.changes == {"name": [None, odd], "amount": ["1.50", None]} and entry.at == NOW

    with transaction.atomic(), bulk.Writer() as writer:
        writer.start()
        writer.update(ClosedPeriod, ("active_to", "note"), [(period.pk, dt.date(2026, 3, 1), "")])
        writer.update(DocumentSeries, ("active", "padding"), [(series.pk, True, 3)])

    period.refresh_from_db()
    series.refresh_from_db()
    assert (period.active_to, period.note, series.active, series.padding) == (dt.date(2026, 3, 1), "", True, 3)


def test_a_value_the_writer_cannot_send_is_refused_not_stored_as_something_else():
    if bulk.is_postgres():
        pytest.skip("COPY sends a value of any type as its text; SQLite's rows travel as JSON")
    with pytest.raises(TypeError, match="UUID"), transaction.atomic(), bulk.Writer() as writer:
        writer.start()
        writer.insert(DocumentSeries, SERIES, [("x", "test", uuid.uuid4(), "", 6, False, False, True)])

    assert not mine().exists()
