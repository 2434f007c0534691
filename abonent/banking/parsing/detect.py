"""Which format a file is in, told by its content (never by its name), and the parser that reads it."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from abonent.banking.parsing import camt, csv_layout, fio, gpc, mt940
from abonent.banking.parsing.base import CsvLayout, ParsedFile, StatementFormatError

# The names accepted by `--format`, with "csv:PROFILE" for a saved CSV profile.
FORMATS = ("auto", "camt053", "camt054", "camt052", "mt940", "gpc", "fio-json")
CAMT = re.compile(rb"camt\.05([234])|BkToCstmr(Stmt|AcctRpt|DbtCdtNtfctn)")


def format_detect(data: bytes) -> str:
    """Return "camt053", "camt052", "camt054", "mt940", "gpc" or "fio-json"; raise when none fits."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n\x01")
    if head.startswith(b"<"):
        found = CAMT.search(data[:8192])
        if found:
            if found.group(1):
                return "camt05" + found.group(1).decode()
            return {b"Stmt": "camt053", b"AcctRpt": "camt052", b"DbtCdtNtfctn": "camt054"}[found.group(2)]
        raise StatementFormatError(_("This XML file is not an ISO 20022 camt.052, camt.053 or camt.054 statement."))
    if head.startswith(b"{") and b"accountStatement" in data[:2048]:
        return "fio-json"
    if head.startswith(b"074"):
        return "gpc"
    if re.search(rb"(^|[\n{])(:20:)", head) and re.search(rb"\n:(25|60[FM]|61):", data):
        return "mt940"
    raise StatementFormatError(
        _("Abonent cannot tell this file's format: choose camt, MT940, ABO/GPC, Fio JSON, or a CSV profile.")
    )


def statement_parse(*, data: bytes, format: str = "auto", csv: CsvLayout | None = None,  # noqa: A002
                    strict_balances: bool = True) -> ParsedFile:
    """Read a statement file; `format` is one of FORMATS, or "csv" with a layout.

    A statement whose format carries its balances must add up: its opening balance plus its lines makes its
    closing balance. With `strict_balances` one that does not is refused as incomplete or altered; without,
    it is read with the reason in its `warnings`. A statement whose closing balance is missing altogether
    (an MT940 cut off) is refused either way.
    """
    if not data.strip():
        raise StatementFormatError(_("The file is empty."))
    if format == "csv":
        if csv is None:
            raise StatementFormatError(_("A CSV file needs a CSV profile."))
        return csv_layout.parse(data, csv)
    chosen = format_detect(data) if format == "auto" else format
    if chosen.startswith("camt"):
        parsed = camt.parse(data, strict_balances=strict_balances)
        if format != "auto" and parsed.format != chosen:
            raise StatementFormatError(
                _("The file is a %(found)s document, not %(chosen)s.") % {"found": parsed.format, "chosen": chosen}
            )
        return parsed
    readers = {"mt940": mt940.parse, "gpc": gpc.parse, "fio-json": fio.parse}
    if chosen not in readers:
        raise StatementFormatError(_("Unknown statement format “%(format)s”.") % {"format": chosen})
    return readers[chosen](data, strict_balances=strict_balances)
