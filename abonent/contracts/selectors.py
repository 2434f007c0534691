"""Reads about contracts: one contract, a customer's contracts, a contract's history, the catalogue."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from abonent.contracts.models import Contract, ContractLine, Discount, Product
from abonent.core.models import AuditEntry
from abonent.customers.models import Party

HISTORY_LIMIT = 100


def contract_get(*, pk: int) -> Contract:
    """The contract with what its page header shows; raises Contract.DoesNotExist."""
    return Contract.objects.select_related("party", "payer__structure", "sales_rep", "main_product").get(pk=pk)


def party_contracts(*, party: Party) -> QuerySet[Contract]:
    """The customer's contracts, running ones first, newest first."""
    return (Contract.objects.filter(party=party).select_related("main_product", "sales_rep")
            .order_by("status", "-start_date", "-id"))


def contract_lines(*, contract: Contract) -> QuerySet[ContractLine]:
    return contract.lines.select_related("product").order_by("active_from", "id")


def contract_history(*, contract: Contract, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """Changes to the contract, its lines and its schedule, newest first."""
    contract_type = ContentType.objects.get_for_model(Contract)
    line_type = ContentType.objects.get_for_model(ContractLine)
    line_ids = [str(pk) for pk in ContractLine.objects.filter(contract=contract).values_list("pk", flat=True)]
    condition = Q(target_type=contract_type, target_id=str(contract.pk))
    if line_ids:
        condition |= Q(target_type=line_type, target_id__in=line_ids)
    return list(AuditEntry.objects.filter(condition).order_by("-id")[:limit])


def product_list() -> QuerySet[Product]:
    return Product.objects.order_by("order", "code")


def discount_list() -> QuerySet[Discount]:
    return Discount.objects.select_related("node__structure", "product").order_by("-active_from", "-id")
