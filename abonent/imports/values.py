"""How one cell is read: phones, e-mails, tax IDs, bank accounts, countries, yes / no, dates, choices.

The checks are the customer record's own (`customers.identifiers`, `email_normalise`); what is added here is
speed, since an import checks a hundred thousand of each: results are cached per (value, country), and the
common shapes of phone numbers, e-mail addresses, IBANs and tax IDs take a short path whose answer is the
libraries' own (phonenumbers' validity from patterns compiled once in `phone_patterns`, schwifty's checks made
without its objects in `iban_rules`, stdnum's check digits of plain numbers in `check_digits`). A short path that
is unsure leaves the value to the library.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import lru_cache

import phonenumbers
from babel import Locale
from django.utils.translation import gettext as _
from email_validator import SPECIAL_USE_DOMAIN_NAMES

from abonent.customers.identifiers import (
    InvalidIdentifier,
    iban_normalise,
    phone_normalise,
    tax_id_normalise,
    vat_id_normalise,
)
from abonent.customers.services import email_normalise
from abonent.imports.check_digits import tax_id_valid
from abonent.imports.iban_rules import iban_valid
from abonent.imports.phone_patterns import phone_number_valid

CACHE = 1 << 18  # distinct values remembered per kind: a 100,000-row file fits


# --- phones ---------------------------------------------------------------------------------------------

_PHONE_NOISE = str.maketrans("", "", " \u00a0-./()\t")


@lru_cache(maxsize=300)
def _dials_out_with_00(country: str) -> bool:
    """Whether 00 starts an international number dialled from `country` (not in Russia, 8~10, or the US, 011)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    return bool(metadata and metadata.international_prefix and re.fullmatch(metadata.international_prefix, "00"))


def _phone_fast(raw: str, country: str) -> str | None:
    """E.164 for plainly written numbers (+420 601 123 456, 601123456, 0721 234 567), None when unsure.

    Only a number that phonenumbers would confirm valid is returned (`phone_number_valid` gives its answer without
    its cost); anything else takes the full parse.
    """
    digits = raw.translate(_PHONE_NOISE)
    if digits.startswith("+"):
        digits = digits[1:]
        international = True
    elif digits.startswith("00") and _dials_out_with_00(country):
        digits = digits[2:]
        international = True
    else:
        international = False
    if not (digits.isascii() and digits.isdigit()) or not 6 <= len(digits) <= 15:
        return None  # other scripts' digits (٦٠١, ６０１, ²) are the library's to read
    if international and digits.startswith("0"):
        return None  # no country code starts with 0: the full parse says why the number is wrong
    if international:
        for size in (1, 2, 3):
            code = int(digits[:size])
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                national = digits[size:]
                break
        else:
            return None
    else:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
        if metadata is None or metadata.country_code is None:
            return None
        code, national = metadata.country_code, digits
        prefix = metadata.national_prefix
        if prefix and national.startswith(prefix):
            national = national[len(prefix):]
    if not national or national.startswith("0"):
        return None  # leading zeros (Italy) and odd national prefixes: the full parse knows them
    if phone_number_valid(code, national):
        return f"+{code}{national}"
    return None


@lru_cache(maxsize=CACHE)
def phone_clean(raw: str, country: str) -> str:
    """Return the number in E.164, reading national numbers as `country`'s; raise InvalidIdentifier."""
    raw = raw.strip()
    return _phone_fast(raw, country) or phone_normalise(raw, country=country)


# --- e-mail ---------------------------------------------------------------------------------------------

# Plain ASCII addresses that email-validator would accept as they are; anything else is asked of it.
_EMAIL_FAST = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_SPECIAL = tuple(SPECIAL_USE_DOMAIN_NAMES)


@lru_cache(maxsize=CACHE)
def email_clean(raw: str) -> str:
    """Return the address in lower case; raise InvalidIdentifier when it is not one."""
    text = raw.strip().lower()
    if (_EMAIL_FAST.fullmatch(text) and len(text) <= 254 and text.index("@") <= 64
            and text.rsplit(".", 1)[-1] not in _SPECIAL and "--" not in text.partition("@")[2]):
        return text
    return email_normalise(raw)


# --- identifiers ----------------------------------------------------------------------------------------


@lru_cache(maxsize=CACHE)
def tax_id_clean(raw: str, country: str) -> str:
    """Check a national tax ID; a Czech IČO that lost its leading zeros in a spreadsheet gets them back."""
    raw = raw.strip()
    if country == "CZ" and raw.isdigit() and len(raw) < 8:
        raw = raw.zfill(8)
    if tax_id_valid(raw, country):
        return raw
    return tax_id_normalise(raw, country=country)


@lru_cache(maxsize=64)
def _vat_module(prefix: str):
    from stdnum import get_cc_module

    return get_cc_module(prefix.lower(), "vat") if prefix.isalpha() and prefix.isascii() else None


@lru_cache(maxsize=CACHE)
def vat_id_clean(raw: str) -> str:
    """Check an EU VAT number with its country prefix; the country's own module directly (what
    stdnum.vatin does after looking it up each time), the general check for anything unusual."""
    text = raw.strip()
    module = _vat_module(text[:2].upper()) if len(text) > 2 else None
    if module is not None and text[:2].upper() not in ("EL", "XI"):
        try:
            return text[:2].upper() + module.validate(text[2:])
        except Exception:  # noqa: BLE001, S110 - stdnum's own errors: the general check below says why
            pass
    return vat_id_normalise(text)


_CZ_ACCOUNT = re.compile(r"(?:(\d{1,6})-)?(\d{2,10})/(\d{4})")


@lru_cache(maxsize=CACHE)
def iban_clean(raw: str) -> str:
    """Return a compact IBAN; a Czech account number (19-2000145399/0800) becomes its IBAN."""
    text = "".join(raw.split())
    czech = _CZ_ACCOUNT.fullmatch(text)
    if czech:
        prefix, number, bank = czech.groups()
        bban = bank + (prefix or "").zfill(6) + number.zfill(10)
        check = 98 - int(bban + "123500") % 97  # "CZ00" moved to the end, letters as numbers (C=12, Z=35)
        iban = f"CZ{check:02d}{bban}"
        if iban_valid(iban):
            return iban
        try:
            return iban_normalise(iban)
        except InvalidIdentifier:
            raise InvalidIdentifier(_("“%(value)s” is not a valid bank account number.") % {"value": raw}) from None
    compact = text.upper()
    if iban_valid(compact):
        return compact
    return iban_normalise(raw.strip())


# --- countries ------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum())


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for language in ("en", "cs", "pl", "ro", "ru", "de", "sk", "uk"):
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_fold(name), code)
    for country in pycountry.countries:
        names.setdefault(_fold(country.alpha_3), country.alpha_2)
        names.setdefault(_fold(country.name), country.alpha_2)
        for attr in ("official_name", "common_name"):
            if getattr(country, attr, None):
                names.setdefault(_fold(getattr(country, attr)), country.alpha_2)
    aliases = {
        "ČR": "CZ", "Czech Republic": "CZ", "Česká republika": "CZ", "Česko": "CZ", "Czechy": "CZ",
        "SR": "SK", "Slovensko": "SK", "RP": "PL", "Polska": "PL", "România": "RO", "Romania": "RO",
        "Россия": "RU", "РФ": "RU", "Российская Федерация": "RU", "USA": "US", "U.S.A.": "US", "U.S.": "US",
        "United States of America": "US", "UK": "GB", "Great Britain": "GB", "England": "GB",
        "Deutschland": "DE", "Österreich": "AT", "Magyarország": "HU", "Україна": "UA",
    }
    for alias, code in aliases.items():
        names[_fold(alias)] = code
    return names


@lru_cache(maxsize=4096)
def country_code(raw: str) -> str | None:
    """Return the ISO code of a country written as a code (CZ, CZE) or a name in a common language."""
    text = raw.strip()
    if len(text) == 2 and text.isalpha() and text.isascii():
        code = text.upper()
        return code if code in _known_codes() else None
    return _country_names().get(_fold(text))


@lru_cache(maxsize=1)
def _known_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


# --- words ----------------------------------------------------------------------------------------------

YES = {"1", "y", "yes", "true", "t", "x", "ano", "a", "tak", "da", "д", "да", "oui", "ja", "wahr", "prawda",
       "adevarat"}
NO = {"0", "n", "no", "false", "f", "ne", "nie", "nu", "нет", "н", "non", "nein", "falsz", "fals"}


def boolean_clean(raw: str) -> bool | None:
    """Yes or no in the five languages (1/0, yes/no, ano/ne, tak/nie, da/nu, да/нет); None when unclear."""
    key = _fold(raw)
    if key in YES:
        return True
    if key in NO:
        return False
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d. %m. %Y", "%d/%m/%Y", "%d.%m.%y", "%Y/%m/%d", "%Y.%m.%d")


@lru_cache(maxsize=CACHE)
def date_clean(raw: str) -> dt.date:
    """Read a date written as 2024-03-01, 1.3.2024, 1. 3. 2024 or 01/03/2024 (day first); raise ValueError."""
    text = raw.strip()
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]  # 2024-03-01T00:00:00 from a database or a spreadsheet
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValueError(text)


# --- cells holding several values -----------------------------------------------------------------------

_SPLIT = re.compile(r"[,;\n]+")


def cell_values(raw: str, *, split: bool = True) -> list[str]:
    """The values of one cell: a JSON list (Krayin: [{"label": "work", "value": "..."}]) or separated by , ; or
    new lines."""
    text = raw.strip()
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            values = []
            for item in items:
                value = item.get("value", "") if isinstance(item, dict) else item
                if value not in (None, ""):
                    values.append(str(value).strip())
            return [v for v in values if v]
    if not split:
        return [text]
    return [v.strip() for v in _SPLIT.split(text) if v.strip()]


def undefuse(text: str) -> str:
    """Drop the quote that Abonent's exports (and spreadsheets) put before a cell starting with = + - @."""
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text
