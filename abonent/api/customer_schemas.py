"""What the customers API reads and writes. Inputs refuse unknown fields, so a typo is a 422, not a no-op."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from abonent.customers.models import AddressKind, ContactKind, PartyKind, Stage


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


# --- out -------------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


class CustomerSummaryOut(Schema):
    """A row of the customers list."""

    id: int
    kind: str
    name: str
    first_name: str
    last_name: str
    country: str
    stage: str
    email: str
    phone: str
    tax_id: str
    vat_id: str
    iban: str
    city: str
    sales_rep: PersonRef | None
    external_ref: str
    created_at: dt.datetime


class ContactOut(Schema):
    id: int
    kind: str
    value: str
    label: str
    is_primary: bool


class AddressOut(Schema):
    id: int
    kind: str
    street: str
    city: str
    postal_code: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_primary: bool


class BankAccountOut(Schema):
    id: int
    iban: str
    account_number: str
    bic: str
    label: str
    is_primary: bool


class AttributeOut(Schema):
    code: str
    label: str
    type: str
    required: bool
    value: Any = Field(None, description="The stored value: text (or {language: text}), number, date, choice "
                                         "code or boolean; null when unset.")
    text: str = Field(description="The value as a person reads it, in the caller's language.")
    active_from: dt.date | None
    active_to: dt.date | None


class PlacementOut(Schema):
    structure: str = Field(description="The structure's code.")
    structure_name: str
    node_id: int
    node_name: str
    path: str
    active_from: dt.date
    active_to: dt.date | None


class CustomerOut(CustomerSummaryOut):
    """The customer with what belongs to it; attributes and placements are those in force on the day asked."""

    call_center_status: PersonRef | None
    tags: list[str]
    contacts: list[ContactOut]
    addresses: list[AddressOut]
    bank_accounts: list[BankAccountOut]
    attributes: list[AttributeOut]
    placements: list[PlacementOut]


class StageChangeOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    at: dt.datetime
    reason: str
    by: str


class HistoryEntryOut(Schema):
    id: int
    at: dt.datetime
    actor: str = Field(description="Who made the change, as named when it was made.")
    actor_id: int | None
    channel: str = Field(description="ui, api, import, portal or system.")
    action: str
    target_type: str | None
    target_id: str
    target_label: str
    subject_id: str = Field(description="The customer whose history holds it: another id for a merged duplicate.")
    changes: dict[str, list[Any]] = Field(description="field → [old, new]")
    note: str


class MergedOut(Schema):
    detail: str
    merged_into: int


class FieldErrorOut(Schema):
    field: str | None
    detail: str


class InvalidOut(Schema):
    detail: str = Field(description="The first problem, as a person reads it.")
    field: str | None = Field(description="The input field it is about, when it is about one.")
    errors: list[FieldErrorOut]


# --- in --------------------------------------------------------------------------------------------


class CustomerIn(StrictIn):
    kind: PartyKind = PartyKind.PERSON
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    name: str = Field("", max_length=200, description="An organisation's name; a person's is their first and last.")
    country: str = Field(min_length=2, max_length=2, description="ISO 3166 code, e.g. CZ.")
    phone: str = Field("", max_length=40, description="National numbers are read as the country's.")
    email: str = Field("", max_length=254)
    tax_id: str = Field("", max_length=20, description="IČO, NIP, CUI or ИНН, checked for the country.")
    vat_id: str = Field("", max_length=20)
    iban: str = Field("", max_length=42)
    stage: Stage = Stage.PROSPECT
    sales_rep: int | None = Field(None, description="The id of an active sales rep or manager.")
    call_center_status: int | None = None
    external_ref: str = Field("", max_length=64, description="Your system's id for the customer; unique.")
    tags: list[str] = []


class CustomerPatch(StrictIn):
    """Send only what changes. Stage, contacts, addresses and bank accounts have their own endpoints."""

    kind: PartyKind | None = None
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    name: str | None = Field(None, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    tax_id: str | None = Field(None, max_length=20)
    vat_id: str | None = Field(None, max_length=20)
    sales_rep: int | None = None
    call_center_status: int | None = None
    external_ref: str | None = Field(None, max_length=64)
    tags: list[str] | None = Field(None, description="The complete set of tags the customer has afterwards.")


class StageIn(StrictIn):
    stage: Stage
    reason: str = Field("", max_length=300, description="Required when the customer leaves (former).")


class ContactIn(StrictIn):
    kind: ContactKind
    value: str = Field(max_length=254)
    label: str = Field("", max_length=60)
    is_primary: bool = False


class ContactPatch(StrictIn):
    value: str | None = Field(None, max_length=254)
    label: str | None = Field(None, max_length=60)
    is_primary: bool | None = Field(None, description="true makes it the primary of its kind.")


class AddressIn(StrictIn):
    kind: AddressKind = AddressKind.REGISTERED
    street: str = Field(max_length=200)
    city: str = Field(max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field("", max_length=2, description="Defaults to the customer's country.")
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_primary: bool = False


class AddressPatch(StrictIn):
    kind: AddressKind | None = None
    street: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    postal_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_primary: bool | None = None


class BankAccountIn(StrictIn):
    iban: str = Field("", max_length=42)
    account_number: str = Field("", max_length=40, description="Only where there is no IBAN (Russia), with the БИК.")
    bic: str = Field("", max_length=20)
    label: str = Field("", max_length=60)
    is_primary: bool = False


class BankAccountPatch(StrictIn):
    iban: str | None = Field(None, max_length=42)
    account_number: str | None = Field(None, max_length=40)
    bic: str | None = Field(None, max_length=20)
    label: str | None = Field(None, max_length=60)
    is_primary: bool | None = None
