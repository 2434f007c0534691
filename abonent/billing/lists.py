"""The payments list, declared for the list engine."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from abonent.billing.models import Payment, PaymentSource
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Search, Values
from abonent.customers.lists import party_names


def short_day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def amount(value) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def count_payments(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s payment", "%(count)s payments", n) % {"count": shown}


PAYMENTS = ListSpec(
    key="payments",
    title=_("Payments"),
    model=Payment,
    module="billing",
    url_namespace="billing",
    columns=[
        Column("received_on", _("Received"), sortable=True, display=short_day,
               link=lambda payment: reverse("billing:payment", args=[payment.pk])),
        Column("party", _("Customer"), display=lambda party: party.name, load=("name",),
               link=lambda payment: reverse("customers:party", args=[payment.party_id]) + "?tab=billing"),
        Column("amount", _("Amount"), display=amount, css="text-end"),
        Column("currency", _("Currency")),
        Column("source", _("Source")),
        Column("reference", _("Payment reference")),
        Column("allocated_amount", _("Allocated"), display=amount, css="text-end"),
        Column("counterparty_name", _("Counterparty name"), shown=False),
        Column("counterparty_account", _("Counterparty account"), shown=False),
        Column("note", _("Note"), shown=False),
    ],
    filters=[
        Search("q", _("Reference or counterparty"), lookups=("reference__startswith", "counterparty_name__icontains",
                                                             "counterparty_account__icontains")),
        Search("customer", _("Customer"), lookups=("party__name__icontains",)),
        Choice("source", _("Source"), choices=PaymentSource.choices),
        Choice("currency", _("Currency"), choices=lambda: [(c, c) for c in settings.CURRENCIES]),
        DateRange("received", _("Received"), field="received_on"),
        # One customer's payments, by id: set by the customer's Billing tab ("All payments"), shown as a chip.
        Values("party", _("Customer"), label_values=party_names),
    ],
    group_by=["source", "currency"],
    default_sort="-received_on",
    count_label=count_payments,
    export_name="payments",
    empty_text=_("No payments match."),
)
