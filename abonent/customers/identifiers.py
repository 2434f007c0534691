"""Phone numbers, tax identifiers and bank accounts: normalised and checked by the libraries that know them."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import vatin
from stdnum.cz import dic as cz_dic
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip as pl_nip
from stdnum.ro import cui as ro_cui
from stdnum.ru import inn as ru_inn

from abonent.core.services import AbonentError

# The national company/tax number each country's customers carry (IČO, NIP, CUI, ИНН).
TAX_ID_MODULES = {"CZ": cz_dic, "PL": pl_nip, "RO": ro_cui, "RU": ru_inn}
TAX_ID_NAMES = {"CZ": "IČO", "PL": "NIP", "RO": "CUI", "RU": "ИНН"}


class InvalidIdentifier(AbonentError):
    pass


def phone_normalise(raw: str, *, country: str) -> str:
    """Return the number in E.164 (+420601234567), reading national numbers as `country`'s."""
    try:
        number = phonenumbers.parse(raw, country.upper() or None)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier(_("“%(value)s” is not a phone number.") % {"value": raw}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(_("“%(value)s” is not a valid phone number.") % {"value": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def tax_id_normalise(raw: str, *, country: str) -> str:
    """Check a national tax identifier of `country` and return it without spaces."""
    country = country.upper()
    module = TAX_ID_MODULES.get(country)
    if module is None:
        return raw.strip()
    try:
        number = module.validate(raw)
    except StdnumError:
        number = ""
    # python-stdnum checks IČO through the DIČ validator, which also takes 9-10 digit personal numbers.
    if number and (country != "CZ" or len(number) == 8):
        return number
    raise InvalidIdentifier(
        _("“%(value)s” is not a valid %(name)s.") % {"value": raw, "name": TAX_ID_NAMES[country]}
    )


def vat_id_normalise(raw: str) -> str:
    """Check an EU VAT number with its country prefix (CZ12345678)."""
    try:
        return vatin.validate(raw)
    except StdnumError:
        raise InvalidIdentifier(_("“%(value)s” is not a valid VAT number.") % {"value": raw}) from None


def iban_normalise(raw: str) -> str:
    """Check an IBAN, and the national account number inside it where the country has a check, and compact it."""
    try:
        return IBAN(raw, validate_bban=True).compact
    except SchwiftyException:
        raise InvalidIdentifier(_("“%(value)s” is not a valid IBAN.") % {"value": raw}) from None
