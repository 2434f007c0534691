"""Check digits of tax IDs written as plain digits, computed as python-stdnum computes them.

An import checks a tax ID in most rows, and stdnum spends 15-35 µs on one, most of it cleaning the text
(separators, Unicode dashes, a country prefix) that a plain number does not need. The rules below are stdnum's
(cz/dic.py, pl/nip.py, ro/cui.py, ru/inn.py), with what `customers.identifiers.tax_id_normalise` adds: an IČO
has 8 digits, though the Czech validator also takes personal numbers. Anything else is left to stdnum.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import mul


def weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    """Sum each ASCII digit times its weight, as far as both go, read from the character codes (48 is "0")."""
    return sum(map(mul, weights, digits.encode())) - 48 * sum(weights[:len(digits)])


def _czech_ico(number: str) -> bool:
    if len(number) != 8 or number[0] == "9":
        return False
    check = (11 - weighted_sum(number[:7], (8, 7, 6, 5, 4, 3, 2))) % 11
    return number[7] == str((check or 1) % 10)


def _polish_nip(number: str) -> bool:
    return len(number) == 10 and weighted_sum(number, (6, 5, 7, 2, 3, 4, 5, 6, 7, -1)) % 11 == 0


def _romanian_cui(number: str) -> bool:
    if number[0] == "0" or not 2 <= len(number) <= 10:
        return False
    check = 10 * weighted_sum(number[:-1].zfill(9), (7, 5, 3, 2, 1, 7, 5, 3, 2))
    return number[-1] == str(check % 11 % 10)


def _russian_inn(number: str) -> bool:
    if len(number) == 10:
        return number[9] == str(weighted_sum(number, (2, 4, 10, 3, 5, 9, 4, 6, 8)) % 11 % 10)
    if len(number) == 12:
        first = str(weighted_sum(number, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) % 11 % 10)
        second = str(weighted_sum(number[:10] + first, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) % 11 % 10)
        return number[10:] == first + second
    return False


_TAX_IDS: dict[str, Callable[[str], bool]] = {"CZ": _czech_ico, "PL": _polish_nip, "RO": _romanian_cui,
                                              "RU": _russian_inn}


def tax_id_valid(number: str, country: str) -> bool | None:
    """Return whether `tax_id_normalise` accepts `number` as it is; None when it is not plain ASCII digits or the
    country is not one of those above."""
    rule = _TAX_IDS.get(country.upper())
    if rule is None or not (number.isascii() and number.isdigit()):
        return None
    return rule(number)
