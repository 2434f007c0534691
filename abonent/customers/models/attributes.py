"""Custom attributes: declared by administrators, effective-dated values, several languages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from abonent.customers.models.party import Party

__all__ = ["AttributeAppliesTo", "AttributeChoice", "AttributeDefinition", "AttributeType", "AttributeValue",
           "label_in"]

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def label_in(labels: dict[str, str], language: str, fallback: str) -> str:
    """Pick the label in `language`, else the English one, else `fallback` (the code)."""
    return (labels or {}).get(language) or (labels or {}).get("en") or fallback


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", pgettext_lazy("value type", "Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice from a list")
    BOOLEAN = "boolean", _("Yes / no")


class AttributeAppliesTo(models.TextChoices):
    BOTH = "both", _("People and organisations")
    PERSON = "person", _("People only")
    ORGANISATION = "organisation", _("Organisations only")


class AttributeDefinition(models.Model):
    """An attribute an administrator declared for customers, e.g. "preferred contact time" or "segment"."""

    # The code names the attribute in the audit log, the tracking scope, imports and the API: it never changes.
    code = models.SlugField(_("code"), max_length=60, unique=True)
    type = models.CharField(_("type"), max_length=10, choices=AttributeType.choices)
    label = models.JSONField(_("label"), default=dict, help_text=_("One label per language code."))
    applies_to = models.CharField(_("applies to"), max_length=12, choices=AttributeAppliesTo.choices,
                                  default=AttributeAppliesTo.BOTH)
    required = models.BooleanField(_("required"), default=False)
    multilingual = models.BooleanField(
        _("value per language"), default=False, help_text=_("Text attributes only: a value in each language.")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    def label_in(self, language: str) -> str:
        return label_in(self.label, language, self.code)

    def applies_to_kind(self, kind: str) -> bool:
        return self.applies_to in (AttributeAppliesTo.BOTH, kind)


class AttributeChoice(models.Model):
    """One value a choice attribute may take."""

    definition = models.ForeignKey(AttributeDefinition, on_delete=models.CASCADE, related_name="choices")
    code = models.SlugField(_("code"), max_length=60)
    label = models.JSONField(_("label"), default=dict)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("attribute choice")
        verbose_name_plural = _("attribute choices")
        ordering = ["definition", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["definition", "code"], name="attribute_choice_code_unique")]

    def __str__(self) -> str:
        return self.code

    def label_in(self, language: str) -> str:
        return label_in(self.label, language, self.code)


class AttributeValue(models.Model):
    """A party's value of one attribute during [active_from, active_to).

    Typed columns rather than one JSON value: the database checks each type (a date is a date, a choice
    must exist and cannot be deleted while used), and the list engine can filter and sort numbers and dates
    with plain indexes. Exactly one column is filled, the one of the definition's type. Text keeps the value
    typed without a language in `text` and, when the attribute is multilingual, per-language values in
    `text_translations` ({"cs": "...", "pl": "..."}).

    The periods of one party's attribute never overlap: `attribute_set` closes and splits them under a lock
    on the party. The database adds what it can check on both SQLite and PostgreSQL: a period is never empty
    and only one period is open-ended.
    """

    # Both keys lead indexes below (attribute_value_one_start_per_day, the definition's value indexes).
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="attribute_values", db_index=False)
    definition = models.ForeignKey(AttributeDefinition, on_delete=models.PROTECT, related_name="values",
                                   db_index=False)
    text = models.TextField(_("text"), blank=True)
    text_translations = models.JSONField(_("text per language"), default=dict, blank=True)
    number = models.DecimalField(_("number"), max_digits=20, decimal_places=6, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    choice = models.ForeignKey(AttributeChoice, verbose_name=_("choice"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    boolean = models.BooleanField(_("yes / no"), null=True, blank=True)
    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("until (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["party", "definition", "active_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True) | models.Q(active_to__gt=models.F("active_from")),
                name="attribute_value_period_not_empty",
            ),
            models.UniqueConstraint(
                fields=["party", "definition"], condition=models.Q(active_to__isnull=True),
                name="attribute_value_one_open_period",
            ),
            models.UniqueConstraint(fields=["party", "definition", "active_from"],
                                    name="attribute_value_one_start_per_day"),
        ]
        indexes = [
            models.Index(fields=["definition", "number"], name="attribute_value_number_idx"),
            models.Index(fields=["definition", "date"], name="attribute_value_date_idx"),
            models.Index(fields=["definition", "choice"], name="attribute_value_choice_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} [{self.active_from}, {self.active_to or '…'})"

    def raw(self) -> object:
        """The stored value as plain data: text (with its translations), Decimal, date, choice code or bool."""
        kind = self.definition.type
        if kind == AttributeType.TEXT:
            return {"": self.text, **self.text_translations} if self.text_translations else self.text
        if kind == AttributeType.NUMBER:
            return _plain_number(self.number)
        if kind == AttributeType.DATE:
            return self.date
        if kind == AttributeType.CHOICE:
            return self.choice.code if self.choice else None
        return self.boolean


def _plain_number(number):
    """628.000000 → 628 and 2.500 → 2.5 (the column keeps six decimals; history should not show them)."""
    if number is None:
        return None
    plain = number.normalize()
    return plain.quantize(1) if plain.as_tuple().exponent > 0 else plain
