"""Input of the contract pages: contract header, lines, termination, products and discounts."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abonent.contracts.models import (
    RECURRING_PERIODS,
    BillingPeriod,
    Contract,
    DueRule,
    Product,
)
from abonent.contracts.pricing import DISCOUNT_KINDS
from abonent.customers.hierarchy_selectors import node_paths
from abonent.customers.lists import rep_name, sales_reps
from abonent.customers.models import Node

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CURRENCIES = [(c, c) for c in settings.CURRENCIES]


class NodeChoiceField(forms.ModelChoiceField):
    """A node shown with its path ("Billing groups: Monthly invoices › E-mail invoice")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        nodes = list(self.queryset.select_related("structure"))
        paths = node_paths(nodes)
        self.labels = {n.pk: f"{n.structure.name}: {paths[n.pk]}" for n in nodes}

    def label_from_instance(self, obj: Node) -> str:
        return self.labels.get(obj.pk, obj.name)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        period = obj.get_billing_period_display().lower()
        return f"{obj.name_in(get_language() or 'en')} — {obj.price} {obj.currency} / {period}"


class RepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return rep_name(obj)


class ContractForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    billing_period = forms.ChoiceField(label=_("Billed"), choices=RECURRING_PERIODS)
    start_date = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    minimum_term_months = forms.IntegerField(label=_("Minimum term (months)"), min_value=0, max_value=120,
                                             initial=0)
    end_date = forms.DateField(label=_("Until (exclusive)"), required=False, widget=DATE_INPUT,
                               help_text=_("Only for a fixed-term contract: the first day it no longer runs."))
    payment_day = forms.IntegerField(label=_("Payment day"), min_value=1, max_value=31, initial=15,
                                     help_text=_("Day of the month payments are due (31 means the last day)."))
    due_rule = forms.ChoiceField(label=_("Due"), choices=DueRule.choices, initial=DueRule.ADVANCE)
    payer = NodeChoiceField(label=_("Payer"), required=False, queryset=Node.objects.none(),
                            help_text=_("The node of a billing structure that pays for this contract, if any."))
    sales_rep = RepChoiceField(label=_("Sales rep"), required=False, queryset=sales_reps())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contract: Contract | None = None, **kwargs) -> None:
        if contract is not None:
            kwargs.setdefault("initial", {f: getattr(contract, f) for f in (
                "currency", "billing_period", "start_date", "minimum_term_months", "end_date", "payment_day",
                "due_rule", "payer", "sales_rep", "notes")})
        super().__init__(*args, **kwargs)
        self.fields["payer"] = NodeChoiceField(
            label=_("Payer"), required=False, queryset=Node.objects.filter(structure__kind="billing").order_by("path"),
            help_text=self.fields["payer"].help_text)
        self.fields["sales_rep"].queryset = sales_reps()
        if contract is not None and not contract.is_draft:
            for name in ("currency", "billing_period", "start_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the contract is active.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The contract cannot end before it starts."))
        return data


class LineForm(forms.Form):
    product = ProductChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
                                  initial=1)
    unit_price = forms.DecimalField(label=_("Unit price"), required=False, min_value=0, max_digits=12,
                                    decimal_places=2, help_text=_("Empty: the product's price."))
    discount_percent = forms.DecimalField(label=_("Discount (%)"), min_value=0, max_value=100, max_digits=5,
                                          decimal_places=2, initial=0)
    active_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT,
                                  help_text=_("Empty: from the contract's start."))

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(active=True, currency=contract.currency)


class LineChangeForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)
    discount_percent = forms.DecimalField(label=_("Discount (%)"), min_value=0, max_value=100, max_digits=5,
                                          decimal_places=2)
    active_from = forms.DateField(label=_("Changes from"), widget=DATE_INPUT,
                                  help_text=_("Days before keep the old values; paid periods are never changed."))


class LineEndForm(forms.Form):
    active_to = forms.DateField(label=_("Last day billed is the day before"), widget=DATE_INPUT)


class TerminateForm(forms.Form):
    end_date = forms.DateField(label=_("Ends on (first day without service)"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ProductForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Letters, digits and hyphens; it names the product in imports and the "
                                       "history, and cannot change later."))
    price = forms.DecimalField(label=_("Price (VAT included)"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    billing_period = forms.ChoiceField(label=_("Price per"), choices=BillingPeriod.choices)
    vat_rate = forms.DecimalField(label=_("VAT rate (%)"), min_value=0, max_value=100, max_digits=5,
                                  decimal_places=2, initial=Decimal("21"))
    active = forms.BooleanField(label=_("Sold: offered on new contract lines"), required=False, initial=True)
    order = forms.IntegerField(label=_("Position in the list"), min_value=0, initial=0)

    def __init__(self, *args, product: Product | None = None, in_use: bool = False, **kwargs) -> None:
        if product is not None:
            kwargs.setdefault("initial", {f: getattr(product, f) for f in (
                "code", "price", "currency", "billing_period", "vat_rate", "active", "order")})
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language}, max_length=120, required=code == "en",
                initial=(product.name if product else {}).get(code, ""))
        self.order_fields(["code", *(f"name_{c}" for c, _n in settings.LANGUAGES)])
        if product is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""
            if in_use:
                self.fields["currency"].disabled = True
                self.fields["currency"].help_text = _("Contracts use this product, so its currency is fixed.")

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _n in settings.LANGUAGES}


class DiscountForm(forms.Form):
    node = NodeChoiceField(label=_("Node"), queryset=Node.objects.none(),
                           help_text=_("Customers placed here or anywhere below get the discount."))
    name = forms.CharField(label=_("Name"), max_length=120)
    percent = forms.DecimalField(label=_("Discount (%)"), min_value=Decimal("0.01"), max_value=100, max_digits=5,
                                 decimal_places=2)
    product = ProductChoiceField(label=_("Product"), required=False, queryset=Product.objects.none(),
                                 empty_label=_("Every product"))
    active_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    active_to = forms.DateField(label=_("Until (exclusive)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodeChoiceField(
            label=_("Node"), queryset=Node.objects.filter(structure__kind__in=DISCOUNT_KINDS).order_by("path"),
            help_text=self.fields["node"].help_text)
        self.fields["product"].queryset = Product.objects.order_by("order", "code")

    def clean(self):
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end <= start:
            self.add_error("active_to", _("The discount must end after it starts."))
        return data
