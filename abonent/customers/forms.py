"""Input checks for the customer page's forms; the services check again and do the writing."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import User
from abonent.core.roles import STAFF_ROLES
from abonent.customers.contact_services import contact_value_normalise
from abonent.customers.identifiers import (
    DOMESTIC_ACCOUNT_COUNTRIES,
    InvalidIdentifier,
    bic_normalise,
    iban_normalise,
    phone_normalise,
    ru_account_normalise,
    tax_id_normalise,
    vat_id_normalise,
)
from abonent.customers.merge_services import MERGE_FIELDS, MERGED, SURVIVOR
from abonent.customers.models import (
    AddressKind,
    CallCenterStatus,
    ContactKind,
    Party,
    PartyKind,
    Stage,
)
from abonent.customers.selectors import call_center_statuses, sales_reps
from abonent.customers.services import email_normalise

# Abonent's home markets first in the country list.
HOME_COUNTRIES = ("CZ", "PL", "RO", "RU")


def country_choices() -> list[tuple[str, str]]:
    """Every ISO country, named in the user's language, the home markets first."""
    return list(_country_choices(get_language() or "en"))


@lru_cache(maxsize=16)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    try:
        names = Locale.parse(language).territories
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").territories
    codes = [c.alpha_2 for c in pycountry.countries]
    rest = sorted((c for c in codes if c not in HOME_COUNTRIES), key=lambda c: names.get(c, c))
    return tuple((c, names.get(c, c)) for c in (*HOME_COUNTRIES, *rest))


class CountrySelect(forms.Select):
    """A select of ~250 countries rendered in one pass: Django's per-option templates cost ~50 ms a form."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        selected = str(value or "")
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((code, mark_safe(" selected") if code == selected else "", label) for code, label in self.choices),  # noqa: S308
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


def _check(form: forms.Form, field: str, normalise: Callable[[str], Any]) -> None:
    """Put the identifier check's message on the field it is about."""
    value = form.cleaned_data.get(field)
    if not value:
        return
    try:
        form.cleaned_data[field] = normalise(value)
    except InvalidIdentifier as error:
        form.add_error(field, str(error))


class PartyForm(forms.Form):
    """Create or edit a customer; the phone, e-mail, IBAN and stage are asked only when creating."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}), initial=PartyKind.PERSON)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), widget=CountrySelect)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            help_text=_("National numbers are read as the country's."))
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    tax_id = forms.CharField(label=_("Tax ID"), max_length=20, required=False,
                             help_text=_("IČO in Czechia, NIP in Poland, CUI in Romania, ИНН in Russia."))
    vat_id = forms.CharField(label=_("VAT number"), max_length=20, required=False,
                             help_text=_("With the country prefix, e.g. CZ25596641."))
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.PROSPECT)
    sales_rep = forms.ModelChoiceField(label=_("Sales rep"), queryset=User.objects.none(), required=False,
                                       empty_label=_("Nobody yet"))
    call_center_status = forms.ModelChoiceField(label=_("Call-center status"),
                                                queryset=CallCenterStatus.objects.none(), required=False,
                                                empty_label="—")

    CREATE_ONLY = ("phone", "email", "iban", "stage")

    def __init__(self, *args: Any, party: Party | None = None, **kwargs: Any) -> None:
        if party is not None:
            kwargs.setdefault("initial", {
                "kind": party.kind, "first_name": party.first_name, "last_name": party.last_name,
                "name": party.name, "country": party.country, "tax_id": party.tax_id, "vat_id": party.vat_id,
                "sales_rep": party.sales_rep_id, "call_center_status": party.call_center_status_id,
            })
        super().__init__(*args, **kwargs)
        self.party = party
        self.fields["country"].choices = country_choices()
        self.fields["sales_rep"].queryset = sales_reps()
        self.fields["call_center_status"].queryset = call_center_statuses(
            including=party.call_center_status if party else None
        )
        if party is not None:
            for name in self.CREATE_ONLY:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, country = data.get("kind"), data.get("country") or ""
        if kind == PartyKind.PERSON:
            if not (data.get("first_name") or data.get("last_name")):
                self.add_error("last_name", _("Type the person's first or last name."))
            # A person's name is made of their names; a stale organisation name must not stay behind.
            data["name"] = ""
        elif kind == PartyKind.ORGANISATION:
            if not data.get("name"):
                self.add_error("name", _("Type the organisation's name."))
            data["first_name"] = data["last_name"] = ""
        if country:
            _check(self, "tax_id", lambda v: tax_id_normalise(v, country=country))
            _check(self, "phone", lambda v: phone_normalise(v, country=country))
        _check(self, "vat_id", vat_id_normalise)
        _check(self, "email", email_normalise)
        _check(self, "iban", iban_normalise)
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    # The move a customer usually makes next from each stage, offered first.
    NEXT = {Stage.PROSPECT: Stage.LEAD, Stage.LEAD: Stage.CUSTOMER, Stage.CUSTOMER: Stage.FORMER,
            Stage.FORMER: Stage.CUSTOMER}

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(v, label) for v, label in Stage.choices if v != party.stage]
        self.fields["to_stage"].initial = self.NEXT.get(party.stage)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("to_stage") == Stage.FORMER and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the customer is leaving."))
        return data


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("Tags"), max_length=500, required=False,
                           help_text=_("Separate tags with commas."))

    def names(self) -> list[str]:
        return [t for t in self.cleaned_data["tags"].split(",") if t.strip()]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    value = forms.CharField(label=_("Number or address"), max_length=254)
    label = forms.CharField(label=_("Label"), max_length=60, required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)

    def __init__(self, *args: Any, party: Party, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party = party
        if editing:
            self.fields["kind"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") and data.get("value"):
            kind = data["kind"]
            _check(self, "value", lambda v: contact_value_normalise(kind=kind, value=v, country=self.party.country))
        return data


class AddressForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), widget=CountrySelect)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"country": party.country})
        super().__init__(*args, **kwargs)
        self.party = party
        self.fields["country"].choices = country_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return data


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    account_number = forms.CharField(label=_("Domestic account number"), max_length=40, required=False,
                                     help_text=_("Only for countries without IBAN (Russia), with the БИК below."))
    bic = forms.CharField(label=_("BIC / БИК"), max_length=20, required=False)
    label = forms.CharField(label=_("Label"), max_length=60, required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party = party

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        iban, account, bic = data.get("iban", ""), data.get("account_number", ""), data.get("bic", "")
        if iban:
            _check(self, "iban", iban_normalise)
            _check(self, "bic", bic_normalise)
        elif not account:
            self.add_error("iban", _("Type the IBAN."))
        elif self.party.country not in DOMESTIC_ACCOUNT_COUNTRIES:
            self.add_error("iban", _("Customers in this country pay from an IBAN; type the IBAN."))
        elif not ("".join(bic.split()).isdigit() and len("".join(bic.split())) == 9):
            self.add_error("bic", _("Type the bank's БИК: 9 digits."))
        else:
            _check(self, "account_number", lambda v: ru_account_normalise(v, bik=bic)[0])
        return data


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    # "html" when the page's editor sent markup; a plain textarea (no JavaScript) sends text.
    format = forms.ChoiceField(choices=[("text", "text"), ("html", "html")], required=False)

    @property
    def is_html(self) -> bool:
        return self.cleaned_data.get("format") == "html"


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False,
                                   empty_label=_("Me"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True, role__in=STAFF_ROLES)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MergeForm(forms.Form):
    """Per field, whose value the merged customer keeps."""

    def __init__(self, *args: Any, survivor: Party, merged: Party, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for name in MERGE_FIELDS:
            mine, theirs = getattr(survivor, name), getattr(merged, name)
            if mine == theirs:
                continue
            self.fields[name] = forms.ChoiceField(
                label=Party._meta.get_field(name).verbose_name,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                choices=[(SURVIVOR, SURVIVOR), (MERGED, MERGED)],
                initial=MERGED if mine in (None, "") and theirs not in (None, "") else SURVIVOR,
            )
            self.rows.append((self[name], _display(survivor, name), _display(merged, name)))

    def picks(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name in MERGE_FIELDS}


def _display(party: Party, name: str) -> str:
    getter = getattr(party, f"get_{name}_display", None)
    value = getter() if getter else getattr(party, name)
    return str(value) if value not in (None, "") else "—"


class CallCenterStatusForm(forms.ModelForm):
    class Meta:
        model = CallCenterStatus
        fields = ["name", "order", "active"]
