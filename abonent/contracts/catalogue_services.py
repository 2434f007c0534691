"""Writes about what is sold and at what discount: products, and discounts at nodes of discount structures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from abonent.contracts.models import BillingPeriod, Contract, Discount, Product
from abonent.contracts.pricing import DISCOUNT_KINDS
from abonent.contracts.services import ContractError
from abonent.contracts.signals import contract_changed
from abonent.core.models import Channel
from abonent.core.services import audit_record, changed_fields
from abonent.customers.models import Node, NodeMembership

PRODUCT_FIELDS = ("name", "price", "currency", "billing_period", "vat_rate", "active", "order")


def _check_product(values: Mapping[str, Any]) -> None:
    if not any((values.get("name") or {}).values()):
        raise ContractError(_("Give the product a name in at least one language."))
    if values.get("currency") not in settings.CURRENCIES:
        raise ContractError(_("Abonent does not bill in %(currency)s.") % {"currency": values.get("currency")})
    if values.get("billing_period") not in BillingPeriod.values:
        raise ContractError(_("Choose how often the product is billed."))
    if values["price"] < 0:
        raise ContractError(_("A price cannot be negative."))
    if not 0 <= values["vat_rate"] <= 100:
        raise ContractError(_("A VAT rate is between 0 and 100 %."))


def product_create(
    *, by: Any, code: str, name: Mapping[str, str], price: Decimal, currency: str,
    billing_period: str = BillingPeriod.MONTHLY, vat_rate: Decimal = Decimal("21.00"), active: bool = True,
    order: int = 0, channel: str = Channel.UI, now: dt.datetime,
) -> Product:
    """Add a product to the catalogue; its code never changes afterwards."""
    code = slugify(code.strip())
    name = {lang: text.strip() for lang, text in name.items() if text and text.strip()}
    values = {"name": name, "price": price, "currency": currency, "billing_period": billing_period,
              "vat_rate": vat_rate, "active": active, "order": order}
    if not code:
        raise ContractError(_("A product needs a code (letters, digits and dashes)."))
    _check_product(values)
    if Product.objects.filter(code=code).exists():
        raise ContractError(_("A product with the code “%(code)s” already exists.") % {"code": code})
    with transaction.atomic():
        product = Product.objects.create(code=code, **values)
        audit_record(actor=by, action="abonent.contracts.product.created", target=product, channel=channel, now=now,
                     changes={field: (None, value) for field, value in {"code": code, **values}.items()})
    return product


def product_change(
    *, by: Any, product: Product, values: Mapping[str, Any], channel: str = Channel.UI, now: dt.datetime,
) -> Product:
    """Change a product. Its price is the default of new contract lines: existing contracts keep theirs."""
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"not product fields: {sorted(unknown)}")
    values = dict(values)
    if "name" in values:
        values["name"] = {lang: text.strip() for lang, text in values["name"].items() if text and text.strip()}
    _check_product({**{f: getattr(product, f) for f in PRODUCT_FIELDS}, **values})
    changes = changed_fields(product, values)
    if "currency" in changes and product.lines.exists():
        raise ContractError(_("Contracts use this product: its currency cannot change. Add a new product."))
    if changes:
        with transaction.atomic():
            for field, (_old, new) in changes.items():
                setattr(product, field, new)
            product.save(update_fields=list(changes))
            audit_record(actor=by, action="abonent.contracts.product.changed", target=product, channel=channel,
                         now=now, changes=changes)
    return product


# --- discounts -----------------------------------------------------------------------------------------


def _affected_contracts(node: Node, since: dt.date) -> list[Contract]:
    """Billable contracts of the customers placed at or below the node on `since` or later."""
    parties = NodeMembership.objects.filter(
        Q(node__path__startswith=node.path) & (Q(active_to__isnull=True) | Q(active_to__gt=since))
    ).values("party_id")
    return list(Contract.objects.billable().filter(party_id__in=parties).select_related("party").order_by("pk"))


def _announce(node: Node, since: dt.date, *, by: Any, channel: str, now: dt.datetime) -> int:
    contracts = _affected_contracts(node, since)
    for contract in contracts:
        contract_changed.send(sender=Contract, contract=contract, by=by, channel=channel, now=now)
    return len(contracts)


def discount_create(
    *, by: Any, node: Node, name: str, percent: Decimal, active_from: dt.date, active_to: dt.date | None = None,
    product: Product | None = None, channel: str = Channel.UI, now: dt.datetime,
) -> Discount:
    """Give every customer at or below the node a discount; their schedules are recomputed."""
    name = name.strip()
    if node.structure.kind not in DISCOUNT_KINDS:
        raise ContractError(_("Discounts are attached to nodes of a discount structure; “%(node)s” is in “%(s)s”.")
                            % {"node": node.name, "s": node.structure.name})
    if not name:
        raise ContractError(_("Give the discount a name the customer would understand."))
    if not 0 < percent <= 100:
        raise ContractError(_("A discount is more than 0 and at most 100 %."))
    if active_to is not None and active_to <= active_from:
        raise ContractError(_("The discount must end after it starts."))
    with transaction.atomic():
        discount = Discount.objects.create(node=node, name=name, percent=percent, product=product,
                                           active_from=active_from, active_to=active_to, created_at=now)
        audit_record(actor=by, action="abonent.contracts.discount.created", target=discount, subject=node.structure,
                     channel=channel, now=now, changes={
                         "node": (None, node.name), "percent": (None, percent), "active_from": (None, active_from),
                         "active_to": (None, active_to), "product": (None, product.code if product else None)})
        _announce(node, active_from, by=by, channel=channel, now=now)
    return discount


def discount_end(
    *, by: Any, discount: Discount, active_to: dt.date, channel: str = Channel.UI, now: dt.datetime,
) -> Discount:
    """Stop a discount from `active_to` on (one ended before it started is removed)."""
    with transaction.atomic():
        discount = Discount.objects.select_for_update().select_related("node__structure").get(pk=discount.pk)
        if discount.active_to is not None and discount.active_to <= active_to:
            return discount
        old = discount.active_to
        node = discount.node
        if active_to <= discount.active_from:
            audit_record(actor=by, action="abonent.contracts.discount.removed", target=discount,
                         subject=node.structure, channel=channel, now=now,
                         changes={"percent": (discount.percent, None)})
            discount.delete()
        else:
            discount.active_to = active_to
            discount.save(update_fields=["active_to"])
            audit_record(actor=by, action="abonent.contracts.discount.ended", target=discount, subject=node.structure,
                         channel=channel, now=now, changes={"active_to": (old, active_to)})
        _announce(node, min(active_to, discount.active_from), by=by, channel=channel, now=now)
    return discount
