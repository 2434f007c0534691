"""Whether an IBAN is valid, answered as schwifty's `IBAN(text, validate_bban=True)` answers it, without its objects.

schwifty spends 40-110 µs an IBAN on building the IBAN and BBAN objects and looking up its registries for each
property. What it checks (iban.py `validate`, bban.py `validate_national_checksum`) is: the characters, the
country's IBAN length, the BBAN against the country's format, the ISO 7064 mod 97-10 check digits (02-98 only),
and the national check digits with the algorithm registered for the country, or for the bank where the bank
registry names the bank's own method (German banks do): a bank code missing from the registry is no error, it
gets the country's default algorithm or none. The same checks are made here from schwifty's registries and
algorithm objects, loaded once per country. The Czech, Slovak and Polish national checks, the ones an Abonent
import meets most, are written out, as schwifty's generic weighted sum costs more than all the rest. A country
with national check digits but no algorithm to verify them is left to schwifty, whose warning says so.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

from schwifty import registry
from schwifty.checksum import Algorithm, algorithms
from schwifty.domain import Component, IBANSpec, Range
from schwifty.exceptions import SchwiftyException

from abonent.imports.check_digits import weighted_sum

_STRUCTURE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")
_AS_NUMBER = str.maketrans({letter: str(value) for value, letter in enumerate(string.ascii_uppercase, start=10)})

_CZECH_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)
_POLISH_WEIGHTS = (3, 9, 7, 1, 3, 9, 7)


def _czech_or_slovak(bban: str) -> bool:
    """The account number's prefix (6 digits) and number (10 digits) each weigh to a multiple of 11."""
    prefix, number = bban[4:10], bban[10:20]
    return weighted_sum(prefix, _CZECH_WEIGHTS[4:]) % 11 == 0 and weighted_sum(number, _CZECH_WEIGHTS) % 11 == 0


def _polish(bban: str) -> bool:
    """The eighth digit of the bank and branch number checks the first seven."""
    remainder = weighted_sum(bban[:7], _POLISH_WEIGHTS) % 10
    return bban[7] == str(remainder and 10 - remainder)


def _nothing_to_check(bban: str) -> bool:
    """No algorithm is registered for the country and its BBAN has no check digits (Austria, Romania)."""
    return True


_WRITTEN_OUT = {"CZ": _czech_or_slovak, "SK": _czech_or_slovak, "PL": _polish}


def _cut(bban: str, position: Range) -> str:
    """A component of the BBAN as schwifty's `_get_slice` cuts it: empty when it reaches beyond the BBAN."""
    if position.start < len(bban) and position.end <= len(bban):
        return bban[position.start:position.end]
    return ""


@lru_cache(maxsize=8192)
def _bank_algorithm(country: str, lookup_key: str) -> Algorithm | None:
    """The algorithm schwifty picks for a bank code: its registry's primary record's method, else the default."""
    banks = registry.get_banks_by_code(country, lookup_key)
    method = max(banks, key=lambda bank: bank.primary).checksum_algo if banks else "default"
    return algorithms.get(f"{country}:{method}")


def _registered_check(spec: IBANSpec, bban: str) -> bool | None:
    """The national check with schwifty's own algorithm for the bank; None where schwifty would warn instead."""
    lookup_by = spec.bic_lookup_components or [Component.BANK_CODE]
    lookup_key = "".join(_cut(bban, spec.positions[component]) for component in lookup_by)
    algorithm = _bank_algorithm(spec.country, lookup_key)
    check_digits = spec.positions[Component.NATIONAL_CHECKSUM_DIGITS]
    if algorithm is None:
        return True if check_digits.is_empty else None
    components = [_cut(bban, spec.positions[component]) for component in algorithm.accepts]
    try:
        return bool(algorithm.validate(components, _cut(bban, check_digits)))
    except SchwiftyException:
        return False


@dataclass(frozen=True)
class _Country:
    number: str
    length: int
    bban_format: re.Pattern[str]
    national_check: Callable[[str], bool | None]


@lru_cache(maxsize=300)
def _country(code: str) -> _Country | None:
    try:
        spec = registry.get_iban_spec(code)
    except SchwiftyException:
        return None
    registered = {key for key in algorithms if key.startswith(f"{code}:")}
    if not registered and spec.positions[Component.NATIONAL_CHECKSUM_DIGITS].is_empty:
        national_check = _nothing_to_check
    elif registered == {f"{code}:default"} and _no_bank_has_its_own_method(code):
        national_check = _WRITTEN_OUT.get(code)
    else:
        national_check = None
    return _Country(number=code.translate(_AS_NUMBER), length=spec.iban_length, bban_format=spec.regex,
                    national_check=national_check or partial(_registered_check, spec))


def _no_bank_has_its_own_method(code: str) -> bool:
    return all(bank.checksum_algo == "default" for bank in registry.get_banks_by_country(code))


def iban_valid(iban: str) -> bool | None:
    """Return whether schwifty accepts `iban` (whitespace removed, capitals), None when only schwifty can say."""
    if not iban.isascii():
        return None
    if not _STRUCTURE.fullmatch(iban):
        return False
    country = _country(iban[:2])
    if country is None:
        return None
    bban = iban[4:]
    if len(iban) != country.length or not country.bban_format.match(bban):
        return False
    remainder = int((bban if bban.isdigit() else bban.translate(_AS_NUMBER)) + country.number + "00") % 97
    if f"{98 - remainder:02d}" != iban[2:4]:
        return False
    return country.national_check(bban)
