"""Phone numbers, tax identifiers and bank accounts: normalised and checked by the libraries that know them."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
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


def bic_normalise(raw: str) -> str:
    """Check a SWIFT/BIC code (8 or 11 characters) and return it in capitals."""
    try:
        return str(BIC(raw.strip().upper().replace(" ", "")))
    except SchwiftyException:
        raise InvalidIdentifier(_("“%(value)s” is not a valid BIC.") % {"value": raw}) from None


# Countries whose customers pay from domestic account numbers rather than IBANs.
DOMESTIC_ACCOUNT_COUNTRIES = frozenset({"RU"})


def ru_account_normalise(raw: str, *, bik: str) -> tuple[str, str]:
    """Check a Russian settlement account (20 digits) against its bank's БИК (9 digits) and return both.

    The account's control digit is checked the Bank of Russia's way: the last three digits of the БИК and
    the 20 account digits, weighted 7, 1, 3 in turn, sum to a multiple of ten.
    """
    account = "".join(raw.split())
    bik = "".join(bik.split())
    if not (bik.isdigit() and len(bik) == 9):
        raise InvalidIdentifier(_("“%(value)s” is not a valid БИК: it has 9 digits.") % {"value": bik})
    if not (account.isdigit() and len(account) == 20):
        raise InvalidIdentifier(_("“%(value)s” is not an account number: it has 20 digits.") % {"value": raw})
    digits = bik[-3:] + account
    if sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10:
        raise InvalidIdentifier(
            _("The account number “%(value)s” does not match the bank's БИК %(bik)s.") % {"value": raw, "bik": bik}
        )
    return account, bik
