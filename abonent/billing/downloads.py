"""Billing reports as files: a small table as CSV or XLSX, a document as PDF."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from abonent.billing.documents import pdf_from_html
from abonent.core.grid.export import formula_defused

TABLE_FORMATS = ("csv", "xlsx")


def _defused(value):
    return formula_defused(value) if isinstance(value, str) else value


def table_response(table: list[list], *, fmt: str, filename: str, sheet: str) -> HttpResponse:
    """A download of `table` (its first row the header) as `filename`.csv or .xlsx."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # tells spreadsheet programs that the file is UTF-8
        writer = csv.writer(buffer)
        for row in table:
            writer.writerow([_defused(v) for v in row])
        response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        book_sheet = book.create_sheet(sheet[:31])
        for row in table:
            book_sheet.append([_defused(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """Our own HTML rendered to a PDF shown in the browser (and saved as `filename`.pdf)."""
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response
