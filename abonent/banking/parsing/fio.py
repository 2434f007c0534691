"""Fio banka's REST API answer (transactions.json), as downloaded or saved to a file.

Columns by their ids: 0 date, 1 amount, 2 counter-account, 3 its bank code, 4 constant symbol,
5 variable symbol, 6 specific symbol, 7 user identification, 8 type, 10 counter-account name,
14 currency, 16 message for the recipient, 22 movement id, 25 comment, 26 BIC, 27 payer's reference.
Amounts are read as decimals straight from the JSON text, never through floats.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from abonent.banking.parsing.base import (
    ParsedAccount,
    ParsedFile,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
    balances_check,
    balances_verified,
    decimal_from,
    one_line,
    symbol,
)


def _date(value: Any, *, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise StatementFormatError(
            _("%(where)s: '%(value)s' is not a date") % {"where": where, "value": value}
        ) from None


def _column(transaction: dict, number: int) -> Any:
    cell = transaction.get(f"column{number}")
    return cell.get("value") if isinstance(cell, dict) else None


def _text(transaction: dict, number: int) -> str:
    value = _column(transaction, number)
    return "" if value is None else one_line(str(value))


def parse(data: bytes, *, strict_balances: bool = True) -> ParsedFile:
    """Read the answer; its movements must take its opening balance to its closing balance
    (info.openingBalance, info.closingBalance), else it is refused when `strict_balances`, or warned of."""
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f"line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "byte 0"
        raise StatementFormatError(_("%(where)s: not valid JSON") % {"where": where}) from None
    statement_data = document.get("accountStatement") if isinstance(document, dict) else None
    if not isinstance(statement_data, dict) or not isinstance(statement_data.get("info"), dict):
        raise StatementFormatError(_("accountStatement.info: missing: not a Fio banka API answer"))
    info = statement_data["info"]
    currency = str(info.get("currency") or "")
    statement = ParsedStatement(
        account=ParsedAccount(iban=str(info.get("iban") or ""), account_number=str(info.get("accountId") or ""),
                              bank_code=str(info.get("bankId") or ""), bic=str(info.get("bic") or ""),
                              currency=currency),
        number=_number(info),
        period_from=_date(info["dateStart"], where="info.dateStart") if info.get("dateStart") else None,
        period_to=_date(info["dateEnd"], where="info.dateEnd") if info.get("dateEnd") else None,
        currency=currency,
        opening_balance=_balance(info.get("openingBalance"), where="info.openingBalance"),
        closing_balance=_balance(info.get("closingBalance"), where="info.closingBalance"),
    )
    transactions = (statement_data.get("transactionList") or {}).get("transaction") or []
    for index, transaction in enumerate(transactions):
        statement.lines.append(_line(transaction, currency=currency, where=f"transaction[{index}]"))
    with balances_verified(statement, strict=strict_balances):
        balances_check(statement, where="accountStatement")
    return ParsedFile(format="fio-json", statements=[statement])


def _number(info: dict) -> str:
    if info.get("idList"):
        return f"{info.get('yearList') or ''}/{info['idList']}".lstrip("/")
    if info.get("idFrom") and info.get("idTo"):
        return f"{info['idFrom']}-{info['idTo']}"
    return ""


def _balance(value: Any, *, where: str) -> Decimal | None:
    return None if value is None else decimal_from(str(value), where=where)


def _line(transaction: dict, *, currency: str, where: str) -> ParsedLine:
    if not isinstance(transaction, dict):
        raise StatementFormatError(_("%(where)s: not a transaction") % {"where": where})
    day = _column(transaction, 0)
    amount = _column(transaction, 1)
    if day is None or amount is None:
        raise StatementFormatError(_("%(where)s: the date (column0) or amount (column1) is missing")
                                   % {"where": where})
    message = _text(transaction, 16)
    return ParsedLine(
        booking_date=_date(day, where=f"{where}.column0"),
        amount=decimal_from(str(amount), where=f"{where}.column1"),
        currency=_text(transaction, 14) or currency,
        counterparty_account=_text(transaction, 2),
        counterparty_bank_code=_text(transaction, 3),
        counterparty_name=_text(transaction, 10),
        constant_symbol=symbol(_text(transaction, 4)),
        variable_symbol=symbol(_text(transaction, 5)),
        specific_symbol=symbol(_text(transaction, 6)),
        structured_reference=_text(transaction, 27),
        remittance=message or _text(transaction, 7) or _text(transaction, 25) or _text(transaction, 8),
        bank_transaction_id=_text(transaction, 22),
    )
