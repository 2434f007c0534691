"""The contracts list, declared for the list engine: columns, filters, groups, sort."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from abonent.contracts.models import Contract, ContractStatus, Product
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Related, Search
from abonent.core.request_memo import request_memo
from abonent.customers.hierarchy_selectors import node_paths
from abonent.customers.lists import rep_name, sales_reps
from abonent.customers.models import Node


def product_name(product: Product | None) -> str:
    return product.name_in(get_language() or "en") if product else ""


def products():
    return Product.objects.order_by("order", "code")


def currencies():
    from django.conf import settings

    return [(c, c) for c in settings.CURRENCIES]


def short_day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def payers():
    """The nodes of billing structures, the ones a contract can name as its payer."""
    return Node.objects.filter(structure__kind="billing").select_related("structure").order_by("path")


def _payer_labels() -> dict[int, str]:
    nodes = list(payers())
    paths = node_paths(nodes)
    return {node.pk: f"{node.structure.name}: {paths[node.pk]}" for node in nodes}


def payer_label(node: Node) -> str:
    """"Billing groups: Head office › Branch": the node's structure and path, read once per request."""
    return request_memo("contracts.payer_labels", _payer_labels).get(node.pk, node.name)


def payer_text(node: Node | None) -> str:
    return payer_label(node) if node else ""


def count_contracts(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s contract", "%(count)s contracts", n) % {"count": shown}


CONTRACTS = ListSpec(
    key="contracts",
    title=_("Contracts"),
    model=Contract,
    module="contracts",
    url_namespace="contracts",
    columns=[
        Column("number", _("Number"), sortable=True,
               display=lambda number: number or str(_("draft")),
               link=lambda contract: reverse("contracts:contract", args=[contract.pk])),
        Column("party", _("Customer"), display=lambda party: party.name, load=("name",),
               link=lambda contract: reverse("customers:party", args=[contract.party_id]) + "?tab=contracts"),
        Column("status", _("Status")),
        Column("main_product", _("Main product"), display=product_name, load=("code", "name")),
        Column("currency", _("Currency")),
        Column("start_date", _("Start"), sortable=True, display=short_day),
        Column("end_date", _("Until (exclusive)"), display=short_day),
        Column("billing_period", _("Billed"), shown=False),
        Column("payer", _("Payer"), display=payer_text, load=("name",), shown=False),
        Column("sales_rep", _("Sales rep"), display=lambda rep: rep_name(rep) if rep else "",
               load=("first_name", "last_name", "username", "is_active")),
    ],
    filters=[
        Search("q", _("Contract number"), lookups=("number__istartswith", "variable_symbol")),
        Search("customer", _("Customer"), lookups=("party__name__icontains",)),
        Choice("status", _("Status"), choices=ContractStatus.choices),
        Related("product", _("Main product"), field="main_product", queryset=products, label_of=product_name,
                none_label=_("No product")),
        Choice("currency", _("Currency"), choices=currencies),
        Related("rep", _("Sales rep"), field="sales_rep", queryset=sales_reps, label_of=rep_name,
                none_label=_("No sales rep")),
        Related("payer", _("Payer"), queryset=payers, label_of=payer_label, none_label=_("No payer")),
        DateRange("start", _("Start"), field="start_date"),
    ],
    group_by=["status", "product", "currency", "rep", "payer"],
    default_sort="-start_date",
    count_label=count_contracts,
    export_name="contracts",
    empty_text=_("No contracts match. A contract is written from the customer's Contracts tab."),
)
