"""Export the filtered list to CSV or XLSX, streamed: rows are read in chunks and never held all at once."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from abonent.core.grid.state import ListState

CHUNK_ROWS = 2000  # rows fetched from the database at a time (a server-side cursor on PostgreSQL)
CSV_BATCH = 500  # CSV lines sent to the client at a time
XLSX_SHEET_ROWS = 1_048_575  # an XLSX sheet holds 1,048,576 rows, one of them the header
FILE_CHUNK = 64 * 1024

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_values(state: ListState, queryset: QuerySet) -> Iterator[list[Any]]:
    """The visible columns' values of every row, read from the database CHUNK_ROWS at a time."""
    values = [column.exporter() for column in state.columns]
    for row in queryset.iterator(chunk_size=CHUNK_ROWS):
        yield [value(row) for value in values]


def formula_defused(text: str) -> str:
    """The text as a spreadsheet shows it, never run as a formula."""
    # A cell starting with = + - @ is run as a formula by spreadsheet programs ("CSV injection"). A phone
    # number such as +420 601 123 456 or a negative number stays as it is; anything else gets a quote.
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not text[1:].replace(" ", "").replace(".", "").replace(",", "").isdigit()
    ):
        return "'" + text
    return text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date | Decimal | int | float):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    return formula_defused(str(value))


class _Echo:
    """A file whose write() returns what it is given: csv.writer then formats one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(state: ListState, queryset: QuerySet) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells spreadsheet programs that the file is UTF-8 (Czech, Polish, Russian names).
    yield ("\ufeff" + writer.writerow([str(c.label) for c in state.columns])).encode()
    batch: list[str] = []
    for values in export_values(state, queryset):
        batch.append(writer.writerow([_csv_cell(v) for v in values]))
        if len(batch) >= CSV_BATCH:
            yield "".join(batch).encode()
            batch.clear()
    if batch:
        yield "".join(batch).encode()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return formula_defused(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_chunks(state: ListState, queryset: QuerySet, *, title: str) -> Iterator[bytes]:
    """Build the workbook in a temporary file, then send the file.

    Why not a streaming zip written as the rows come: openpyxl's write-only mode keeps one row in memory
    and writes the sheet's XML to a temporary file, so memory stays flat for a million rows, and its files
    are the ones Excel, LibreOffice and python-calamine are known to open. Writing SpreadsheetML by hand
    into a zip without sizes (data descriptors, ZIP64 past 4 GB) would start the download sooner, but
    some Excel versions refuse such archives. The price is that the first byte leaves only when the
    workbook is complete (gunicorn's threaded workers, which `abonent serve` uses, keep the request alive
    meanwhile); a bigger export belongs in a background job.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def new_sheet(number: int) -> Any:
        name = title[:28] if number == 1 else f"{title[:24]} ({number})"
        sheet = workbook.create_sheet(title="".join(ch for ch in name if ch not in "[]:*?/\\") or "Sheet")
        for index, column in enumerate(state.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 24 if column.key != "name" else 36
        sheet.freeze_panes = "A2"
        header = []
        for column in state.columns:
            cell = WriteOnlyCell(sheet, value=str(column.label))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        sheets, in_sheet = 1, 0
        sheet = new_sheet(sheets)
        for values in export_values(state, queryset):
            if in_sheet == XLSX_SHEET_ROWS:
                sheets, in_sheet = sheets + 1, 0
                sheet = new_sheet(sheets)
            sheet.append([_xlsx_cell(v) for v in values])
            in_sheet += 1
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(FILE_CHUNK):
            yield chunk


def export_response(state: ListState, queryset: QuerySet, *, fmt: str, title: str) -> StreamingHttpResponse:
    """A download of the filtered list in `fmt` ("csv" or "xlsx"), streamed to the client."""
    chunks = csv_chunks(state, queryset) if fmt == "csv" else xlsx_chunks(state, queryset, title=title)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    name = state.spec.export_name or state.spec.key
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
