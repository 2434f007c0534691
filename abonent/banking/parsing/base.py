"""What every parser returns, and the helpers they share: amounts, dates, account numbers, Czech symbols."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from abonent.core.services import AbonentError


class StatementFormatError(AbonentError):
    """The file is not a statement Abonent can read; the message names the line or element at fault."""


@dataclass
class ParsedAccount:
    """The company account a statement is for, as the file names it."""

    iban: str = ""
    account_number: str = ""
    bank_code: str = ""
    bic: str = ""
    currency: str = ""
    name: str = ""

    @property
    def identifier(self) -> str:
        return account_identifier(iban=self.iban, number=self.account_number, bank_code=self.bank_code)


@dataclass
class ParsedLine:
    booking_date: dt.date
    amount: Decimal  # signed: negative for money out
    currency: str
    value_date: dt.date | None = None
    counterparty_account: str = ""
    counterparty_bank_code: str = ""
    counterparty_name: str = ""
    variable_symbol: str = ""
    constant_symbol: str = ""
    specific_symbol: str = ""
    end_to_end_id: str = ""
    structured_reference: str = ""
    remittance: str = ""
    bank_transaction_id: str = ""


@dataclass
class ParsedStatement:
    account: ParsedAccount
    number: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    currency: str = ""
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    lines: list[ParsedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # balances that do not add up, when not refused


@dataclass
class ParsedFile:
    format: str
    statements: list[ParsedStatement]

    @property
    def lines(self) -> list[ParsedLine]:
        return [line for statement in self.statements for line in statement.lines]


@dataclass(frozen=True)
class CsvLayout:
    """A CSV profile's settings, without the database (see models.CsvProfile)."""

    columns: dict[str, str]
    delimiter: str = ";"
    encoding: str = "utf-8"
    date_format: str = "%d.%m.%Y"
    decimal_separator: str = ","
    skip_rows: int = 0
    sign_convention: str = "signed"  # signed | two_columns | indicator
    debit_marker: str = ""
    currency: str = ""


# --- shared helpers --------------------------------------------------------------------------------

CENT = Decimal("0.01")
IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
# A Czech or Slovak domestic account: optional prefix, number, and the bank's four-digit code.
DOMESTIC = re.compile(r"^(?:(\d{1,6})-)?(\d{1,10})(?:/(\d{4}))?$")


def decimal_from(text: str, *, where: str, what: str = "", comma: bool = False) -> Decimal:
    """Read a number as the file writes it; raise StatementFormatError naming `where` when it is not one."""
    raw = text.strip()
    cleaned = raw.replace(",", ".") if comma else raw
    if cleaned.endswith("."):
        cleaned += "0"
    try:
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
            raise InvalidOperation
        return Decimal(cleaned)
    except InvalidOperation:
        raise StatementFormatError(
            _("%(where)s: %(what)s '%(value)s' is not a number") % {"where": where, "what": what or _("amount"),
                                                                   "value": raw}
        ) from None


def shown_amount(amount: Decimal, *, signed: bool = False) -> str:
    """An amount as an error message shows it: two decimals at least, a true minus sign ("−20.00", "+5.50")."""
    text = f"{abs(amount.quantize(CENT) if amount.as_tuple().exponent > -2 else amount)}"
    if amount < 0:
        return "\u2212" + text
    return "+" + text if signed else text


@contextmanager
def balances_verified(statement: ParsedStatement, *, strict: bool) -> Iterator[None]:
    """Around a statement's sum checks: strict, a statement that does not add up is refused; otherwise it is
    kept with the reason among its warnings, for a person to look at (banks' files do not always add up)."""
    try:
        yield
    except StatementFormatError as error:
        if strict:
            raise
        statement.warnings.append(str(error))


def balances_check(statement: ParsedStatement, *, where: str) -> None:
    """Raise unless the opening balance plus the statement's lines makes its closing balance.

    Nothing to check without both balances, nor when a line is in another currency than the balances
    (the file gives no rate to add it up with).
    """
    opening, closing = statement.opening_balance, statement.closing_balance
    if opening is None or closing is None:
        return
    if statement.currency and any(line.currency not in ("", statement.currency) for line in statement.lines):
        return
    total = sum((line.amount for line in statement.lines), Decimal(0))
    if opening + total != closing:
        raise StatementFormatError(
            _("%(where)s: the opening balance %(opening)s plus the lines (%(lines)s) does not make the closing "
              "balance %(closing)s: the file is incomplete or altered.")
            % {"where": where, "opening": shown_amount(opening), "lines": shown_amount(total, signed=True),
               "closing": shown_amount(closing)}
        )


def compact(text: str) -> str:
    return "".join(text.split()).upper()


def looks_like_iban(text: str) -> bool:
    return bool(IBAN_SHAPE.match(compact(text)))


def iban_check_digits(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def domestic_iban(number: str, bank_code: str, country: str = "CZ") -> str:
    """The IBAN of a Czech or Slovak account "prefix-number" at `bank_code`; "" when it is not one."""
    match = DOMESTIC.match(number.strip())
    if not match or not bank_code.isdigit() or len(bank_code) != 4 or country not in ("CZ", "SK"):
        return ""
    prefix, base = match.group(1) or "", match.group(2)
    if not int(base):
        return ""
    bban = bank_code + prefix.zfill(6) + base.zfill(10)
    return country + iban_check_digits(country, bban) + bban


def domestic_number(sixteen_digits: str) -> str:
    """A GPC/Fio-style zero-padded number (prefix 6 + number 10) as people write it: "19-2000145399"."""
    digits = sixteen_digits.strip().zfill(16)
    if not digits.isdigit():
        return sixteen_digits.strip()
    prefix, number = digits[:-10].lstrip("0"), digits[-10:].lstrip("0")
    if not number:
        return ""
    return f"{prefix}-{number}" if prefix else number


def account_identifier(*, iban: str = "", number: str = "", bank_code: str = "") -> str:
    """One normalised key for a company account: its IBAN, else "number/bank", else the number."""
    if iban:
        return compact(iban)
    number = "".join(number.split())
    return f"{number}/{bank_code}" if bank_code else number


def counterparty_iban(account: str, bank_code: str = "", country: str = "CZ") -> str:
    """The IBAN to compare with customers' accounts: the account itself, or derived from a domestic one."""
    if not account:
        return ""
    if looks_like_iban(account):
        return compact(account)
    number, _slash, code = account.partition("/")
    return domestic_iban(number, code or bank_code, country)


_SYMBOL = re.compile(r"(?<![A-Z0-9])(VS|SS|KS)\s*[:/]?\s*/?\s*(\d{1,10})(?!\d)")


def czech_symbols(*texts: str) -> dict[str, str]:
    """Variable, specific and constant symbols written into references ("VS:1101", "/VS123/SS/KS0308")."""
    found: dict[str, str] = {}
    for text in texts:
        for kind, digits in _SYMBOL.findall((text or "").upper()):
            found.setdefault(kind, symbol(digits))
    return found


def symbol(digits: str) -> str:
    """A Czech payment symbol without its leading zeros ("0000001101" is 1101)."""
    digits = (digits or "").strip()
    return digits.lstrip("0") if digits.isdigit() else digits


def two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 80 else 1900 + yy


def one_line(text: str) -> str:
    return " ".join((text or "").split())
