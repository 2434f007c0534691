"""Bank statement files read into plain dataclasses: no database, nothing executed from the file.

    parsed = statement_parse(data=raw_bytes, format="auto")   # -> ParsedFile
    parsed.format, parsed.statements[0].lines[0].amount

One module per format (camt, mt940, gpc, fio, csv_layout); `format_detect` tells them apart by content.
A file that cannot be read raises StatementFormatError naming the line or element at fault.
"""

from __future__ import annotations

from abonent.banking.parsing.base import (
    CsvLayout,
    ParsedAccount,
    ParsedFile,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
)
from abonent.banking.parsing.detect import FORMATS, format_detect, statement_parse

__all__ = [
    "FORMATS",
    "CsvLayout",
    "ParsedAccount",
    "ParsedFile",
    "ParsedLine",
    "ParsedStatement",
    "StatementFormatError",
    "format_detect",
    "statement_parse",
]
