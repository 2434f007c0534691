"""Input of the attribute pages: declaring attributes and choices, and typing a customer's value."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from abonent.customers.models import AttributeAppliesTo, AttributeChoice, AttributeDefinition, AttributeType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label_fields(form: forms.Form, initial: dict[str, str] | None) -> None:
    """Add one label field per interface language; English is required as everyone's fallback."""
    for code, name in settings.LANGUAGES:
        form.fields[f"label_{code}"] = forms.CharField(
            label=_("Label in %(language)s") % {"language": name}, max_length=120, required=code == "en",
            initial=(initial or {}).get(code, ""),
        )


def labels_of(data: dict) -> dict[str, str]:
    return {code: data.get(f"label_{code}", "") for code, _name in settings.LANGUAGES}


class AttributeDefinitionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Letters, digits and hyphens; it names the attribute in imports, the API "
                                       "and the history, and cannot change later."))
    type = forms.ChoiceField(label=_("Type"), choices=AttributeType.choices)
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=AttributeAppliesTo.choices)
    required = forms.BooleanField(label=_("Required: every customer should have a value"), required=False)
    multilingual = forms.BooleanField(label=_("Text with a value per language"), required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    order = forms.IntegerField(label=_("Position in the list"), min_value=0, initial=0)

    def __init__(self, *args, definition: AttributeDefinition | None = None, type_locked: bool = False,
                 **kwargs) -> None:
        if definition is not None:
            kwargs.setdefault("initial", {
                "code": definition.code, "type": definition.type, "applies_to": definition.applies_to,
                "required": definition.required, "multilingual": definition.multilingual,
                "active": definition.active, "order": definition.order,
            })
        super().__init__(*args, **kwargs)
        _label_fields(self, definition.label if definition else None)
        # Labels first: they are what an administrator thinks of first.
        self.order_fields(["code", *(f"label_{c}" for c, _n in settings.LANGUAGES)])
        if definition is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""
        if type_locked:
            self.fields["type"].disabled = True
            self.fields["type"].help_text = _("The attribute has values, so its type can no longer change.")


class AttributeChoiceForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    order = forms.IntegerField(label=_("Position in the list"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Can be chosen"), required=False, initial=True)

    def __init__(self, *args, choice: AttributeChoice | None = None, **kwargs) -> None:
        if choice is not None:
            kwargs.setdefault("initial", {"code": choice.code, "order": choice.order, "active": choice.active})
        super().__init__(*args, **kwargs)
        _label_fields(self, choice.label if choice else None)
        self.order_fields(["code", *(f"label_{c}" for c, _n in settings.LANGUAGES)])
        if choice is not None:
            self.fields["code"].disabled = True


class AttributeValueForm(forms.Form):
    """The value of one attribute and the day it takes effect; the value field depends on the type."""

    active_from = forms.DateField(label=_("Effective from"), widget=DATE_INPUT)

    def __init__(self, *args, definition: AttributeDefinition, language: str, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.fields["active_from"].initial = today
        value: forms.Field
        kind = definition.type
        if kind == AttributeType.TEXT:
            value = forms.CharField(max_length=2000, required=False)
        elif kind == AttributeType.NUMBER:
            value = forms.CharField(max_length=40, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
        elif kind == AttributeType.DATE:
            value = forms.DateField(required=False, widget=DATE_INPUT)
        elif kind == AttributeType.CHOICE:
            value = forms.ChoiceField(required=False, choices=[("", "—"), *(
                (c.code, c.label_in(language)) for c in definition.choices.filter(active=True)
            )])
        else:
            value = forms.TypedChoiceField(required=False, choices=[("yes", _("Yes")), ("no", _("No"))],
                                           coerce=lambda v: v == "yes", widget=forms.RadioSelect, empty_value=None)
        value.label = definition.label_in(language)
        value.widget.attrs["autofocus"] = True
        self.fields["value"] = value
        if kind == AttributeType.TEXT and definition.multilingual:
            value.label = _("%(label)s (any language)") % {"label": value.label}
            for code, name in settings.LANGUAGES:
                self.fields[f"value_{code}"] = forms.CharField(label=name, max_length=2000, required=False)
        self.order_fields(["value"])

    def typed_value(self) -> object:
        """The value as `attribute_set` takes it."""
        data = self.cleaned_data
        if self.definition.type == AttributeType.TEXT and self.definition.multilingual:
            return {"": data.get("value") or "", **{c: data.get(f"value_{c}") or "" for c, _n in settings.LANGUAGES}}
        return data.get("value")
