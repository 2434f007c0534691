"""SWIFT MT940 customer statements, as banks really send them.

Handles SWIFT envelopes ({1:..}{2:..}{4: ... -}), mBank's SOH/ETX wrapping, the old ABN AMRO header
lines, files with several statements, :28: and :28C:, :60M:/:62M: intermediate balances, Sberbank's
:NS: fields, and the many shapes of :86:: German ?20..?34 subfields (and Triodos' >20..>31), SWIFT-style
/IBAN/../NAME/.. tags, mBank's "Z RACH.: ..; OD: ..; TYT.: ..", Knab's "REK: ../NAAM: ..", a leading
IBAN (ASN Bank), Raiffeisen Hungary's account-and-name lines. Text is UTF-8 when it decodes as such;
otherwise ISO-8859-2 for Central European currencies and Windows-1252 for the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from abonent.banking.parsing.base import (
    DOMESTIC,
    ParsedAccount,
    ParsedFile,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
    balances_check,
    balances_verified,
    compact,
    czech_symbols,
    decimal_from,
    looks_like_iban,
    one_line,
    two_digit_year,
)

TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):")
CENTRAL_EUROPEAN = {"CZK", "PLN", "HUF", "RON", "HRK", "BGN"}
BALANCE = re.compile(r"^([CD])(\d{6})([A-Z]{3})(.+)$")
WRAPPED_WIDTH = 60  # a :86: line this long was cut by the bank, so the next one continues the word


@dataclass
class Field:
    tag: str
    value: str
    line: int  # where the tag starts in the file, for error messages
    lines: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        latin = data.decode("latin-1")
        currency = re.search(r":60[FM]:[CD]\d{6}([A-Z]{3})", latin)
        central = currency is not None and currency.group(1) in CENTRAL_EUROPEAN
        # The encoding whose reading gives the most letters wins; ties go to the usual one for the currency.
        # (Raiffeisen Hungary writes DOS code page 852, whose "á" is a control character in ISO-8859-2.)
        candidates = ("iso-8859-2", "cp1250", "cp852") if central else ("cp1252", "iso-8859-15", "cp850")
        encoding = max(candidates, key=lambda name: (_letters(data, name), -candidates.index(name)))
        text = data.decode(encoding, errors="replace")
    # mBank wraps the file in SOH ... ETX; other control characters have no business in a statement.
    return "".join(ch for ch in text.replace("\r\n", "\n").replace("\r", "\n") if ch == "\n" or ch >= " ")


def _letters(data: bytes, encoding: str) -> int:
    return sum(ch.isalpha() for ch in data.decode(encoding, errors="replace") if ord(ch) > 127)


def messages(text: str) -> list[list[Field]]:
    """The fields of each statement (each :20:), envelopes and header lines between them dropped."""
    statements: list[list[Field]] = []
    current: list[Field] | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if line.startswith("{") and ":20:" in line:  # envelope and first field on one line
            line = line[line.index(":20:"):]
        match = TAG.match(line)
        if match:
            tag = match.group(1)
            if tag == "20":
                current = []
                statements.append(current)
            if current is None:
                raise StatementFormatError(
                    _("line %(line)s: :%(tag)s: comes before the statement's :20: field") % {"line": number, "tag": tag}
                )
            value = line[match.end():]
            current.append(Field(tag=tag, value=value, line=number, lines=[value]))
        elif line == "-" or line.startswith("-}") or line.startswith("{"):
            if current is not None and line.startswith("-"):
                current = None  # end of the message: what follows until the next :20: is envelope
        elif current:
            current[-1].lines.append(raw.rstrip("\n"))
    if not statements:
        raise StatementFormatError(_("line 1: no :20: field: this is not an MT940 statement"))
    return statements


def parse(data: bytes, *, strict_balances: bool = True) -> ParsedFile:
    """Read the file's statements; each must have its opening and closing balance, and its lines must take
    the one to the other (else refused when `strict_balances`, or warned of)."""
    statements = []
    for number, fields in enumerate(messages(decode(data)), start=1):
        statement = _statement(fields)
        where = _("Statement %(number)s (line %(line)s)") % {"number": number, "line": fields[0].line}
        # A file cut off (or a statement cut out of it) loses its closing balance: MT940 requires both.
        if statement.opening_balance is None:
            raise StatementFormatError(
                _("%(where)s: no opening balance (:60F: or :60M:): the file is incomplete.") % {"where": where})
        if statement.closing_balance is None:
            raise StatementFormatError(
                _("%(where)s: no closing balance (:62F: or :62M:): the file is incomplete.") % {"where": where})
        # Each part of a statement sent in several (:60M: ... :62M:) adds up between its own intermediate
        # balances, so each message is checked on its own.
        with balances_verified(statement, strict=strict_balances):
            balances_check(statement, where=where)
        statements.append(statement)
    return ParsedFile(format="mt940", statements=statements)


def _balance(item: Field) -> tuple[Decimal, dt.date, str]:
    match = BALANCE.match(item.value.strip())
    where = f"line {item.line}: :{item.tag}"
    if not match:
        raise StatementFormatError(
            _("%(where)s: balance '%(value)s' is not a C/D mark, date, currency and amount")
            % {"where": where, "value": item.value}
        )
    mark, day, currency, amount_text = match.groups()
    amount = decimal_from(amount_text, where=where, comma=True)
    return (-amount if mark == "D" else amount), _yymmdd(day, where=where), currency


def _yymmdd(text: str, *, where: str) -> dt.date:
    try:
        return dt.date(two_digit_year(int(text[:2])), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise StatementFormatError(
            _("%(where)s: date '%(value)s' is not a date (YYMMDD)") % {"where": where, "value": text}
        ) from None


def _statement(fields: list[Field]) -> ParsedStatement:
    statement = ParsedStatement(account=ParsedAccount())
    line: ParsedLine | None = None
    line_info: list[Field] = []
    for item in fields:
        if item.tag == "25":
            statement.account = _own_account(item.value.strip())
        elif item.tag in ("28", "28C"):
            statement.number = item.value.strip()
        elif item.tag in ("60F", "60M"):
            amount, day, currency = _balance(item)
            statement.opening_balance, statement.period_from, statement.currency = amount, day, currency
            statement.account.currency = statement.account.currency or currency
        elif item.tag in ("62F", "62M", "64", "65"):
            if item.tag in ("62F", "62M"):
                amount, day, _currency = _balance(item)
                statement.closing_balance, statement.period_to = amount, day
            if line is not None:  # an :86: after the closing balance describes the statement, not a line
                _details(line, line_info)
                line, line_info = None, []
        elif item.tag == "61":
            if line is not None:
                _details(line, line_info)
            line = _line(item, currency=statement.currency)
            statement.lines.append(line)
            line_info = []
        elif item.tag in ("86", "NS") and line is not None:
            line_info.append(item)
    if line is not None:
        _details(line, line_info)
    if not statement.number:
        statement.number = next((f.value.strip() for f in fields if f.tag == "20"), "")
    return statement


def _own_account(value: str) -> ParsedAccount:
    value = value.strip()
    if looks_like_iban(value):
        return ParsedAccount(iban=compact(value))
    bank, _slash, number = value.rpartition("/")
    domestic = DOMESTIC.match(value)
    if domestic and domestic.group(3):  # Czech/Slovak "number/bank code"
        return ParsedAccount(account_number=value.rsplit("/", 1)[0], bank_code=domestic.group(3))
    if bank and number and not looks_like_iban(number):
        return ParsedAccount(account_number=value)
    return ParsedAccount(iban=compact(number) if looks_like_iban(number) else "", account_number=value)


_LINE_HEAD = re.compile(r"^(\d{6})(\d{4})?(RC|RD|EC|ED|C|D)([A-Z](?=\d))?")


def _line(item: Field, *, currency: str) -> ParsedLine:
    where = f"line {item.line}: :61"
    first = item.lines[0]
    head = _LINE_HEAD.match(first)
    if not head:
        raise StatementFormatError(
            _("%(where)s: '%(value)s' does not start with a date (YYMMDD) and a C/D mark") % {"where": where,
                                                                                           "value": first[:20]}
        )
    value_day, entry_day, mark, _funds = head.groups()
    value_date = _yymmdd(value_day, where=where)
    rest = first[head.end():]
    amount_text = re.match(r"^[^A-Z]*", rest).group(0)
    amount = decimal_from(amount_text, where=where, comma=True)
    rest = rest[len(amount_text):]
    if re.match(r"^[A-Z][A-Z0-9 ]{3}", rest):
        rest = rest[4:]
    customer_ref, _sep, bank_ref = rest.partition("//")
    booking = value_date
    if entry_day:
        try:
            booking = dt.date(value_date.year, int(entry_day[:2]), int(entry_day[2:]))
        except ValueError:
            raise StatementFormatError(
                _("%(where)s: entry date '%(value)s' is not a date (MMDD)") % {"where": where, "value": entry_day}
            ) from None
        # A booking on 2 January for value 31 December, or the other way round, crosses the year.
        if booking.month == 1 and value_date.month == 12:
            booking = booking.replace(year=value_date.year + 1)
        elif booking.month == 12 and value_date.month == 1:
            booking = booking.replace(year=value_date.year - 1)
    negative = mark in ("D", "ED", "RC")
    references = [r.strip() for r in (bank_ref, customer_ref) if r.strip() and r.strip().upper() != "NONREF"]
    return ParsedLine(
        booking_date=booking, value_date=value_date, amount=-amount if negative else amount, currency=currency,
        bank_transaction_id=references[0] if references else "",
    )


def _joined(lines: list[str]) -> str:
    """The :86: lines as one text: a line cut at the bank's width continues without a space."""
    text = ""
    for index, raw in enumerate(lines):
        if index and len(lines[index - 1]) >= WRAPPED_WIDTH:
            text += raw
        else:
            text += (" " if index else "") + raw
    return text


def _details(line: ParsedLine, info: list[Field]) -> None:
    for item in info:
        if item.tag == "NS":
            _ns_fields(line, item.lines)
        else:
            _information(line, item.lines)
    symbols = czech_symbols(line.remittance, line.end_to_end_id)
    line.variable_symbol = line.variable_symbol or symbols.get("VS", "")
    line.specific_symbol = line.specific_symbol or symbols.get("SS", "")
    line.constant_symbol = line.constant_symbol or symbols.get("KS", "")


_SUBFIELD = re.compile(r"[?>](\d{2})")
_SWIFT_TAGS = re.compile(r"/(TRTP|IBAN|BIC|NAME|REMI|EREF|CSID|MARF|ORDP|BENM|ADDR|ISDT|PREF|RTRN|CREF|PURP|ULTD|"
                         r"ULTC|CNTP|ID)/")
_SEPA_KEYS = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|BREF|RREF)\+")


def _information(line: ParsedLine, lines: list[str]) -> None:
    flat = "".join(lines)
    if re.match(r"^\d{3}[?>]", flat):
        _subfields(line, flat)
    elif _SWIFT_TAGS.match(flat.strip()):
        _swift_tags(line, flat.strip())
    else:
        _free_text(line, lines)


def _subfields(line: ParsedLine, flat: str) -> None:
    """German structured :86: ("166?00GUTSCHRIFT?20EREF+..?30BIC?31IBAN?32Name"), or Triodos' ">20"."""
    parts = _SUBFIELD.split(flat[3:])
    values: dict[int, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=False):
        values[int(code)] = values.get(int(code), "") + value
    purpose = "".join(values.get(code, "") for code in [*range(20, 30), *range(60, 64)])
    keyed = _SEPA_KEYS.split(purpose)
    keys = dict(zip(keyed[1::2], (v.strip() for v in keyed[2::2]), strict=False))
    reference = keys.get("EREF", "")
    if reference and reference.upper() not in ("NOTPROVIDED", "NONREF"):
        line.end_to_end_id = reference
    line.remittance = one_line(keys.get("SVWZ") or purpose or values.get(0, ""))
    account = compact(values.get(31, ""))
    bank = values.get(30, "").strip()
    line.counterparty_account = account
    line.counterparty_bank_code = bank if bank.isdigit() else ""
    line.counterparty_name = one_line(values.get(32, "") + values.get(33, ""))


def _swift_tags(line: ParsedLine, flat: str) -> None:
    parts = _SWIFT_TAGS.split(flat)
    values = {tag: value.strip().strip("/") for tag, value in zip(parts[1::2], parts[2::2], strict=False)}
    line.counterparty_account = compact(values.get("IBAN", ""))
    line.counterparty_name = one_line(values.get("NAME", ""))
    remittance = values.get("REMI", "")
    line.remittance = one_line(re.sub(r"^(USTD|STRD)/+", "", remittance))
    if values.get("EREF") and values["EREF"].upper() not in ("NOTPROVIDED", "NONREF"):
        line.end_to_end_id = values["EREF"]


_POLISH = re.compile(r"(Z RACH\.|DO RACH\.|OD|DLA|TYT\.|TNR)\s*:")


def _free_text(line: ParsedLine, lines: list[str]) -> None:
    text = one_line(_joined(lines))
    first = lines[0].strip()
    polish = _POLISH.split(text)
    if len(polish) > 3:  # mBank: "...; Z RACH.: 5611...; OD: JAN NOWAK ...; TYT.: PRZELEW; TNR: ..."
        values = {key: value.strip(" ;") for key, value in zip(polish[1::2], polish[2::2], strict=False)}
        account = "".join((values.get("Z RACH.") or values.get("DO RACH.") or "").split())
        if account.isdigit() and len(account) == 26:
            account = "PL" + account
        line.counterparty_account = account
        line.counterparty_name = values.get("OD") or values.get("DLA") or ""
        line.remittance = values.get("TYT.", "") or polish[0].strip(" ;")
        return
    knab = re.search(r"REK:\s*([A-Z]{2}\d{2}[A-Z0-9]+)\s*/\s*NAAM:\s*(.+)$", text)
    if knab:
        line.counterparty_account, line.counterparty_name = knab.group(1), knab.group(2).strip()
        line.remittance = text[:knab.start()].strip()
        return
    leading = re.match(r"^([A-Z]{2}\d{2}[A-Z0-9]{10,30})\s+(.*)$", first)
    if leading:  # ASN Bank: "NL47INGB9999999999 name", then the description
        line.counterparty_account, line.counterparty_name = leading.group(1), one_line(leading.group(2))
        line.remittance = one_line(_joined([raw.rstrip() for raw in lines[1:]]))
        return
    stripped = [raw.strip() for raw in lines]
    if len(stripped) >= 3 and stripped[1].isdigit() and len(stripped[1]) in (16, 24):
        # Raiffeisen Hungary: reference, account, name, then the description.
        line.counterparty_account, line.counterparty_name = stripped[1], stripped[2]
        line.remittance = one_line(" ".join(stripped[3:]))
        return
    line.remittance = text


def _ns_fields(line: ParsedLine, lines: list[str]) -> None:
    """Sberbank Hungary's :NS: lines, each a two-digit code and its value."""
    values: dict[str, str] = {}
    for raw in lines:
        raw = raw.rstrip()
        if len(raw) >= 2 and raw[:2].isdigit():
            values[raw[:2]] = values.get(raw[:2], "") + raw[2:]
    line.counterparty_name = one_line(values.get("15", "") + values.get("16", ""))
    line.remittance = one_line(values.get("09", ""))
    bank, account = values.get("33", "").strip(), values.get("34", "").strip()
    if account:
        line.counterparty_account = bank + account
        line.counterparty_bank_code = ""
    if values.get("17"):
        line.bank_transaction_id = values["17"].strip()
