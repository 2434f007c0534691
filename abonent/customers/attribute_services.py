"""Writes about custom attributes: declaring them, and setting or ending a customer's values in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record
from abonent.customers.models import (
    AttributeChoice,
    AttributeDefinition,
    AttributeType,
    AttributeValue,
    Party,
)
from abonent.customers.models.attributes import LANGUAGE_CODES
from abonent.customers.periods import period_end_for_new, period_in_force
from abonent.customers.tracking import is_tracked


class AttributeRefused(AbonentError):
    """The value or the change does not fit the attribute."""


def _tracked(code: str) -> bool:
    """Whether changes to this attribute are recorded in the customer's history."""
    return is_tracked("attribute", code)


# --- declaring attributes ------------------------------------------------------------------------------

DEFINITION_FIELDS = ("type", "label", "applies_to", "required", "multilingual", "active", "order")


def _clean_labels(labels: Mapping[str, str]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in labels.items() if lang in LANGUAGE_CODES and text and text.strip()}


def attribute_define(
    *, by: Any, code: str, type: str, label: Mapping[str, str], applies_to: str = "both", required: bool = False,
    multilingual: bool = False, active: bool = True, order: int = 0, definition: AttributeDefinition | None = None,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> AttributeDefinition:
    """Declare an attribute, or change a declared one (its code stays; its type only while it has no values)."""
    now = now or timezone.now()
    label = _clean_labels(label)
    if type not in AttributeType.values:
        raise AttributeRefused(_("Unknown attribute type “%(type)s”.") % {"type": type})
    if multilingual and type != AttributeType.TEXT:
        raise AttributeRefused(_("Only text attributes can have a value per language."))
    values = {"type": type, "label": label, "applies_to": applies_to, "required": required,
              "multilingual": multilingual, "active": active, "order": order}
    with transaction.atomic():
        if definition is None:
            if AttributeDefinition.objects.filter(code=code).exists():
                raise AttributeRefused(_("An attribute with the code “%(code)s” already exists.") % {"code": code})
            definition = AttributeDefinition.objects.create(code=code, **values)
            audit_record(actor=by, action="abonent.customers.attribute_definition.created", target=definition,
                         channel=channel, now=now,
                         changes={"code": (None, code), **{f: (None, v) for f, v in values.items()}})
            return definition
        definition = AttributeDefinition.objects.select_for_update().get(pk=definition.pk)
        if type != definition.type and definition.values.exists():
            raise AttributeRefused(
                _("“%(code)s” already has values, so its type can no longer change.") % {"code": definition.code}
            )
        changes = {f: (getattr(definition, f), v) for f, v in values.items() if getattr(definition, f) != v}
        if changes:
            for field, value in values.items():
                setattr(definition, field, value)
            definition.save(update_fields=list(changes))
            audit_record(actor=by, action="abonent.customers.attribute_definition.changed", target=definition,
                         channel=channel, now=now, changes=changes)
    return definition


def attribute_choice_save(
    *, by: Any, definition: AttributeDefinition, code: str, label: Mapping[str, str], order: int = 0,
    active: bool = True, choice: AttributeChoice | None = None, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> AttributeChoice:
    """Add a choice to a choice attribute, or change one (its code stays)."""
    now = now or timezone.now()
    if definition.type != AttributeType.CHOICE:
        raise AttributeRefused(_("Only a choice attribute has a list of choices."))
    values = {"label": _clean_labels(label), "order": order, "active": active}
    with transaction.atomic():
        if choice is None:
            if definition.choices.filter(code=code).exists():
                raise AttributeRefused(_("This attribute already has a choice “%(code)s”.") % {"code": code})
            choice = AttributeChoice.objects.create(definition=definition, code=code, **values)
            audit_record(actor=by, action="abonent.customers.attribute_choice.created", target=choice,
                         channel=channel, now=now, note=definition.code,
                         changes={"code": (None, code), **{f: (None, v) for f, v in values.items()}})
            return choice
        changes = {f: (getattr(choice, f), v) for f, v in values.items() if getattr(choice, f) != v}
        if changes:
            for field, value in values.items():
                setattr(choice, field, value)
            choice.save(update_fields=list(changes))
            audit_record(actor=by, action="abonent.customers.attribute_choice.changed", target=choice,
                         channel=channel, now=now, note=definition.code, changes=changes)
    return choice


# --- a customer's values -------------------------------------------------------------------------------


BLANK_COLUMNS: dict[str, Any] = {
    "text": "", "text_translations": {}, "number": None, "date": None, "choice": None, "boolean": None,
}


def _typed(definition: AttributeDefinition, value: Any) -> dict[str, Any]:
    """Check `value` against the definition's type; return the columns to store."""
    kind = definition.type
    if value is None or value == "" or value == {}:
        raise AttributeRefused(_("Type a value for “%(code)s”, or end its current value instead.")
                               % {"code": definition.code})
    if kind == AttributeType.TEXT:
        if isinstance(value, Mapping):
            translations = {k: str(v).strip() for k, v in value.items() if k and str(v or "").strip()}
            if not definition.multilingual and translations:
                raise AttributeRefused(_("“%(code)s” has one value for all languages.") % {"code": definition.code})
            unknown = set(translations) - set(LANGUAGE_CODES)
            if unknown:
                raise AttributeRefused(_("Unknown language “%(lang)s”.") % {"lang": sorted(unknown)[0]})
            text = str(value.get("", "")).strip()
            if not text and not translations:
                return _typed(definition, "")
            return {"text": text, "text_translations": translations}
        if not isinstance(value, str) or not value.strip():
            raise AttributeRefused(_("“%(code)s” takes text.") % {"code": definition.code})
        return {"text": value.strip(), "text_translations": {}}
    if kind == AttributeType.NUMBER:
        try:
            typed = "".join(str(value).split()).replace(",", ".")  # "1 250,5" as typed in Czech or Polish
            number = value if isinstance(value, Decimal) else Decimal(typed)
        except InvalidOperation:
            raise AttributeRefused(_("“%(value)s” is not a number.") % {"value": value}) from None
        if isinstance(value, bool) or not number.is_finite() or abs(number) >= Decimal(10) ** 14:
            raise AttributeRefused(_("“%(value)s” is not a number Abonent can store.") % {"value": value})
        return {"number": number.quantize(Decimal("0.000001"))}
    if kind == AttributeType.DATE:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            raise AttributeRefused(_("“%(code)s” takes a date.") % {"code": definition.code})
        try:
            return {"date": value if isinstance(value, dt.date) else dt.date.fromisoformat(value.strip())}
        except ValueError:
            raise AttributeRefused(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None
    if kind == AttributeType.CHOICE:
        code = value.code if isinstance(value, AttributeChoice) else str(value)
        choice = definition.choices.filter(code=code, active=True).first()
        if choice is None:
            raise AttributeRefused(_("“%(value)s” is not one of the choices of “%(code)s”.")
                                   % {"value": code, "code": definition.code})
        return {"choice": choice}
    if not isinstance(value, bool):
        raise AttributeRefused(_("“%(code)s” takes yes or no.") % {"code": definition.code})
    return {"boolean": value}


def _locked_periods(party: Party, definition: AttributeDefinition) -> list[AttributeValue]:
    # The party row is the lock: two people changing the same customer queue instead of overlapping periods.
    Party.objects.select_for_update().filter(pk=party.pk).first()
    return list(
        AttributeValue.objects.filter(party=party, definition=definition)
        .select_related("definition", "choice").order_by("active_from")
    )


def _check_applies(party: Party, definition: AttributeDefinition) -> None:
    if not definition.active:
        raise AttributeRefused(_("“%(code)s” is no longer in use.") % {"code": definition.code})
    if not definition.applies_to_kind(party.kind):
        raise AttributeRefused(_("“%(code)s” does not apply to this kind of customer.") % {"code": definition.code})


def attribute_set(
    *, party: Party, definition: AttributeDefinition, value: Any, active_from: dt.date, by: Any,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> AttributeValue:
    """Give the party this value from `active_from` on, until the next value already planned (if any).

    The value in force on `active_from` ends the day before; when it started that same day it is corrected
    in place. Periods never overlap.
    """
    now = now or timezone.now()
    _check_applies(party, definition)
    columns = {**BLANK_COLUMNS, **_typed(definition, value)}
    new = AttributeValue(definition=definition, **columns).raw()
    with transaction.atomic():
        periods = _locked_periods(party, definition)
        current = period_in_force(periods, active_from)
        old = current.raw() if current else None
        if old == new:
            return current
        if current is not None and current.active_from == active_from:
            row = current
            for field, stored in columns.items():
                setattr(row, field, stored)
            row.save(update_fields=list(columns))
        else:
            active_to = period_end_for_new(periods, active_from)
            if current is not None:
                current.active_to = active_from
                current.save(update_fields=["active_to"])
            row = AttributeValue.objects.create(
                party=party, definition=definition, active_from=active_from, active_to=active_to, **columns
            )
        if _tracked(definition.code):
            audit_record(
                actor=by, action="abonent.customers.attribute.set", target=row, subject=party, channel=channel,
                now=now, changes={definition.code: (old, new)},
                note=_("from %(day)s") % {"day": active_from.isoformat()},
            )
    return row


def attribute_clear(
    *, party: Party, definition: AttributeDefinition, active_from: dt.date, by: Any,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> None:
    """End the value in force on `active_from`: from that day the party has none (until a value planned later)."""
    now = now or timezone.now()
    if definition.required:
        raise AttributeRefused(_("“%(code)s” is required: give it another value instead.") % {"code": definition.code})
    with transaction.atomic():
        current = period_in_force(_locked_periods(party, definition), active_from)
        if current is None:
            return
        old = current.raw()
        if current.active_from == active_from:
            # The period would be empty: it goes, and the audit entry still names it.
            pk = current.pk
            current.delete()
            current.pk = pk
        else:
            current.active_to = active_from
            current.save(update_fields=["active_to"])
        if _tracked(definition.code):
            audit_record(
                actor=by, action="abonent.customers.attribute.cleared", target=current, subject=party,
                channel=channel, now=now, changes={definition.code: (old, None)},
                note=_("from %(day)s") % {"day": active_from.isoformat()},
            )
