"""Input of the billing pages: a payment typed by an administrator, a refund, a manual allocation."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from abonent.billing.models import PaymentSource

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MANUAL_SOURCES = [(k, v) for k, v in PaymentSource.choices if k in (PaymentSource.CASH, PaymentSource.CARD,
                                                                        PaymentSource.BANK)]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in settings.CURRENCIES])
    received_on = forms.DateField(label=_("Received"), widget=DATE_INPUT)
    source = forms.ChoiceField(label=_("Source"), choices=MANUAL_SOURCES, initial=PaymentSource.CASH)
    reference = forms.CharField(label=_("Payment reference"), max_length=35, required=False,
                                help_text=_("A contract's variable symbol or RF reference pays that contract first."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           help_text=_("For example the receipt number."))
    allocate = forms.BooleanField(label=_("Allocate to the oldest open items now"), required=False, initial=True)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to refund"), min_value=Decimal("0.01"), max_digits=12,
                                decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AllocateForm(forms.Form):
    expected_payment = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                required=False)


class AmountForm(forms.Form):
    """The amount on a payment order: the whole outstanding amount when empty."""

    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in settings.CURRENCIES], required=False)
