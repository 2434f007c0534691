"""Input checks for the import pages: the upload, and the mapping of a file's columns. The services check again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from abonent.customers.forms import country_choices
from abonent.imports.fields import TargetField
from abonent.imports.models import MappingTemplate, MatchKey, OnDuplicate

# Field types whose values are read by country: a per-column country is offered for them.
COUNTRY_TYPES = frozenset({"phone", "tax_id", "vat_id", "iban"})
# The default country proposed by the user's language, when the file and its template say nothing.
LANGUAGE_COUNTRY = {"cs": "CZ", "pl": "PL", "ro": "RO", "ru": "RU"}


def max_mb() -> int:
    return settings.IMPORT_MAX_BYTES // (1024 * 1024)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xls,.ods"}),
        error_messages={"required": _("Choose a file to import."),
                        "empty": _("The file is empty."),
                        "invalid": _("No file was received; choose it again.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file has %(size)s MB; Abonent imports files up to %(max)s MB. Split it into smaller files."),
                params={"size": round(upload.size / (1024 * 1024), 1), "max": max_mb()},
            )
        return upload


class MappingForm(forms.Form):
    """One target field (and optionally a country) per column of the file, the duplicate rules and a template.

    The column fields are named by the column's position (`field_3`, `country_3`), since headers may hold any text.
    """

    country_default = forms.ChoiceField(label=_("Default country"), required=False)
    match_on = forms.MultipleChoiceField(
        label=_("A row is the same customer when it has the same"), choices=MatchKey.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    on_duplicate = forms.ChoiceField(label=_("When a row matches a customer"), choices=OnDuplicate.choices,
                                     widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    template = forms.ModelChoiceField(queryset=MappingTemplate.objects.none(), required=False,
                                      widget=forms.HiddenInput)
    template_name = forms.CharField(label=_("Save this mapping as a template named"), required=False,
                                    max_length=80)

    def __init__(self, *args: Any, headers: Sequence[str], fields: Sequence[TargetField],
                 templates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        self.target_fields = list(fields)
        countries = country_choices()
        self.fields["country_default"].choices = [("", _("— none —")), *countries]
        if templates is not None:
            self.fields["template"].queryset = templates
        field_choices = [("", _("Don't import")), *((f.key, f.label) for f in fields)]
        for index, _header in enumerate(self.headers):
            self.fields[f"field_{index}"] = forms.ChoiceField(choices=field_choices, required=False)
            # A code or a name, offered from one list of countries for all columns (the service checks it).
            self.fields[f"country_{index}"] = forms.CharField(required=False, max_length=60)

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {h: data[f"field_{i}"] for i, h in enumerate(self.headers) if data.get(f"field_{i}")}

    def column_countries(self) -> dict[str, str]:
        """Countries given for columns read by country (phone, tax ID, IBAN); others have no such input shown."""
        data, types = self.cleaned_data, {f.key: f.type for f in self.target_fields}
        return {h: data[f"country_{i}"].strip() for i, h in enumerate(self.headers)
                if data.get(f"country_{i}", "").strip() and types.get(data.get(f"field_{i}")) in COUNTRY_TYPES}


def mapping_initial(*, headers: Sequence[str], mapping: Mapping[str, str], column_countries: Mapping[str, str],
                    country_default: str, match_on: Sequence[str], on_duplicate: str,
                    template: MappingTemplate | None = None) -> dict[str, Any]:
    """The form's starting values from a job (its proposed mapping) or from a template."""
    initial: dict[str, Any] = {
        "country_default": country_default, "match_on": list(match_on), "on_duplicate": on_duplicate,
        "template": template.pk if template else None,
    }
    for index, header in enumerate(headers):
        initial[f"field_{index}"] = mapping.get(header, "")
        initial[f"country_{index}"] = column_countries.get(header, "")
    return initial
