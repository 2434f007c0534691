"""The contracts list, the contract page and the customer's Contracts tab."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from abonent.contracts.forms import LineChangeForm, LineEndForm, LineForm, SuspendForm, TerminateForm
from abonent.contracts.lists import CONTRACTS
from abonent.contracts.models import Contract, ContractStatus
from abonent.contracts.panels import panels_for
from abonent.contracts.pricing import contract_prices
from abonent.contracts.selectors import contract_get, contract_history, contract_lines, party_contracts
from abonent.core.grid import views as grid
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.customers.selectors import change_lines


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "contracts", Access.WRITE)


def contract_or_404(pk: int) -> Contract:
    try:
        return contract_get(pk=pk)
    except Contract.DoesNotExist:
        raise Http404 from None


# --- the list --------------------------------------------------------------------------------------


@module_required("contracts", Access.READ)
def contract_list(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, CONTRACTS, template="contracts/list.html")


@module_required("contracts", Access.READ)
def contract_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, CONTRACTS, fmt)


@module_required("contracts", Access.READ)
def contract_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, CONTRACTS)


@module_required("contracts", Access.READ)
def contract_list_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, CONTRACTS)


@module_required("contracts", Access.READ)
def contract_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, CONTRACTS)


@module_required("contracts", Access.READ)
def contract_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, CONTRACTS, pk)


@module_required("contracts", Access.READ)
def contract_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, CONTRACTS, pk)


# --- the contract page ----------------------------------------------------------------------------------


def page_context(request: HttpRequest, contract: Contract, **forms) -> dict:
    today = timezone.localdate()
    prices = {p.line.pk: p for p in contract_prices(contract, on=today)}
    lines = [(line, prices.get(line.pk)) for line in contract_lines(contract=contract)]
    writable = can_write(request) and not contract.is_terminated
    panels = [(panel, mark_safe(panel.view(request, contract).content.decode()))  # noqa: S308 - our templates
              for panel in panels_for(request.user)]
    return {
        "contract": contract, "party": contract.party, "lines": lines, "today": today, "can_write": writable,
        "history": [(entry, change_lines(entry)) for entry in contract_history(contract=contract)],
        "panels": panels,
        "line_form": forms.get("line_form") or (LineForm(contract=contract) if writable else None),
        "change_form": forms.get("change_form"), "changing": forms.get("changing"),
        "end_form": forms.get("end_form") or LineEndForm(initial={"active_to": today}),
        "terminate_form": forms.get("terminate_form") or TerminateForm(initial={"end_date": today}),
        "suspend_form": SuspendForm(), "change_template": LineChangeForm,
        "statuses": ContractStatus,
    }


@module_required("contracts", Access.READ)
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    return render(request, "contracts/page.html", page_context(request, contract))


# --- the customer's tab ------------------------------------------------------------------------------


def contracts_tab(request: HttpRequest, party) -> HttpResponse:
    return render(request, "contracts/tab.html", {
        "party": party, "contracts": party_contracts(party=party), "can_write": can_write(request),
        "today": timezone.localdate(),
    })
