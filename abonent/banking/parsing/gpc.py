"""The Czech banks' ABO/GPC statement: fixed-width records, Windows-1250.

074 opens a statement (account, name, old and new balance with their signs, turnovers, number, date);
each 075 is a movement: counter-account, transaction id, amount in hundredths, accounting code
(1 debit, 2 credit, 4 reversal of a debit, 5 reversal of a credit), variable symbol, "00" + the
counter-account's bank code + constant symbol, specific symbol, value date, counterparty name,
currency (ISO numeric) and booking date. Extended exports add 076/078/079 records (identification and
messages for the recipient), or a long 075 whose text after the symbols is kept as the message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

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
    domestic_number,
    one_line,
    shown_amount,
    symbol,
)

HEADER = re.compile(
    r"^074(?P<account>.{16})(?P<name>.{20}).*?(?P<old_date>\d{6})(?P<old>\d{14})(?P<old_sign>[+-])"
    r"(?P<new>\d{14})(?P<new_sign>[+-])(?P<debit>\d{14})(?P<debit_sign>[+-])(?P<credit>\d{14})(?P<credit_sign>[+-])(?P<number>\d{3})(?P<date>\d{6})"
)
BASIC_LENGTH = 128
NUMERIC_CURRENCIES = {"203": "CZK", "978": "EUR", "840": "USD", "985": "PLN", "946": "RON", "643": "RUB",
                      "348": "HUF", "826": "GBP", "756": "CHF", "703": "SKK"}
# A date more than this far from the statement's is not trusted (malformed extended records).
DATE_TOLERANCE = dt.timedelta(days=400)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace")


def _ddmmyy(text: str) -> dt.date | None:
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return dt.date(2000 + int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None


def _hundredths(text: str, *, where: str) -> Decimal:
    if not text.isdigit():
        raise StatementFormatError(
            _("%(where)s: amount '%(value)s' is not a number") % {"where": where, "value": text.strip()}
        )
    return decimal_from(text, where=where) / 100


def parse(data: bytes, *, strict_balances: bool = True) -> ParsedFile:
    """Read the file's statements; each one's header must add up (old balance, less the debits, plus the
    credits, is the new balance) and so must its items, else refused when `strict_balances`, or warned of."""
    statements: list[ParsedStatement] = []
    checks: list[tuple[ParsedStatement, str, Decimal, Decimal]] = []  # statement, where, debits, credits
    statement_date: dt.date | None = None
    for number, raw in enumerate(decode(data).replace("\r\n", "\n").split("\n"), start=1):
        record = raw.rstrip("\r\n")
        if not record.strip():
            continue
        kind = record[:3]
        where = f"line {number}"
        if kind == "074":
            statement, statement_date, debits, credits = _header(record, where=where)
            statements.append(statement)
            checks.append((statement, _("Statement %(number)s (line %(line)s)")
                           % {"number": len(statements), "line": number}, debits, credits))
        elif kind == "075":
            if not statements:
                raise StatementFormatError(_("%(where)s: an item (075) before any statement header (074)")
                                           % {"where": where})
            statements[-1].lines.append(_item(record, statement_date, statements[-1].currency, where=where))
        elif kind in ("076", "078", "079"):
            if not statements or not statements[-1].lines:
                raise StatementFormatError(_("%(where)s: a %(kind)s record before any item (075)")
                                           % {"where": where, "kind": kind})
            line = statements[-1].lines[-1]
            text = one_line(record[3:])
            line.remittance = one_line(f"{line.remittance} {text}") if kind != "076" else line.remittance
        else:
            raise StatementFormatError(
                _("%(where)s: '%(kind)s' is not an ABO/GPC record (074, 075, 076, 078 or 079)")
                % {"where": where, "kind": kind}
            )
    if not statements:
        raise StatementFormatError(_("line 1: no statement header (074): not an ABO/GPC file"))
    for statement in statements:
        # The header names no currency; items of an account in another currency than crowns all carry it.
        currencies = {line.currency for line in statement.lines}
        if len(currencies) == 1:
            statement.currency = statement.account.currency = currencies.pop()
    for statement, where, debits, credits in checks:
        with balances_verified(statement, strict=strict_balances):
            _turnovers_check(statement, debits, credits, where=where)
            balances_check(statement, where=where)
    return ParsedFile(format="gpc", statements=statements)


def _turnovers_check(statement: ParsedStatement, debits: Decimal, credits: Decimal, *, where: str) -> None:
    """The header's own arithmetic: a header altered (or cut) alone no longer adds up."""
    if statement.opening_balance - debits + credits != statement.closing_balance:
        raise StatementFormatError(
            _("%(where)s: the old balance %(old)s less the debits %(debits)s plus the credits %(credits)s does "
              "not make the new balance %(new)s: the file is incomplete or altered.")
            % {"where": where, "old": shown_amount(statement.opening_balance), "debits": shown_amount(debits),
               "credits": shown_amount(credits), "new": shown_amount(statement.closing_balance)}
        )


def _header(record: str, *, where: str) -> tuple[ParsedStatement, dt.date | None, Decimal, Decimal]:
    """The statement a header opens, its date, and its debit and credit turnovers."""
    match = HEADER.match(record)
    if not match:
        raise StatementFormatError(
            _("%(where)s: the statement header (074) does not have its balances, signs, number and date")
            % {"where": where}
        )
    old = _hundredths(match["old"], where=where)
    new = _hundredths(match["new"], where=where)
    day = _ddmmyy(match["date"])
    statement = ParsedStatement(
        account=ParsedAccount(account_number=domestic_number(match["account"]), name=match["name"].strip(),
                              currency="CZK"),
        number=match["number"].lstrip("0") or "0",
        period_from=_ddmmyy(match["old_date"]),
        period_to=day,
        currency="CZK",
        opening_balance=-old if match["old_sign"] == "-" else old,
        closing_balance=-new if match["new_sign"] == "-" else new,
    )
    if statement.period_from and day and statement.period_from < day:
        statement.period_from += dt.timedelta(days=1)  # the old balance is the previous day's
    debits, credits = _hundredths(match["debit"], where=where), _hundredths(match["credit"], where=where)
    return (statement, day, -debits if match["debit_sign"] == "-" else debits,
            -credits if match["credit_sign"] == "-" else credits)


def _trusted(day: dt.date | None, around: dt.date | None) -> dt.date | None:
    if day is None or around is None:
        return day
    return day if abs(day - around) <= DATE_TOLERANCE else None


def _item(record: str, statement_date: dt.date | None, currency: str, *, where: str) -> ParsedLine:
    if len(record) < 91:
        raise StatementFormatError(
            _("%(where)s: the item (075) has %(length)s characters, fewer than the 128 of the format")
            % {"where": where, "length": len(record)}
        )
    amount = _hundredths(record[48:60], where=where)
    code = record[60]
    if code not in "1245":
        raise StatementFormatError(
            _("%(where)s: accounting code '%(value)s' is not 1, 2, 4 or 5") % {"where": where, "value": code}
        )
    extended = len(record) > BASIC_LENGTH
    value_date = _trusted(_ddmmyy(record[91:97]), statement_date)
    booked = None if extended else _trusted(_ddmmyy(record[122:128]), statement_date)
    numeric = record[118:122].strip().lstrip("0")
    bank_code = record[73:77]
    booking_date = booked or value_date or statement_date
    if booking_date is None:
        raise StatementFormatError(_("%(where)s: the item (075) has no date") % {"where": where})
    line = ParsedLine(
        booking_date=booking_date,
        value_date=value_date,
        amount=-amount if code in "15" else amount,
        currency=currency if extended else NUMERIC_CURRENCIES.get(numeric, currency),
        counterparty_account=domestic_number(record[19:35]),
        counterparty_bank_code="" if not bank_code.strip("0") else bank_code,
        variable_symbol=symbol(record[61:71]),
        constant_symbol=symbol(record[77:81]),
        specific_symbol=symbol(record[81:91]),
        bank_transaction_id=record[35:48].strip(),
    )
    if extended:
        line.remittance = one_line(re.sub(r"^\d+", "", record[91:]))
    else:
        line.counterparty_name = record[97:117].strip()
    return line
