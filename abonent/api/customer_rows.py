"""A customer's contacts, addresses and bank accounts through the API: add, change, remove.

Input is checked by the same forms as the contacts tab, then written by `contact_services` (which checks
again, keeps one primary of each kind and records the history).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from abonent.api.auth import require
from abonent.api.customer_schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    BankAccountIn,
    BankAccountOut,
    BankAccountPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    InvalidOut,
    MergedOut,
)
from abonent.api.customers import live_party
from abonent.api.errors import cleaned, refused_on
from abonent.api.schemas import ErrorOut
from abonent.core.models import Channel
from abonent.core.roles import Access
from abonent.customers import contact_services
from abonent.customers.forms import AddressForm, BankAccountForm, ContactForm
from abonent.customers.models import Address, BankAccount, ContactPoint, Party

router = Router(tags=["customers"])

REFUSALS = {403: ErrorOut, 404: ErrorOut, 409: MergedOut, 422: InvalidOut}
REMOVED = {204: None, 403: ErrorOut, 404: ErrorOut, 409: MergedOut}


def _writable(request: HttpRequest, customer_id: int) -> Party:
    require(request, "customers", Access.WRITE)
    return live_party(customer_id)


def _row(model: type[models.Model], party: Party, row_id: int) -> Any:
    row = model.objects.filter(pk=row_id, party=party).first()
    if row is None:
        raise HttpError(404, _("The customer has no such %(what)s.") % {"what": model._meta.verbose_name})
    row.party = party
    return row


def _patched(row: models.Model, patch: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The row's stored values with the sent ones over them: what the edit form would have held."""
    return {**{f: getattr(row, f) for f in fields}, **patch}


def _refused_field(row: Any, patch: dict[str, Any], otherwise: str | None) -> str | None:
    # The services refuse to demote the primary (make another one primary instead) and duplicates.
    return "is_primary" if row.is_primary and patch.get("is_primary") is False else otherwise


# --- contacts --------------------------------------------------------------------------------------

CONTACT_FIELDS = ("kind", "value", "label", "is_primary")


@router.post("/{int:customer_id}/contacts", response={201: ContactOut, **REFUSALS}, url_name="customer_contact_add")
def contact_add(request: HttpRequest, customer_id: int, payload: ContactIn):
    """Add a phone (E.164; national numbers read as the customer's country's) or an e-mail address."""
    party = _writable(request, customer_id)
    values = cleaned(ContactForm(payload.model_dump(mode="json"), party=party))
    with refused_on("value"):
        row = contact_services.contact_add(party=party, by=request.auth, channel=Channel.API,
                                           **{f: values[f] for f in CONTACT_FIELDS})
    return Status(201, row)


@router.patch("/{int:customer_id}/contacts/{int:contact_id}", response={200: ContactOut, **REFUSALS},
              url_name="customer_contact_change")
def contact_change(request: HttpRequest, customer_id: int, contact_id: int, payload: ContactPatch):
    """Change a contact's value or label, or make it primary (its kind stays)."""
    party = _writable(request, customer_id)
    row = _row(ContactPoint, party, contact_id)
    patch = payload.model_dump(mode="json", exclude_unset=True)
    form = ContactForm(_patched(row, patch, CONTACT_FIELDS), party=party, editing=True, initial={"kind": row.kind})
    values = cleaned(form)
    with refused_on(_refused_field(row, patch, "value")):
        contact_services.contact_change(contact=row, by=request.auth, channel=Channel.API,
                                        values={f: values[f] for f in patch})
    return row


@router.delete("/{int:customer_id}/contacts/{int:contact_id}", response=REMOVED,
               url_name="customer_contact_remove")
def contact_remove(request: HttpRequest, customer_id: int, contact_id: int):
    """Remove a contact; the oldest other one of its kind becomes primary if it was."""
    party = _writable(request, customer_id)
    contact_services.contact_remove(contact=_row(ContactPoint, party, contact_id), by=request.auth,
                                    channel=Channel.API)
    return Status(204, None)


# --- addresses -------------------------------------------------------------------------------------

ADDRESS_FIELDS = ("kind", "street", "postal_code", "city", "country", "latitude", "longitude", "is_primary")


@router.post("/{int:customer_id}/addresses", response={201: AddressOut, **REFUSALS}, url_name="customer_address_add")
def address_add(request: HttpRequest, customer_id: int, payload: AddressIn):
    """Add an address (in the customer's country unless another is given); the first one becomes primary."""
    party = _writable(request, customer_id)
    data = payload.model_dump(mode="json")
    data["country"] = (data["country"] or party.country).upper()
    values = cleaned(AddressForm(data, party=party))
    with refused_on(None):
        row = contact_services.address_add(party=party, by=request.auth, channel=Channel.API,
                                           **{f: values[f] for f in ADDRESS_FIELDS})
    return Status(201, row)


@router.patch("/{int:customer_id}/addresses/{int:address_id}", response={200: AddressOut, **REFUSALS},
              url_name="customer_address_change")
def address_change(request: HttpRequest, customer_id: int, address_id: int, payload: AddressPatch):
    party = _writable(request, customer_id)
    row = _row(Address, party, address_id)
    patch = payload.model_dump(mode="json", exclude_unset=True)
    if patch.get("country"):
        patch["country"] = patch["country"].upper()
    values = cleaned(AddressForm(_patched(row, patch, ADDRESS_FIELDS), party=party))
    sent = set(patch)
    if sent & {"latitude", "longitude"}:
        sent |= {"latitude", "longitude"}  # a position is changed whole
    with refused_on(_refused_field(row, patch, None)):
        contact_services.address_change(address=row, by=request.auth, channel=Channel.API,
                                        values={f: values[f] for f in sent})
    return row


@router.delete("/{int:customer_id}/addresses/{int:address_id}", response=REMOVED,
               url_name="customer_address_remove")
def address_remove(request: HttpRequest, customer_id: int, address_id: int):
    party = _writable(request, customer_id)
    contact_services.address_remove(address=_row(Address, party, address_id), by=request.auth, channel=Channel.API)
    return Status(204, None)


# --- bank accounts ---------------------------------------------------------------------------------

BANK_ACCOUNT_FIELDS = ("iban", "account_number", "bic", "label", "is_primary")


@router.post("/{int:customer_id}/bank-accounts", response={201: BankAccountOut, **REFUSALS},
             url_name="customer_bank_account_add")
def bank_account_add(request: HttpRequest, customer_id: int, payload: BankAccountIn):
    """Add an IBAN (with an optional BIC), or for Russian customers a domestic account number with its БИК."""
    party = _writable(request, customer_id)
    values = cleaned(BankAccountForm(payload.model_dump(mode="json"), party=party))
    with refused_on("iban" if values["iban"] else "account_number"):
        row = contact_services.bank_account_add(party=party, by=request.auth, channel=Channel.API,
                                                **{f: values[f] for f in BANK_ACCOUNT_FIELDS})
    return Status(201, row)


@router.patch("/{int:customer_id}/bank-accounts/{int:account_id}", response={200: BankAccountOut, **REFUSALS},
              url_name="customer_bank_account_change")
def bank_account_change(request: HttpRequest, customer_id: int, account_id: int, payload: BankAccountPatch):
    party = _writable(request, customer_id)
    row = _row(BankAccount, party, account_id)
    patch = payload.model_dump(mode="json", exclude_unset=True)
    values = cleaned(BankAccountForm(_patched(row, patch, BANK_ACCOUNT_FIELDS), party=party))
    with refused_on(_refused_field(row, patch, "iban" if values["iban"] else "account_number")):
        contact_services.bank_account_change(account=row, by=request.auth, channel=Channel.API,
                                             values={f: values[f] for f in patch})
    return row


@router.delete("/{int:customer_id}/bank-accounts/{int:account_id}", response=REMOVED,
               url_name="customer_bank_account_remove")
def bank_account_remove(request: HttpRequest, customer_id: int, account_id: int):
    party = _writable(request, customer_id)
    contact_services.bank_account_remove(account=_row(BankAccount, party, account_id), by=request.auth,
                                         channel=Channel.API)
    return Status(204, None)
