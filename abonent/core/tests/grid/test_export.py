import csv
import datetime as dt
import io
import tracemalloc

import pytest
from django.db.models.signals import post_init
from openpyxl import load_workbook

from abonent.core.grid import export
from abonent.core.grid.export import export_response
from abonent.core.grid.query import export_queryset
from abonent.core.models import AuditEntry, Channel
from abonent.core.tests.factories import AuditEntryFactory
from abonent.core.tests.grid.lists import state_of

AT = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)  # 09:30 in Prague


def download(query: str, user, fmt: str) -> bytes:
    state = state_of(query, user=user)
    response = export_response(state, export_queryset(state), fmt=fmt, title="Entries")
    return b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def many_entries(n: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(at=AT + dt.timedelta(seconds=i), action=f"bulk.{i}", actor_label="system", channel=Channel.API)
        for i in range(n)
    )


def test_csv_has_the_columns_on_screen_and_every_filtered_row_in_order(make_user):
    user = make_user(username="alena")
    AuditEntryFactory(at=AT, action="party.created", channel=Channel.UI, actor=user)
    AuditEntryFactory(at=AT + dt.timedelta(hours=1), action="party.changed", channel=Channel.API)
    AuditEntryFactory(at=AT, action="other", channel=Channel.UI)

    rows = csv_rows(download("q=party&cols=action,channel,at,actor", user, "csv"))

    assert rows == [
        ["Action", "Channel", "When", "Who"],
        ["party.changed", "API", "2026-03-01 10:30:00", ""],
        ["party.created", "User interface", "2026-03-01 09:30:00", str(user)],
    ]


@pytest.mark.parametrize(("typed", "written"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("+cmd|'/c calc'!A1", "'+cmd|'/c calc'!A1"),
    ("-2+3", "'-2+3"),
    ("+420 601 123 456", "+420 601 123 456"),
    ("-12.5", "-12.5"),
    ("Nováková", "Nováková"),
])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(make_user, typed, written):
    AuditEntryFactory(action=typed)

    csv_cell = csv_rows(download("cols=action", make_user(), "csv"))[1][0]
    xlsx_cell = load_workbook(io.BytesIO(download("cols=action", make_user(), "xlsx"))).active["A2"].value

    assert csv_cell == written
    assert xlsx_cell == written


def test_xlsx_keeps_dates_as_dates_and_labels_as_text(make_user):
    AuditEntryFactory(at=AT, action="party.created", channel=Channel.IMPORT)

    sheet = load_workbook(io.BytesIO(download("cols=at,channel,action", make_user(), "xlsx"))).active

    assert [c.value for c in sheet[1]] == ["When", "Channel", "Action"]
    assert [c.value for c in sheet[2]] == [dt.datetime(2026, 3, 1, 9, 30), "Import", "party.created"]
    assert sheet.freeze_panes == "A2"


def test_the_download_is_named_after_the_list_and_the_moment(make_user, settings):
    state = state_of("", user=make_user())

    response = export_response(state, export_queryset(state), fmt="xlsx", title="Entries")

    assert response.streaming
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="test-entries-')


def test_a_full_sheet_continues_on_a_second_one(make_user, monkeypatch):
    monkeypatch.setattr(export, "XLSX_SHEET_ROWS", 3)
    many_entries(7)

    workbook = load_workbook(io.BytesIO(download("sort=at&cols=action", make_user(), "xlsx")))

    assert [[c.value for c in row] for ws in workbook for row in ws.iter_rows()] == [
        ["Action"], ["bulk.0"], ["bulk.1"], ["bulk.2"],
        ["Action"], ["bulk.3"], ["bulk.4"], ["bulk.5"],
        ["Action"], ["bulk.6"],
    ]


def test_csv_rows_leave_while_later_rows_are_still_in_the_database(make_user, monkeypatch):
    # given 3,000 entries and an export reading 500 rows from the database at a time
    monkeypatch.setattr(export, "CHUNK_ROWS", 500)
    many_entries(3000)
    state = state_of("sort=at", user=make_user())
    made = []

    def count(sender, **kwargs):
        made.append(1)

    post_init.connect(count, sender=AuditEntry)
    try:
        chunks = iter(export_response(state, export_queryset(state), fmt="csv", title="Entries").streaming_content)
        # when the first lines are sent
        next(chunks), next(chunks)
        # then only the first chunk of rows has been read from the database
        assert len(made) <= 1000
        rest = b"".join(chunks)
    finally:
        post_init.disconnect(count, sender=AuditEntry)
    assert len(made) == 3000
    assert rest.count(b"\n") == 3000 - export.CSV_BATCH


def peak_memory(fmt: str, user) -> int:
    state = state_of("sort=at", user=user)
    tracemalloc.start()
    try:
        for _chunk in export_response(state, export_queryset(state), fmt=fmt, title="Entries").streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_memory_does_not_grow_with_the_number_of_rows(make_user, monkeypatch, fmt):
    # given exports reading 100 rows at a time, of 500 and then of 2,000 rows
    monkeypatch.setattr(export, "CHUNK_ROWS", 100)
    user = make_user()
    many_entries(500)
    small = peak_memory(fmt, user)
    many_entries(1500)

    large = peak_memory(fmt, user)

    # then four times the rows do not take four times the memory: rows are never all held at once
    assert large < small * 1.5, (small, large)
