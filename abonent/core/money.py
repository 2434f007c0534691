"""Money: a Decimal with an explicit currency, shown in the user's locale."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import translation

# Babel names locales with an underscore and a territory; the UI languages map to these.
BABEL_LOCALES = {"en": "en_GB", "cs": "cs_CZ", "pl": "pl_PL", "ro": "ro_RO", "ru": "ru_RU"}


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal, never a float")
        if self.currency not in settings.CURRENCIES:
            raise ValueError(f"Unsupported currency {self.currency!r}")

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES.get((language or translation.get_language() or "en")[:2], "en_GB")


# CLDR's currency spacing, which Babel does not apply: a currency written with letters (a code
# such as "CZK") is kept apart from the digits by a no-break space, so English reads
# "CZK 1,234.50" and not "CZK1,234.50"; symbols such as "€" stay attached.
LETTERS_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
DIGIT_THEN_LETTERS = re.compile(r"(?<=\d)(?=[^\W\d_])")


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """Format an amount with its currency the way the user's language writes it."""
    formatted = format_currency(amount, currency, locale=babel_locale(language))
    formatted = LETTERS_THEN_DIGIT.sub("\xa0", formatted, count=1)
    return DIGIT_THEN_LETTERS.sub("\xa0", formatted, count=1)


def format_number(value: Decimal | int, language: str | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language))
