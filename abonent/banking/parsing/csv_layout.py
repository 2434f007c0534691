"""Bank CSV exports read through a saved column profile (CsvLayout): which column holds which field."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from abonent.banking.parsing.base import (
    CsvLayout,
    ParsedAccount,
    ParsedFile,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
    counterparty_iban,
    decimal_from,
    looks_like_iban,
    one_line,
    symbol,
)

# The fields a profile can map a column to.
FIELDS = (
    "booking_date", "value_date", "amount", "credit", "debit", "debit_credit", "currency",
    "counterparty_account", "counterparty_bank_code", "counterparty_name", "variable_symbol",
    "constant_symbol", "specific_symbol", "end_to_end_id", "structured_reference", "remittance",
    "bank_transaction_id", "account",
)
SYMBOLS = ("variable_symbol", "constant_symbol", "specific_symbol")


def parse(data: bytes, layout: CsvLayout) -> ParsedFile:
    try:
        text = data.decode(layout.encoding)
    except (UnicodeDecodeError, LookupError):
        raise StatementFormatError(
            _("line 1: the file is not in the profile's encoding %(encoding)s") % {"encoding": layout.encoding}
        ) from None
    text = text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=layout.delimiter))[layout.skip_rows:]
    if not rows:
        raise StatementFormatError(_("line 1: the file is empty"))
    header = [name.strip() for name in rows[0]]
    positions = {}
    for field, column in layout.columns.items():
        if not column:
            continue
        if column not in header:
            raise StatementFormatError(
                _("line %(line)s: the profile's column “%(column)s” is not in the header")
                % {"line": layout.skip_rows + 1, "column": column}
            )
        positions[field] = header.index(column)
    if "booking_date" not in positions or not ({"amount", "credit", "debit"} & positions.keys()):
        raise StatementFormatError(_("The CSV profile needs at least a booking date and an amount column."))
    statements: dict[str, ParsedStatement] = {}
    for offset, row in enumerate(rows[1:], start=layout.skip_rows + 2):
        if not any(cell.strip() for cell in row):
            continue
        values = {field: (row[index].strip() if index < len(row) else "") for field, index in positions.items()}
        own = values.get("account", "")
        statement = statements.setdefault(own, ParsedStatement(
            account=ParsedAccount(iban=own if looks_like_iban(own) else "",
                                  account_number="" if looks_like_iban(own) else own,
                                  currency=layout.currency),
            currency=layout.currency,
        ))
        statement.lines.append(_line(values, layout, where=f"line {offset}"))
    for statement in statements.values():
        days = [line.booking_date for line in statement.lines]
        statement.period_from, statement.period_to = (min(days), max(days)) if days else (None, None)
    return ParsedFile(format="csv", statements=list(statements.values()))


def _amount(raw: str, layout: CsvLayout, *, where: str, what: str) -> Decimal:
    cleaned = raw.replace("\xa0", "").replace(" ", "")
    if layout.decimal_separator == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        return Decimal(0)
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    return decimal_from(cleaned, where=where, what=what) if raw.strip() else Decimal(0)


def _date(raw: str, layout: CsvLayout, *, where: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw.strip(), layout.date_format).date()
    except ValueError:
        raise StatementFormatError(
            _("%(where)s: date '%(value)s' does not match the profile's format %(format)s")
            % {"where": where, "value": raw, "format": layout.date_format}
        ) from None


def _line(values: dict[str, str], layout: CsvLayout, *, where: str) -> ParsedLine:
    if layout.sign_convention == "two_columns":
        credit = _amount(values.get("credit", ""), layout, where=where, what=_("credit"))
        debit = _amount(values.get("debit", ""), layout, where=where, what=_("debit"))
        amount = abs(credit) - abs(debit)
    else:
        amount = _amount(values.get("amount", ""), layout, where=where, what=_("amount"))
        if layout.sign_convention == "indicator":
            marker = values.get("debit_credit", "").strip().casefold()
            amount = -abs(amount) if marker == layout.debit_marker.strip().casefold() else abs(amount)
    account = values.get("counterparty_account", "")
    bank = values.get("counterparty_bank_code", "")
    if "/" in account and not bank:
        account, _slash, bank = account.partition("/")
    return ParsedLine(
        booking_date=_date(values["booking_date"], layout, where=where),
        value_date=_date(values["value_date"], layout, where=where) if values.get("value_date") else None,
        amount=amount,
        currency=(values.get("currency") or layout.currency).upper(),
        counterparty_account=account if not counterparty_iban(account) or bank else account.upper(),
        counterparty_bank_code=bank,
        counterparty_name=one_line(values.get("counterparty_name", "")),
        variable_symbol=symbol(values.get("variable_symbol", "")),
        constant_symbol=symbol(values.get("constant_symbol", "")),
        specific_symbol=symbol(values.get("specific_symbol", "")),
        end_to_end_id=values.get("end_to_end_id", ""),
        structured_reference=values.get("structured_reference", ""),
        remittance=one_line(values.get("remittance", "")),
        bank_transaction_id=values.get("bank_transaction_id", ""),
    )
