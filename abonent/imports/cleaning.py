"""One row of a file → what the customer record would hold, with every problem found (no database writes).

A `RowCleaner` is built once per batch (it loads the sales reps, statuses, attributes and their choices once)
and then reads row after row in plain Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from abonent.customers.identifiers import InvalidIdentifier
from abonent.customers.models import (
    AttributeDefinition,
    AttributeType,
    CallCenterStatus,
    PartyKind,
    Stage,
)
from abonent.imports.fields import ATTRIBUTE_PREFIX, CUSTOMER_FIELDS
from abonent.imports.reading import MAX_CELL
from abonent.imports.values import (
    _fold,
    boolean_clean,
    cell_values,
    country_code,
    date_clean,
    email_clean,
    iban_clean,
    phone_clean,
    tax_id_clean,
    undefuse,
    vat_id_clean,
)

# Longest values the customer record stores.
LIMITS = {"name": 200, "first_name": 100, "last_name": 100, "organisation": 200, "street": 200, "city": 100,
          "postal_code": 20, "external_id": 64}

# Legal forms that make a name an organisation's: "Alfa s.r.o.", "Polmex sp. z o.o.", "ООО Вектор".
LEGAL_FORM = re.compile(
    r"(?:^|[\s,])(?:s\.\s?r\.\s?o\.|spol\.\s?s\s?r\.\s?o\.|a\.\s?s\.|v\.\s?o\.\s?s\.|k\.\s?s\.|z\.\s?s\.|"
    r"sp\.\s?z\s?o\.\s?o\.|s\.\s?a\.|sp\.\s?j\.|sp\.\s?k\.|s\.\s?r\.\s?l\.|srl|ooo|ооо|оао|зао|пао|ао|ип|"
    r"gmbh|ag|ltd\.?|limited|inc\.?|llc|corp\.?|plc|bv|nv|sarl|sas)$",
    re.IGNORECASE,
)

KIND_WORDS = {
    PartyKind.PERSON: ("person", "individual", "private", "natural person", "osoba", "fyzická osoba", "fo",
                       "soukromá osoba", "osoba fizyczna", "persoană fizică", "pf", "физлицо", "физическое лицо",
                       "частное лицо"),
    PartyKind.ORGANISATION: ("organisation", "organization", "company", "business", "legal entity", "firma",
                             "společnost", "právnická osoba", "po", "organizace", "spółka", "osoba prawna",
                             "companie", "persoană juridică", "pj", "societate", "организация", "компания",
                             "юрлицо", "юридическое лицо"),
}


@lru_cache(maxsize=1)
def _kind_words() -> dict[str, str]:
    return {_fold(word): kind for kind, words in KIND_WORDS.items() for word in words}


@lru_cache(maxsize=1)
def _stage_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in Stage.choices:
                words[_fold(str(label))] = value
    words.update({_fold(value): value for value in Stage.values})
    return words


@dataclass(slots=True)
class RowPlan:
    """What one row says about a customer. `fields` holds only what the row gives (empty cells say nothing)."""

    number: int
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    create_errors: list[str] = field(default_factory=list)  # what stops the row only when it would create
    kind: str = PartyKind.PERSON
    name: str = ""  # the name a new customer would get
    country: str = ""  # the row's country: its own cell, else the import's default
    fields: dict[str, Any] = field(default_factory=dict)  # party columns: name, first_name, ..., sales_rep_id
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    address: dict[str, str] | None = None
    iban: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    attributes: dict[int, dict[str, Any]] = field(default_factory=dict)  # definition id → typed columns
    shown: dict[str, str] = field(default_factory=dict)  # field key → value as stored, for the preview

    @property
    def rejected(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str
    key: str
    type: str
    country: str  # the column's own country for phones and tax IDs, or ""


class RowCleaner:
    """Reads rows of one job: its mapping, its default and per-column countries."""

    def __init__(self, *, headers: Sequence[str], mapping: Mapping[str, str], country_default: str = "",
                 column_countries: Mapping[str, str] | None = None, today: dt.date | None = None) -> None:
        types = {f.key: f.type for f in CUSTOMER_FIELDS}
        self.definitions = {
            d.code: d for d in AttributeDefinition.objects.filter(active=True).prefetch_related("choices")
        }
        column_countries = column_countries or {}
        self.columns: list[Column] = []
        for index, header in enumerate(headers):
            key = mapping.get(header)
            if not key:
                continue
            if key.startswith(ATTRIBUTE_PREFIX):
                if key[len(ATTRIBUTE_PREFIX):] not in self.definitions:
                    continue
                kind = "attribute"
            else:
                kind = types.get(key, "")
                if not kind:
                    continue
            self.columns.append(Column(index, header, key, kind, (column_countries.get(header) or "").upper()))
        self.width = len(headers)
        self.country_default = (country_default or "").upper()
        self.today = today or dt.date.today()
        self.note_columns = sum(c.key == "note" for c in self.columns)
        self.statuses = {_fold(s.name): s.id for s in CallCenterStatus.objects.filter(active=True)}
        self.users = self._user_names()
        self.choices = {
            d.id: {key: choice.id for choice in d.choices.all() if choice.active
                   for key in (_fold(choice.code), *(_fold(v) for v in (choice.label or {}).values()))}
            for d in self.definitions.values() if d.type == AttributeType.CHOICE
        }

    @staticmethod
    def _user_names() -> dict[str, int]:
        names: dict[str, int] = {}
        ambiguous: set[str] = set()
        users = get_user_model().objects.filter(is_active=True).values_list("id", "username", "email", "first_name",
                                                                          "last_name")
        for pk, username, email, first, last in users:
            names[username.casefold()] = pk
            if email:
                names.setdefault(email.casefold(), pk)
            full = f"{first} {last}".strip().casefold()
            if full:
                if full in names and names[full] != pk:
                    ambiguous.add(full)
                names.setdefault(full, pk)
        for full in ambiguous:
            names.pop(full, None)
        return names

    # --- one row ----------------------------------------------------------------------------------------

    def clean(self, number: int, cells: Sequence[str]) -> RowPlan:
        plan = RowPlan(number=number, cells=list(cells))
        errors = plan.errors
        if len(cells) > self.width and any(c.strip() for c in cells[self.width:]):
            errors.append(_("The row has more cells than the file has columns."))
        given: dict[str, list[tuple[Column, str]]] = {}
        for column in self.columns:
            raw = cells[column.index] if column.index < len(cells) else ""
            if not raw or not raw.strip():
                continue
            if len(raw) > MAX_CELL:
                errors.append(_("%(column)s: the cell is longer than %(n)s characters.")
                              % {"column": column.header, "n": f"{MAX_CELL:,}"})
                continue
            given.setdefault(column.key, []).append((column, undefuse(raw.strip())))

        def first(key: str) -> tuple[Column, str] | None:
            return given[key][0] if key in given else None

        # The country first: phones and tax IDs are read as its.
        country = self.country_default
        if found := first("country"):
            column, raw = found
            code = country_code(raw)
            if code is None:
                errors.append(_("%(column)s: “%(value)s” is not a country.") % {"column": column.header, "value": raw})
            else:
                country = code
                plan.fields["country"] = code
        if not country:
            plan.create_errors.append(_("The row has no country, and the import has no default country."))
        plan.country = country

        self._names(plan, given)
        self._contacts(plan, given)
        self._identifiers(plan, given)
        self._address(plan, given)
        self._choices(plan, given)
        self._notes(plan, given)
        self._attributes(plan, given)
        for key, limit in LIMITS.items():
            value = plan.fields.get(key if key != "external_id" else "external_ref", "")
            if key == "name":
                value = plan.name
            if isinstance(value, str) and len(value) > limit:
                errors.append(_("%(field)s: longer than %(n)s characters.") % {"field": _label(key), "n": limit})
        if plan.address:
            for key in ("street", "city", "postal_code"):
                if len(plan.address.get(key, "")) > LIMITS[key]:
                    errors.append(_("%(field)s: longer than %(n)s characters.")
                                  % {"field": _label(key), "n": LIMITS[key]})
        return plan

    def _names(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        fields = plan.fields
        first_name = given["first_name"][0][1] if "first_name" in given else ""
        last_name = given["last_name"][0][1] if "last_name" in given else ""
        name = " ".join(given["name"][0][1].split()) if "name" in given else ""
        organisation = " ".join(given["organisation"][0][1].split()) if "organisation" in given else ""
        explicit = None
        if "kind" in given:
            column, raw = given["kind"][0]
            explicit = _kind_words().get(_fold(raw))
            if explicit is None:
                plan.errors.append(_("%(column)s: “%(value)s” is neither a person nor an organisation.")
                                   % {"column": column.header, "value": raw})
        elif "is_company" in given:
            column, raw = given["is_company"][0]
            flag = boolean_clean(raw)
            if flag is None:
                plan.errors.append(_("%(column)s: “%(value)s” is not yes or no.")
                                   % {"column": column.header, "value": raw})
            else:
                explicit = PartyKind.ORGANISATION if flag else PartyKind.PERSON
        if explicit:
            kind = explicit
            fields["kind"] = kind
        elif not (first_name or last_name) and (
                (organisation and not name) or (name and LEGAL_FORM.search(name))):
            kind = PartyKind.ORGANISATION
        else:
            kind = PartyKind.PERSON
        plan.kind = kind
        if kind == PartyKind.ORGANISATION:
            name = name or organisation
            plan.name = name or f"{first_name} {last_name}".strip()
        else:
            full = f"{first_name} {last_name}".strip()
            plan.name = name or full or organisation
            # Only a whole name replaces a customer's: a first name alone must not become their name.
            name = name or (full if first_name and last_name else "")
            if first_name:
                fields["first_name"] = first_name
            if last_name:
                fields["last_name"] = last_name
        organisation = "" if organisation == plan.name else organisation
        if name:
            fields["name"] = name
        if not plan.name:
            plan.create_errors.append(_("The row has no name: map a column to the name, the first and last name "
                                        "or the organisation name."))
        if organisation:
            plan.shown["organisation"] = organisation
            # A person's organisation has no field of its own on the record: the note keeps it.
            plan.note = _("Organisation: %(name)s") % {"name": organisation}

    def _contacts(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        for column, raw in given.get("email", ()):
            for value in cell_values(raw):
                try:
                    email = email_clean(value)
                except InvalidIdentifier as error:
                    plan.errors.append(f"{column.header}: {error}")
                    continue
                if email not in plan.emails:
                    plan.emails.append(email)
        for column, raw in given.get("phone", ()):
            country = column.country or plan.country
            for value in cell_values(raw):
                try:
                    phone = phone_clean(value, country)
                except InvalidIdentifier as error:
                    plan.errors.append(f"{column.header}: {error}")
                    continue
                if phone not in plan.phones:
                    plan.phones.append(phone)

    def _identifiers(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        if "tax_id" in given:
            column, raw = given["tax_id"][0]
            try:
                plan.fields["tax_id"] = tax_id_clean(raw, column.country or plan.country)
            except InvalidIdentifier as error:
                plan.errors.append(f"{column.header}: {error}")
        if "vat_id" in given:
            column, raw = given["vat_id"][0]
            try:
                plan.fields["vat_id"] = vat_id_clean(raw)
            except InvalidIdentifier as error:
                plan.errors.append(f"{column.header}: {error}")
        if "iban" in given:
            column, raw = given["iban"][0]
            try:
                plan.iban = iban_clean(raw)
            except InvalidIdentifier as error:
                plan.errors.append(f"{column.header}: {error}")
        if "external_id" in given:
            plan.fields["external_ref"] = given["external_id"][0][1]

    def _address(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        street = ", ".join(dict.fromkeys(" ".join(raw.split()) for _c, raw in given.get("street", ())))
        city = " ".join(given["city"][0][1].split()) if "city" in given else ""
        postal_code = given["postal_code"][0][1] if "postal_code" in given else ""
        if street or city:
            plan.address = {"street": street, "city": city, "postal_code": postal_code, "country": plan.country}

    def _choices(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        if "stage" in given:
            column, raw = given["stage"][0]
            stage = _stage_words().get(_fold(raw))
            if stage is None:
                plan.errors.append(_("%(column)s: “%(value)s” is not a stage (prospect, lead, customer, former "
                                     "customer).") % {"column": column.header, "value": raw})
            else:
                plan.fields["stage"] = stage
        if "call_center_status" in given:
            column, raw = given["call_center_status"][0]
            status = self.statuses.get(_fold(raw))
            if status is None:
                plan.errors.append(_("%(column)s: “%(value)s” is not a call-center status.")
                                   % {"column": column.header, "value": raw})
            else:
                plan.fields["call_center_status_id"] = status
        if "sales_rep" in given:
            column, raw = given["sales_rep"][0]
            user = self.users.get(raw.casefold())
            if user is None:
                plan.errors.append(_("%(column)s: no user “%(value)s”; give a user name or e-mail.")
                                   % {"column": column.header, "value": raw})
            else:
                plan.fields["sales_rep_id"] = user
        for _column, raw in given.get("tags", ()):
            for value in cell_values(raw):
                tag = " ".join(value.split())[:40]
                if tag and tag.casefold() not in (t.casefold() for t in plan.tags):
                    plan.tags.append(tag)

    def _notes(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        lines = [plan.note] if plan.note else []
        for column, raw in given.get("note", ()):
            lines.append(f"{column.header}: {raw}" if self.note_columns > 1 or lines else raw)
        plan.note = "\n".join(lines)

    def _attributes(self, plan: RowPlan, given: dict[str, list[tuple[Column, str]]]) -> None:
        for key, values in given.items():
            if not key.startswith(ATTRIBUTE_PREFIX):
                continue
            column, raw = values[0]
            definition = self.definitions[key[len(ATTRIBUTE_PREFIX):]]
            if not definition.applies_to_kind(plan.kind):
                continue
            try:
                plan.attributes[definition.id] = self._typed(definition, raw)
            except ValueError:
                plan.errors.append(_("%(column)s: “%(value)s” does not fit “%(attribute)s”.")
                                   % {"column": column.header, "value": raw, "attribute": definition.code})

    def _typed(self, definition: AttributeDefinition, raw: str) -> dict[str, Any]:
        kind = definition.type
        if kind == AttributeType.TEXT:
            return {"text": raw}
        if kind == AttributeType.NUMBER:
            try:
                number = Decimal("".join(raw.split()).replace(",", "."))
            except InvalidOperation:
                raise ValueError(raw) from None
            if not number.is_finite() or abs(number) >= Decimal(10) ** 14:
                raise ValueError(raw)
            return {"number": number.quantize(Decimal("0.000001"))}
        if kind == AttributeType.DATE:
            return {"date": date_clean(raw)}
        if kind == AttributeType.CHOICE:
            choice = self.choices.get(definition.id, {}).get(_fold(raw))
            if choice is None:
                raise ValueError(raw)
            return {"choice_id": choice}
        flag = boolean_clean(raw)
        if flag is None:
            raise ValueError(raw)
        return {"boolean": flag}


def _label(key: str) -> str:
    for target in CUSTOMER_FIELDS:
        if target.key == key:
            return str(target.label)
    return key
