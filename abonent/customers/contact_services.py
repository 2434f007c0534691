"""Writes about a party's contacts (phones, e-mails), addresses and bank accounts.

Each kind keeps at most one primary row (one per kind for contacts); the first row added becomes primary,
and removing the primary promotes the oldest remaining one. The party repeats the primary phone, e-mail,
IBAN and city in its own columns for lists and search; these services keep them in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.services import AbonentError, changed_fields
from abonent.customers.identifiers import (
    DOMESTIC_ACCOUNT_COUNTRIES,
    InvalidIdentifier,
    bic_normalise,
    iban_normalise,
    phone_normalise,
    ru_account_normalise,
)
from abonent.customers.models import Address, AddressKind, BankAccount, ContactKind, ContactPoint, Party
from abonent.customers.services import assert_not_merged, audit_party_change, email_normalise
from abonent.customers.tracking import ADDRESS_FIELDS, BANK_ACCOUNT_FIELDS, CONTACT_FIELDS

# --- what the three kinds of row have in common ----------------------------------------------------


def _siblings(row: models.Model) -> models.QuerySet:
    """The rows among which `row` may be the one primary."""
    rows = type(row).objects.filter(party_id=row.party_id)
    if isinstance(row, ContactPoint):
        rows = rows.filter(kind=row.kind)
    return rows


def _entity(row: models.Model) -> tuple[str, str, tuple[str, ...]]:
    """(tracking entity, audit noun, tracked fields) of a row."""
    if isinstance(row, ContactPoint):
        return "contact", "contact", CONTACT_FIELDS
    if isinstance(row, Address):
        return "address", "address", ADDRESS_FIELDS
    return "bank_account", "bank_account", BANK_ACCOUNT_FIELDS


def _audit(row, *, verb: str, changes, by, channel, now) -> None:
    entity, noun, _fields = _entity(row)
    audit_party_change(by=by, action=f"abonent.customers.{noun}.{verb}", party=row.party, target=row, entity=entity,
                       changes=changes, channel=channel, now=now)


def _demote_other_primary(row, *, by, channel, now) -> None:
    for other in _siblings(row).filter(is_primary=True).exclude(pk=row.pk):
        other.is_primary = False
        other.save(update_fields=["is_primary"])
        _audit(other, verb="changed", changes={"is_primary": (True, False)}, by=by, channel=channel, now=now)


def party_sync_primaries(party: Party) -> None:
    """Copy the primary phone, e-mail, IBAN and city onto the party."""
    primary_contacts = dict(
        ContactPoint.objects.filter(party=party, is_primary=True).values_list("kind", "value")
    )
    account = BankAccount.objects.filter(party=party, is_primary=True).first()
    address = Address.objects.filter(party=party, is_primary=True).first()
    values = {
        "phone": primary_contacts.get(ContactKind.PHONE, "")[:20],
        "email": primary_contacts.get(ContactKind.EMAIL, ""),
        "iban": account.iban if account else "",
        "city": address.city if address else "",
    }
    changed = {field: new for field, (_old, new) in changed_fields(party, values).items()}
    if changed:
        for field, value in changed.items():
            setattr(party, field, value)
        party.save(update_fields=list(changed))


def _add(row, *, fields: tuple[str, ...], by, channel, now):
    assert_not_merged(row.party)
    with transaction.atomic():
        siblings = _siblings(row)
        if not siblings.exists():
            row.is_primary = True
        if row.is_primary:
            _demote_other_primary(row, by=by, channel=channel, now=now)
        row.save()
        _audit(row, verb="added", by=by, channel=channel, now=now,
               changes={f: (None, getattr(row, f)) for f in fields if getattr(row, f) not in ("", None, False)})
        party_sync_primaries(row.party)
    return row


def _change(row, *, values: Mapping[str, Any], by, channel, now):
    assert_not_merged(row.party)
    changes = changed_fields(row, values)
    if changes.get("is_primary") == (True, False):
        raise AbonentError(_("Make another one primary instead."))
    if not changes:
        return row
    with transaction.atomic():
        for field, (_old, new) in changes.items():
            setattr(row, field, new)
        if changes.get("is_primary") == (False, True):
            _demote_other_primary(row, by=by, channel=channel, now=now)
        row.save(update_fields=list(changes))
        _audit(row, verb="changed", changes=changes, by=by, channel=channel, now=now)
        party_sync_primaries(row.party)
    return row


def _remove(row, *, fields: tuple[str, ...], by, channel, now) -> None:
    assert_not_merged(row.party)
    with transaction.atomic():
        party = row.party
        _audit(row, verb="removed", by=by, channel=channel, now=now,
               changes={f: (getattr(row, f), None) for f in fields if getattr(row, f) not in ("", None, False)})
        was_primary = row.is_primary
        siblings = _siblings(row).exclude(pk=row.pk)
        row.delete()
        successor = siblings.order_by("id").first() if was_primary else None
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
            _audit(successor, verb="changed", changes={"is_primary": (False, True)}, by=by, channel=channel, now=now)
        party_sync_primaries(party)


# --- contacts --------------------------------------------------------------------------------------


def contact_value_normalise(*, kind: str, value: str, country: str) -> str:
    """A phone in E.164 (national numbers read as the party's country's), an e-mail in lower case."""
    if not value.strip():
        raise InvalidIdentifier(_("Type the phone number or e-mail address."))
    if kind == ContactKind.PHONE:
        return phone_normalise(value, country=country)
    if kind == ContactKind.EMAIL:
        return email_normalise(value)
    raise AbonentError(_("“%(kind)s” is not a kind of contact.") % {"kind": kind})


def contact_add(
    *, party: Party, kind: str, value: str, by, label: str = "", is_primary: bool = False,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> ContactPoint:
    """Add a phone number or an e-mail address to the party."""
    value = contact_value_normalise(kind=kind, value=value, country=party.country)
    if ContactPoint.objects.filter(party=party, kind=kind, value=value).exists():
        raise AbonentError(_("The customer already has %(value)s.") % {"value": value})
    row = ContactPoint(party=party, kind=kind, value=value, label=label.strip(), is_primary=is_primary)
    return _add(row, fields=CONTACT_FIELDS, by=by, channel=channel, now=now or timezone.now())


def contact_change(
    *, contact: ContactPoint, by, values: Mapping[str, Any], channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> ContactPoint:
    """Change a contact's value, label or make it primary (the kind stays)."""
    values = dict(values)
    if "value" in values:
        values["value"] = contact_value_normalise(kind=contact.kind, value=values["value"],
                                                  country=contact.party.country)
        duplicate = ContactPoint.objects.filter(party_id=contact.party_id, kind=contact.kind, value=values["value"])
        if duplicate.exclude(pk=contact.pk).exists():
            raise AbonentError(_("The customer already has %(value)s.") % {"value": values["value"]})
    if "label" in values:
        values["label"] = values["label"].strip()
    return _change(contact, values=values, by=by, channel=channel, now=now or timezone.now())


def contact_remove(*, contact: ContactPoint, by, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    _remove(contact, fields=CONTACT_FIELDS, by=by, channel=channel, now=now or timezone.now())


# --- addresses -------------------------------------------------------------------------------------


def _coordinate(value: Any, *, limit: int, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise AbonentError(_("The %(name)s must be a number.") % {"name": name}) from None
    if not -limit <= number <= limit:
        raise AbonentError(_("The %(name)s must be between -%(limit)s and %(limit)s.") % {"name": name,
                                                                                        "limit": limit})
    return number


def address_clean(values: Mapping[str, Any], *, party: Party) -> dict[str, Any]:
    """Trim the text, put the country in capitals and check latitude and longitude."""
    clean = dict(values)
    for field in ("street", "city", "postal_code"):
        if field in clean:
            clean[field] = " ".join((clean[field] or "").split())
    if "country" in clean:
        clean["country"] = (clean["country"] or party.country).strip().upper()
    if "kind" in clean and clean["kind"] not in AddressKind.values:
        raise AbonentError(_("“%(kind)s” is not a kind of address.") % {"kind": clean["kind"]})
    if "latitude" in clean:
        clean["latitude"] = _coordinate(clean["latitude"], limit=90, name=_("latitude"))
    if "longitude" in clean:
        clean["longitude"] = _coordinate(clean["longitude"], limit=180, name=_("longitude"))
    if ("latitude" in clean) != ("longitude" in clean) or (clean.get("latitude") is None) != (
        clean.get("longitude") is None
    ):
        raise AbonentError(_("Give both the latitude and the longitude, or neither."))
    if not clean.get("street", "x") or not clean.get("city", "x"):
        raise AbonentError(_("An address needs a street and a city."))
    return clean


def address_add(
    *, party: Party, by, street: str, city: str, kind: str = AddressKind.REGISTERED, postal_code: str = "",
    country: str = "", latitude: Any = None, longitude: Any = None, is_primary: bool = False,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Address:
    """Add an address; the first one becomes the party's primary address (its city shows in the list)."""
    values = address_clean({
        "kind": kind, "street": street, "city": city, "postal_code": postal_code, "country": country,
        "latitude": latitude, "longitude": longitude,
    }, party=party)
    row = Address(party=party, is_primary=is_primary, **values)
    return _add(row, fields=ADDRESS_FIELDS, by=by, channel=channel, now=now or timezone.now())


def address_change(
    *, address: Address, by, values: Mapping[str, Any], channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Address:
    values = address_clean(values, party=address.party)
    return _change(address, values=values, by=by, channel=channel, now=now or timezone.now())


def address_remove(*, address: Address, by, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    _remove(address, fields=ADDRESS_FIELDS, by=by, channel=channel, now=now or timezone.now())


# --- bank accounts ---------------------------------------------------------------------------------


def bank_account_clean(*, country: str, iban: str = "", account_number: str = "", bic: str = "") -> dict[str, str]:
    """An IBAN (with an optional BIC), or where the country has no IBAN a domestic account with its bank code."""
    iban, account_number, bic = iban.strip(), account_number.strip(), bic.strip()
    if iban:
        return {"iban": iban_normalise(iban), "account_number": "", "bic": bic_normalise(bic) if bic else ""}
    if not account_number:
        raise InvalidIdentifier(_("Type the IBAN."))
    if country.upper() not in DOMESTIC_ACCOUNT_COUNTRIES:
        raise InvalidIdentifier(_("Customers in %(country)s pay from an IBAN; type the IBAN.")
                                % {"country": country.upper()})
    account_number, bik = ru_account_normalise(account_number, bik=bic)
    return {"iban": "", "account_number": account_number, "bic": bik}


def bank_account_add(
    *, party: Party, by, iban: str = "", account_number: str = "", bic: str = "", label: str = "",
    is_primary: bool = False, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> BankAccount:
    """Add a bank account: an IBAN, or for Russian customers a domestic account number and БИК."""
    values = bank_account_clean(country=party.country, iban=iban, account_number=account_number, bic=bic)
    existing = BankAccount.objects.filter(party=party, iban=values["iban"], account_number=values["account_number"])
    if existing.exists():
        raise AbonentError(_("The customer already has this bank account."))
    row = BankAccount(party=party, label=label.strip(), is_primary=is_primary, **values)
    return _add(row, fields=BANK_ACCOUNT_FIELDS, by=by, channel=channel, now=now or timezone.now())


def bank_account_change(
    *, account: BankAccount, by, values: Mapping[str, Any], channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> BankAccount:
    values = dict(values)
    if {"iban", "account_number", "bic"} & set(values):
        values.update(bank_account_clean(
            country=account.party.country, iban=values.get("iban", account.iban),
            account_number=values.get("account_number", account.account_number), bic=values.get("bic", account.bic),
        ))
    if "label" in values:
        values["label"] = values["label"].strip()
    return _change(account, values=values, by=by, channel=channel, now=now or timezone.now())


def bank_account_remove(*, account: BankAccount, by, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    _remove(account, fields=BANK_ACCOUNT_FIELDS, by=by, channel=channel, now=now or timezone.now())
