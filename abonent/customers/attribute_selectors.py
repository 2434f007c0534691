"""Reads about custom attributes: a customer's values on a day, their history, the declared attributes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.numbers import format_decimal
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from abonent.core.money import babel_locale
from abonent.customers.models import AttributeDefinition, AttributeType, AttributeValue, Party


def current_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def attribute_value_text(value: AttributeValue, language: str) -> str:
    """The value as the user reads it, in `language` where the value or the choice has one."""
    kind = value.definition.type
    if kind == AttributeType.TEXT:
        translations = value.text_translations or {}
        return translations.get(language) or value.text or translations.get("en") or next(
            iter(translations.values()), ""
        )
    if kind == AttributeType.NUMBER:
        # Every decimal typed is shown: the locale's pattern alone would round to three places.
        return format_decimal(value.number, locale=babel_locale(language), decimal_quantization=False)
    if kind == AttributeType.DATE:
        with translation.override(language):
            return date_format(value.date, "SHORT_DATE_FORMAT") if value.date else ""
    if kind == AttributeType.CHOICE:
        return value.choice.label_in(language) if value.choice else ""
    with translation.override(language):
        return _("Yes") if value.boolean else _("No")


@dataclass(frozen=True)
class AttributeShown:
    """One attribute on the customer page: its label, and its value on the day asked (None when unset)."""

    definition: AttributeDefinition
    label: str
    value: AttributeValue | None
    text: str

    @property
    def missing(self) -> bool:
        return self.value is None and self.definition.required


def attribute_definitions_for(*, party: Party) -> QuerySet[AttributeDefinition]:
    """The active attributes that apply to this kind of customer, in their order."""
    return AttributeDefinition.objects.filter(active=True).filter(Q(applies_to="both") | Q(applies_to=party.kind))


def attribute_values(*, party: Party, on: dt.date, language: str | None = None) -> list[AttributeShown]:
    """The party's attributes on day `on`: every active one that applies, set or not, and any other with a value.

    Two queries whatever the number of attributes.
    """
    language = language or current_language()
    in_force = {
        v.definition_id: v
        for v in AttributeValue.objects.filter(party=party, active_from__lte=on)
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=on))
        .select_related("definition", "choice")
    }
    definitions = AttributeDefinition.objects.filter(
        Q(active=True, applies_to__in=("both", party.kind)) | Q(pk__in=in_force.keys())
    )
    shown = []
    for definition in definitions:
        value = in_force.get(definition.pk)
        if value is not None:
            value.definition = definition
        shown.append(AttributeShown(
            definition=definition, label=definition.label_in(language), value=value,
            text=attribute_value_text(value, language) if value is not None else "",
        ))
    return shown


@dataclass(frozen=True)
class AttributePeriod:
    """One period of one attribute's value, for the history table."""

    label: str
    text: str
    active_from: dt.date
    active_to: dt.date | None
    current: bool

    @property
    def last_day(self) -> dt.date | None:
        return self.active_to - dt.timedelta(days=1) if self.active_to else None


def attribute_history(*, party: Party, on: dt.date, language: str | None = None) -> list[AttributePeriod]:
    """Every value the party's attributes have had or will have, by attribute, newest period first.

    The periods in force on day `on` are marked `current`.
    """
    language = language or current_language()
    values = (
        AttributeValue.objects.filter(party=party).select_related("definition", "choice")
        .order_by("definition__order", "definition__code", "-active_from")
    )
    return [
        AttributePeriod(label=v.definition.label_in(language), text=attribute_value_text(v, language),
                        active_from=v.active_from, active_to=v.active_to,
                        current=v.active_from <= on and (v.active_to is None or on < v.active_to))
        for v in values
    ]


def attribute_definition_list() -> QuerySet[AttributeDefinition]:
    """Every declared attribute with its choices, for the administrators' page."""
    return AttributeDefinition.objects.prefetch_related("choices")
