"""Payment references of a contract: a variable symbol for Czech and Slovak banks, ISO 11649 (RF) for SEPA.

One reference per contract, never per item: a customer's standing order repeats the same symbol every
month, and a payment carrying it is allocated to that contract's oldest open items first.
"""

from __future__ import annotations

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

VARIABLE_SYMBOL_COUNTRIES = frozenset({"CZ", "SK"})
VARIABLE_SYMBOL_DIGITS = 10


def variable_symbol_from(number: str) -> str:
    """The contract number's digits (the last ten), without leading zeros: "C2026-000123" → "2026000123"."""
    digits = "".join(ch for ch in number if ch.isdigit())[-VARIABLE_SYMBOL_DIGITS:]
    return digits.lstrip("0")


def variable_symbol_normalise(value: str) -> str:
    """A variable symbol as banks send it ("0000012345", "VS:12345") compared as stored ("12345")."""
    digits = value if value.isdigit() else "".join(ch for ch in value if ch.isdigit())
    return digits.lstrip("0") if len(digits) <= VARIABLE_SYMBOL_DIGITS else ""


def creditor_reference_from(body: str) -> str:
    """ISO 11649 structured creditor reference "RF" + two check digits + up to 21 letters and digits."""
    body = "".join(ch for ch in body.upper() if ch.isalnum())[-21:]
    check = mod_97_10.calc_check_digits(body + "RF")
    reference = f"RF{check}{body}"
    iso11649.validate(reference)
    return reference


def creditor_reference_normalise(value: str) -> str:
    """"RF18 5390 0754 7034" → "RF18539007547034", or "" when it is not a valid creditor reference."""
    compact = iso11649.compact(value)
    return compact if iso11649.is_valid(compact) else ""


def reference_for_country(*, country: str, variable_symbol: str, creditor_reference: str) -> str:
    """The reference a customer in `country` is asked to quote."""
    return variable_symbol if country.upper() in VARIABLE_SYMBOL_COUNTRIES else creditor_reference
